import { Migration } from '@mikro-orm/migrations';
import { REGISTER_SYNC_REPORT_DDL } from '@yhdyspinta/core';

/**
 * YTJ sync (issue 29): what PRH's open data says of an organisation's
 * business ID (official name, company form, addresses, status, end date),
 * its registered names with their history, the coordinator's list of
 * organisations YTJ reports ended, and the sync reports.
 */
export class Migration20261204150000_ytj_sync extends Migration {

  override name = 'Migration20261204150000_ytj_sync';

  override up(): void | Promise<void> {
    for (const sql of REGISTER_SYNC_REPORT_DDL) this.addSql(sql);
    this.addSql(`create table "organisation_register_record" ("organisation_id" varchar(255) not null, "business_id" varchar(9) not null, "official_name" text not null, "company_form_code" varchar(255) null, "company_form" text null, "trade_register_status" varchar(255) null, "status" varchar(255) null, "registered_on" date null, "ended_on" date null, "addresses" jsonb not null, "names" jsonb not null, "last_modified" varchar(255) null, "source_register" varchar(255) not null, "source_url" text not null, "fetched_at" timestamptz not null, "sync_report_id" varchar(255) null, primary key ("organisation_id"));`);
    this.addSql(`create index "organisation_register_record_business_id_index" on "organisation_register_record" ("business_id");`);
    this.addSql(`create table "organisation_ending_review" ("organisation_id" varchar(255) not null, "business_id" varchar(9) not null, "ended_on" date null, "reported_at" timestamptz not null, "sync_report_id" varchar(255) null, "source_url" text not null, primary key ("organisation_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "organisation_ending_review" cascade;`);
    this.addSql(`drop table if exists "organisation_register_record" cascade;`);
    this.addSql(`drop table if exists "register_sync_report" cascade;`);
  }

}
