import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks (issue 27 item 2, docs/WEBHOOKS.md): the endpoints admins
 * register with their delivery state (the change-feed position delivered up
 * to, failed attempts of the next message, when to try again, the lease of
 * the worker delivering), and the dead-letter list. Hand SQL, not entities:
 * writes to them must not be audited into the change feed they deliver.
 */
export class Migration20261204160000_webhooks extends Migration {

  override name = 'Migration20261204160000_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "webhook_endpoint" ("id" varchar(255) not null, "url" text not null, "secret" text not null, "description" text null, "types" jsonb null, "county_codes" jsonb null, "active" boolean not null default true, "positions" jsonb not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "last_attempt_at" timestamptz null, "last_delivered_at" timestamptz null, "lease_until" timestamptz null, "lease_owner" varchar(255) null, "created_by" varchar(255) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create table "webhook_dead_letter" ("id" varchar(255) not null, "endpoint_id" varchar(255) not null references "webhook_endpoint" ("id") on delete cascade, "message_id" varchar(255) not null, "event_type" varchar(255) not null, "payload" text not null, "attempts" int not null, "last_error" text null, "dead_at" timestamptz not null default clock_timestamp(), "replay_requested_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_dead_letter_endpoint_index" on "webhook_dead_letter" ("endpoint_id", "dead_at", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_dead_letter";`);
    this.addSql(`drop table if exists "webhook_endpoint";`);
  }

}
