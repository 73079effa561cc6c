import { Migration } from '@mikro-orm/migrations';

/**
 * Organisation lifecycle (issue 25): the successors of a wound-up
 * organisation, one or several, each with the tasks it took over
 * (`organisation_successor`, natural key organisation + successor), and
 * `merged_into` of a duplicate merged into the record that stays. The single
 * `successor_id` already recorded becomes the first successor row.
 */
export class Migration20261204160000_organisation_lifecycle extends Migration {

  override name = 'Migration20261204160000_organisation_lifecycle';

  override up(): void | Promise<void> {
    this.addSql(`create table "organisation_successor" ("id" varchar(255) not null, "organisation_id" varchar(255) not null, "successor_id" varchar(255) not null, "tasks" text null, "ordinal" int not null, primary key ("id"));`);
    this.addSql(`create index "organisation_successor_successor_id_index" on "organisation_successor" ("successor_id");`);
    this.addSql(`create unique index "organisation_successor_unique" on "organisation_successor" ("organisation_id", "successor_id");`);
    this.addSql(`alter table "organisation" add column "merged_into" varchar(255) null, add column "end_note" text null;`);
    this.addSql(`create index "organisation_merged_into_index" on "organisation" ("merged_into");`);
    this.addSql(`insert into "organisation_successor" ("id", "organisation_id", "successor_id", "tasks", "ordinal") select 'succession-' || "id", "id", "successor_id", null, 0 from "organisation" where "successor_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "organisation_merged_into_index";`);
    this.addSql(`alter table "organisation" drop column "merged_into", drop column "end_note";`);
    this.addSql(`drop table if exists "organisation_successor" cascade;`);
  }

}
