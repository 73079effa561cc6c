import { Migration } from '@mikro-orm/migrations';

/**
 * Personal data over its life (issue 30, docs/PERSONAL-DATA.md): when a
 * person's identifying values were anonymised (retention or erasure), and
 * the register of answered data-subject requests.
 */
export class Migration20261204170000_personal_data extends Migration {

  override name = 'Migration20261204170000_personal_data';

  override up(): void | Promise<void> {
    this.addSql(`alter table "person" add column "anonymised_at" timestamptz null;`);
    this.addSql(`create table "data_subject_request" ("id" varchar(255) not null, "person_id" varchar(255) not null, "kind" varchar(255) not null, "outcome" varchar(255) not null, "reason" text null, "county_code" varchar(2) null, "answered_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "data_subject_request_person_id_index" on "data_subject_request" ("person_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "data_subject_request" cascade;`);
    this.addSql(`alter table "person" drop column "anonymised_at";`);
  }

}
