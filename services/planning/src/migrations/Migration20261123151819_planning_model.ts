import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151819_planning_model extends Migration {

  override name = 'Migration20261123151819_planning_model';

  override up(): void | Promise<void> {
    this.addSql(`create table "annual_negotiation" ("id" varchar(255) not null, "county_code" varchar(2) not null, "held_on" date not null, "title" varchar(255) not null, "summary" text null, "organisation_ids" text[] not null, "group_ids" text[] not null, "goal_ids" text[] not null, "measure_ids" text[] not null, primary key ("id"));`);
    this.addSql(`create index "annual_negotiation_county_code_index" on "annual_negotiation" ("county_code");`);
    this.addSql(`create index "annual_negotiation_group_ids_index" on "annual_negotiation" using gin ("group_ids");`);

    this.addSql(`create table "annual_negotiation_practice" ("county_code" varchar(2) not null, "legal_basis" varchar(255) not null, "times_per_year" int not null, "participants" text not null, "agenda" text not null, "other_meetings" text null, "source" varchar(255) not null, "group_ids" text[] not null, primary key ("county_code"));`);

    this.addSql(`create table "grant_award" ("id" varchar(255) not null, "programme_id" varchar(255) not null, "organisation_id" varchar(255) not null, "amount" numeric(14,2) not null, "year" int not null, "purpose" text not null, "theme_id" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "grant_award_programme_id_index" on "grant_award" ("programme_id");`);
    this.addSql(`create index "grant_award_organisation_id_index" on "grant_award" ("organisation_id");`);

    this.addSql(`create table "grant_programme" ("id" varchar(255) not null, "county_code" varchar(2) not null, "name" varchar(255) not null, "started_on" date null, "principles" jsonb not null, "source" varchar(255) not null, primary key ("id"));`);
    this.addSql(`create index "grant_programme_county_code_index" on "grant_programme" ("county_code");`);

    this.addSql(`create table "indicator" ("id" varchar(255) not null, "sotkanet_id" int null, "name" text not null, "name_en" text null, "unit" varchar(255) null, "source" varchar(255) not null, primary key ("id"));`);
    this.addSql(`alter table "indicator" add constraint "indicator_sotkanet_id_unique" unique ("sotkanet_id");`);

    this.addSql(`create table "indicator_value" ("id" bigserial primary key, "indicator_id" varchar(255) not null, "region_kind" varchar(255) not null, "region_code" varchar(3) not null, "sotkanet_region_id" int null, "year" int not null, "sex" varchar(255) not null, "value" double precision null, "absolute_value" double precision null);`);
    this.addSql(`create index "indicator_value_region_kind_region_code_year_index" on "indicator_value" ("region_kind", "region_code", "year");`);
    this.addSql(`alter table "indicator_value" add constraint "indicator_value_indicator_id_region_kind_region_c_77448_unique" unique ("indicator_id", "region_kind", "region_code", "year", "sex");`);

    this.addSql(`create table "measure" ("id" varchar(255) not null, "county_code" varchar(2) not null, "goal_id" varchar(255) null, "title" varchar(255) not null, "description" text null, "starts_on" date null, "ends_on" date null, "schedule_note" varchar(255) null, "status" varchar(255) not null default 'planned', "organisation_ids" text[] not null, "group_ids" text[] not null, primary key ("id"));`);
    this.addSql(`create index "measure_county_code_index" on "measure" ("county_code");`);
    this.addSql(`create index "measure_goal_id_index" on "measure" ("goal_id");`);
    this.addSql(`create index "measure_group_ids_index" on "measure" using gin ("group_ids");`);
    this.addSql(`create index "measure_organisation_ids_index" on "measure" using gin ("organisation_ids");`);

    this.addSql(`create table "measure_progress_note" ("id" varchar(255) not null, "measure_id" varchar(255) not null, "noted_on" date not null, "text" text not null, primary key ("id"));`);
    this.addSql(`create index "measure_progress_note_measure_id_index" on "measure_progress_note" ("measure_id");`);

    this.addSql(`create table "strategy" ("id" varchar(255) not null, "county_code" varchar(2) not null, "name" varchar(255) not null, "service_promise" varchar(255) null, "values" jsonb not null, "headings" jsonb not null, "principles" jsonb not null, "cooperation_goals" jsonb not null, "steered_documents" jsonb not null, "source" varchar(255) not null, primary key ("id"));`);
    this.addSql(`alter table "strategy" add constraint "strategy_county_code_unique" unique ("county_code");`);

    this.addSql(`create table "theme" ("id" varchar(255) not null, "county_code" varchar(2) not null, "position" int not null, "name" varchar(255) not null, "name_en" varchar(255) null, "group_ids" text[] not null, primary key ("id"));`);
    this.addSql(`create index "theme_county_code_index" on "theme" ("county_code");`);
    this.addSql(`create index "theme_group_ids_index" on "theme" using gin ("group_ids");`);

    this.addSql(`create table "wellbeing_goal" ("id" varchar(255) not null, "plan_id" varchar(255) not null, "theme_id" varchar(255) null, "position" int not null, "text" text not null, "indicator_ids" text[] not null, primary key ("id"));`);
    this.addSql(`create index "wellbeing_goal_plan_id_index" on "wellbeing_goal" ("plan_id");`);

    this.addSql(`alter table "wellbeing_plan" add "approved_on" date null, add "assessment" text null, add "priority_theme_ids" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "annual_negotiation" cascade;`);
    this.addSql(`drop table if exists "annual_negotiation_practice" cascade;`);
    this.addSql(`drop table if exists "grant_award" cascade;`);
    this.addSql(`drop table if exists "grant_programme" cascade;`);
    this.addSql(`drop table if exists "indicator" cascade;`);
    this.addSql(`drop table if exists "indicator_value" cascade;`);
    this.addSql(`drop table if exists "measure" cascade;`);
    this.addSql(`drop table if exists "measure_progress_note" cascade;`);
    this.addSql(`drop table if exists "strategy" cascade;`);
    this.addSql(`drop table if exists "theme" cascade;`);
    this.addSql(`drop table if exists "wellbeing_goal" cascade;`);

    this.addSql(`alter table "wellbeing_plan" drop column "approved_on", drop column "assessment", drop column "priority_theme_ids";`);
  }

}
