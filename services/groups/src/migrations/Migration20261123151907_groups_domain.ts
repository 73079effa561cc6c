import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151907_groups_domain extends Migration {

  override name = 'Migration20261123151907_groups_domain';

  // Hand edit: the new jsonb columns of cooperation_group default to '[]' so that
  // databases already holding the four Pohjois-Karjala groups migrate.
  override up(): void | Promise<void> {
    this.addSql(`create table "area" ("id" varchar(255) not null, "county_code" varchar(2) not null, "name" varchar(255) not null, "ordinal" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "area_county_code_index" on "area" ("county_code");`);

    this.addSql(`create table "area_municipality" ("area_id" varchar(255) not null, "municipality_code" varchar(3) not null, "ordinal" int not null default 0, primary key ("area_id", "municipality_code"));`);
    this.addSql(`create index "area_municipality_municipality_code_index" on "area_municipality" ("municipality_code");`);

    this.addSql(`create table "cooperation_level" ("id" varchar(255) not null, "county_code" varchar(2) not null, "level" varchar(255) not null, "name" varchar(255) not null, "ordinal" int not null default 0, "forums" jsonb not null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "cooperation_level_county_code_index" on "cooperation_level" ("county_code");`);

    this.addSql(`create table "group_contact" ("group_id" varchar(255) not null, "person_id" varchar(255) not null, "organisation_id" varchar(255) null, "title" varchar(255) null, "ordinal" int not null default 0, primary key ("group_id", "person_id"));`);

    this.addSql(`create table "group_seat" ("id" varchar(255) not null, "group_id" varchar(255) not null, "ordinal" int not null default 0, "constituency" varchar(255) not null, "label" varchar(255) not null, "category_id" varchar(255) null, "municipality_code" varchar(3) null, "organisation_id" varchar(255) null, "min_members" int null, "max_members" int null, "deputies" int null, "deputies_optional_when_several_members" boolean not null default false, "speaking_right_only" boolean not null default false, primary key ("id"));`);
    this.addSql(`create index "group_seat_group_id_index" on "group_seat" ("group_id");`);

    this.addSql(`create table "liaison_role" ("id" varchar(255) not null, "county_code" varchar(2) not null, "level" varchar(255) not null, "sector" varchar(255) null, "title" varchar(255) not null, "municipality_code" varchar(3) null, "organisation_id" varchar(255) null, "network_group_id" varchar(255) null, "paired_with_id" varchar(255) null, "tasks" jsonb not null, "ordinal" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "liaison_role_county_code_index" on "liaison_role" ("county_code");`);
    this.addSql(`create index "liaison_role_municipality_code_index" on "liaison_role" ("municipality_code");`);
    this.addSql(`create index "liaison_role_network_group_id_index" on "liaison_role" ("network_group_id");`);

    this.addSql(`create table "meeting" ("id" varchar(255) not null, "group_id" varchar(255) not null, "kind" varchar(255) not null, "title" varchar(255) null, "starts_at" timestamptz not null, "ends_at" timestamptz null, "location" varchar(255) null, "agenda" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "meeting_group_id_index" on "meeting" ("group_id");`);
    this.addSql(`create index "meeting_starts_at_index" on "meeting" ("starts_at");`);

    this.addSql(`create table "membership" ("id" varchar(255) not null, "group_id" varchar(255) not null, "seat_id" varchar(255) null, "person_id" varchar(255) not null, "organisation_id" varchar(255) null, "role" varchar(255) not null, "deputy_of_id" varchar(255) null, "title" varchar(255) null, "starts_on" date null, "ends_on" date null, primary key ("id"));`);
    this.addSql(`create index "membership_person_id_index" on "membership" ("person_id");`);
    this.addSql(`create index "membership_organisation_id_index" on "membership" ("organisation_id");`);
    this.addSql(`create index "membership_group_id_starts_on_index" on "membership" ("group_id", "starts_on");`);

    this.addSql(`create table "nomination" ("id" varchar(255) not null, "round_id" varchar(255) not null, "nominator_id" varchar(255) not null, "person_id" varchar(255) not null, "organisation_id" varchar(255) null, "group_id" varchar(255) null, "as_deputy" boolean not null default false, "status" varchar(255) not null, "submitted_on" date not null, primary key ("id"));`);
    this.addSql(`create index "nomination_round_id_index" on "nomination" ("round_id");`);

    this.addSql(`create table "nomination_round" ("id" varchar(255) not null, "county_code" varchar(2) not null, "name" varchar(255) not null, "kind" varchar(255) not null, "opens_on" date null, "closes_on" date not null, "submit_to" varchar(255) null, "submission_method" varchar(255) null, "nominees" varchar(255) null, "min_per_nominator" int null, "max_per_nominator" int null, "deputies_optional_when_several_members" boolean not null default false, "contact_person_id" varchar(255) null, "contact_organisation_id" varchar(255) null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "nomination_round_county_code_index" on "nomination_round" ("county_code");`);

    this.addSql(`create table "nomination_round_group" ("round_id" varchar(255) not null, "group_id" varchar(255) not null, primary key ("round_id", "group_id"));`);
    this.addSql(`create index "nomination_round_group_group_id_index" on "nomination_round_group" ("group_id");`);

    this.addSql(`create table "nominator" ("id" varchar(255) not null, "round_id" varchar(255) not null, "kind" varchar(255) not null, "municipality_code" varchar(3) null, "category_id" varchar(255) null, "group_id" varchar(255) null, "ordinal" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "nominator_round_id_index" on "nominator" ("round_id");`);

    this.addSql(`alter table "cooperation_group" add "description" text null, add "basis" varchar(255) null, add "legal_basis" jsonb not null default '[]', add "appointed_by" varchar(255) null, add "reports_to" varchar(255) null, add "level" varchar(255) null, add "area_id" varchar(255) null, add "parent_id" varchar(255) null, add "convener_ids" jsonb not null default '[]', add "convening_note" text null, add "secretariat_ids" jsonb not null default '[]', add "composition" text null, add "council_term" varchar(255) null, add "term_ends_on" date null, add "starts_on" date null, add "ends_on" date null, add "meetings_per_year" int null, add "min_meetings_per_year" int null, add "meeting_frequency" varchar(255) null, add "annual_negotiation" boolean not null default false, add "tasks" jsonb not null default '[]', add "compensation" text null, add "pays_meeting_fees" boolean null;`);
    this.addSql(`create index "cooperation_group_area_id_index" on "cooperation_group" ("area_id");`);
    this.addSql(`create index "cooperation_group_parent_id_index" on "cooperation_group" ("parent_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "area" cascade;`);
    this.addSql(`drop table if exists "area_municipality" cascade;`);
    this.addSql(`drop table if exists "cooperation_level" cascade;`);
    this.addSql(`drop table if exists "group_contact" cascade;`);
    this.addSql(`drop table if exists "group_seat" cascade;`);
    this.addSql(`drop table if exists "liaison_role" cascade;`);
    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
    this.addSql(`drop table if exists "nomination" cascade;`);
    this.addSql(`drop table if exists "nomination_round" cascade;`);
    this.addSql(`drop table if exists "nomination_round_group" cascade;`);
    this.addSql(`drop table if exists "nominator" cascade;`);

    this.addSql(`drop index "cooperation_group_area_id_index";`);
    this.addSql(`drop index "cooperation_group_parent_id_index";`);
    this.addSql(`alter table "cooperation_group" drop column "description", drop column "basis", drop column "legal_basis", drop column "appointed_by", drop column "reports_to", drop column "level", drop column "area_id", drop column "parent_id", drop column "convener_ids", drop column "convening_note", drop column "secretariat_ids", drop column "composition", drop column "council_term", drop column "term_ends_on", drop column "starts_on", drop column "ends_on", drop column "meetings_per_year", drop column "min_meetings_per_year", drop column "meeting_frequency", drop column "annual_negotiation", drop column "tasks", drop column "compensation", drop column "pays_meeting_fees";`);
  }

}
