import { Migration } from '@mikro-orm/migrations';
import { REGISTER_SYNC_REPORT_DDL } from '@yhdyspinta/core';

/**
 * Sotkanet sync (issue 29): indicator metadata in fi/sv/en with the
 * data-updated date, provenance columns on indicators and values, the history
 * of revised values, and the sync reports.
 */
export class Migration20261204143000_sotkanet_sync extends Migration {

  override name = 'Migration20261204143000_sotkanet_sync';

  override up(): void | Promise<void> {
    for (const sql of REGISTER_SYNC_REPORT_DDL) this.addSql(sql);
    this.addSql(`alter table "indicator" add column "name_sv" text null, add column "data_updated_on" date null, add column "source_register" varchar(255) null, add column "source_url" text null, add column "fetched_at" timestamptz null, add column "sync_report_id" varchar(255) null;`);
    this.addSql(`alter table "indicator_value" add column "source_register" varchar(255) null, add column "source_url" text null, add column "fetched_at" timestamptz null, add column "sync_report_id" varchar(255) null;`);
    this.addSql(`create table "indicator_value_revision" ("id" bigserial primary key, "indicator_value_id" bigint not null, "value" double precision null, "absolute_value" double precision null, "source_register" varchar(255) null, "source_url" text null, "fetched_at" timestamptz null, "sync_report_id" varchar(255) null, "replaced_at" timestamptz not null, "replaced_by_sync_report_id" varchar(255) null);`);
    this.addSql(`create index "indicator_value_revision_indicator_value_id_index" on "indicator_value_revision" ("indicator_value_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "indicator_value_revision" cascade;`);
    this.addSql(`alter table "indicator_value" drop column "source_register", drop column "source_url", drop column "fetched_at", drop column "sync_report_id";`);
    this.addSql(`alter table "indicator" drop column "name_sv", drop column "data_updated_on", drop column "source_register", drop column "source_url", drop column "fetched_at", drop column "sync_report_id";`);
    this.addSql(`drop table if exists "register_sync_report" cascade;`);
  }

}
