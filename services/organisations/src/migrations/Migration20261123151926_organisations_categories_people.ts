import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151926_organisations_categories_people extends Migration {

  override name = 'Migration20261123151926_organisations_categories_people';

  override up(): void | Promise<void> {
    this.addSql(`create table "organisation" ("id" varchar(255) not null, "name" varchar(255) not null, "other_names" jsonb not null, "name_normalised" varchar(255) not null, "search_text" text not null, "kind" varchar(255) not null, "business_id" varchar(9) null, "parent_id" varchar(255) null, "county_code" varchar(2) null, "website" varchar(255) null, primary key ("id"));`);
    this.addSql(`alter table "organisation" add constraint "organisation_business_id_unique" unique ("business_id");`);
    this.addSql(`create index "organisation_parent_id_index" on "organisation" ("parent_id");`);
    this.addSql(`create index "organisation_county_code_index" on "organisation" ("county_code");`);
    this.addSql(`create index "organisation_name_normalised_id_index" on "organisation" ("name_normalised", "id");`);

    this.addSql(`create table "organisation_category" ("id" varchar(255) not null, "name" varchar(255) not null, "name_normalised" varchar(255) not null, "county_code" varchar(2) not null, "position" smallint not null, primary key ("id"));`);
    this.addSql(`create index "organisation_category_county_code_position_index" on "organisation_category" ("county_code", "position");`);

    this.addSql(`create table "organisation_category_assignment" ("organisation_id" varchar(255) not null, "category_id" varchar(255) not null, primary key ("organisation_id", "category_id"));`);
    this.addSql(`create index "organisation_category_assignment_category_id_index" on "organisation_category_assignment" ("category_id");`);

    this.addSql(`create table "organisation_municipality" ("organisation_id" varchar(255) not null, "municipality_code" varchar(3) not null, primary key ("organisation_id", "municipality_code"));`);
    this.addSql(`create index "organisation_municipality_municipality_code_index" on "organisation_municipality" ("municipality_code");`);

    this.addSql(`create table "person" ("id" varchar(255) not null, "name" varchar(255) not null, "name_normalised" varchar(255) not null, "title" varchar(255) null, "organisation_id" varchar(255) null, "email" varchar(255) null, "phone" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "person_organisation_id_index" on "person" ("organisation_id");`);
    this.addSql(`create index "person_name_normalised_id_index" on "person" ("name_normalised", "id");`);

    this.addSql(`alter table "municipality" add "search_text" varchar(255) not null default '';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "organisation" cascade;`);
    this.addSql(`drop table if exists "organisation_category" cascade;`);
    this.addSql(`drop table if exists "organisation_category_assignment" cascade;`);
    this.addSql(`drop table if exists "organisation_municipality" cascade;`);
    this.addSql(`drop table if exists "person" cascade;`);

    this.addSql(`alter table "municipality" drop column "search_text";`);
  }

}
