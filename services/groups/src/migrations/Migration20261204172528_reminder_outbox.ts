import { Migration } from '@mikro-orm/migrations';

export class Migration20261204172528_reminder_outbox extends Migration {

  override name = 'Migration20261204172528_reminder_outbox';

  override up(): void | Promise<void> {
    this.addSql(`create table "reminder" ("id" varchar(255) not null, "county_code" varchar(2) not null, "kind" varchar(255) not null, "dedupe_key" varchar(255) not null, "subject_id" varchar(255) not null, "group_id" varchar(255) null, "due_on" date not null, "summary" text not null, "created_at" timestamptz not null, "handled_at" timestamptz null, "handled_by" varchar(255) null, "handled_note" text null, "sent_at" timestamptz null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, primary key ("id"));`);
    this.addSql(`alter table "reminder" add constraint "reminder_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "reminder_county_code_due_on_index" on "reminder" ("county_code", "due_on");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "reminder" cascade;`);
  }

}
