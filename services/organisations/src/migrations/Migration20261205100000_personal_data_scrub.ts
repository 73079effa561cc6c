import { Migration } from '@mikro-orm/migrations';

/**
 * The scrub outbox (docs/PERSONAL-DATA.md "Erasure"): an anonymised
 * person's values, one row per other subgraph, written in the
 * anonymisation's transaction and deleted once that subgraph has scrubbed
 * them. Not an entity (core's database.ts skips it): no change may record
 * the values it holds.
 */
export class Migration20261205100000_personal_data_scrub extends Migration {

  override name = 'Migration20261205100000_personal_data_scrub';

  override up(): void | Promise<void> {
    this.addSql(`create table "personal_data_scrub" ("id" varchar(255) not null, "erasure_id" varchar(255) not null, "person_id" varchar(255) not null, "subgraph" varchar(255) not null, "scrub_values" jsonb not null, "reason" text not null, "requested_by" varchar(255) null, "requested_at" timestamptz not null default now(), "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, primary key ("id"));`);
    this.addSql(`create unique index "personal_data_scrub_erasure_id_subgraph_unique" on "personal_data_scrub" ("erasure_id", "subgraph");`);
    this.addSql(`create index "personal_data_scrub_next_attempt_at_index" on "personal_data_scrub" ("next_attempt_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "personal_data_scrub" cascade;`);
  }

}
