import { Migration } from '@mikro-orm/migrations';
import { RECORD_SOURCE_DDL } from '@yhdyspinta/core';

export class Migration20261123201500_documents_contacts_provenance extends Migration {

  override name = 'Migration20261123201500_documents_contacts_provenance';

  override up(): void | Promise<void> {
    this.addSql(`create table "document" ("id" varchar(255) not null, "title" varchar(255) not null, "kind" varchar(255) not null, "publisher_name" varchar(255) not null, "publisher_id" varchar(255) null, "published_on" date null, "published_period" varchar(255) null, "published_year" smallint null, "language" varchar(2) not null, "url" varchar(255) null, "county_code" varchar(2) null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "document_county_code_index" on "document" ("county_code");`);
    this.addSql(`create table "document_subject" ("document_id" varchar(255) not null, "subject_type" varchar(255) not null, "subject_id" varchar(255) not null, primary key ("document_id", "subject_type", "subject_id"));`);
    this.addSql(`create index "document_subject_subject_type_subject_id_index" on "document_subject" ("subject_type", "subject_id");`);
    this.addSql(`create table "contact_point" ("id" varchar(255) not null, "organisation_id" varchar(255) not null, "label" varchar(255) null, "visiting_address" varchar(255) null, "postal_address" varchar(255) null, "registry_email" varchar(255) null, "website" varchar(255) null, "valid_from" date null, "valid_to" date null, primary key ("id"));`);
    this.addSql(`create index "contact_point_organisation_id_index" on "contact_point" ("organisation_id");`);
    this.addSql(`alter table "organisation" add "valid_from" date null, add "valid_to" date null, add "successor_id" varchar(255) null;`);
    this.addSql(`create index "organisation_successor_id_index" on "organisation" ("successor_id");`);
    for (const sql of RECORD_SOURCE_DDL) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "record_source" cascade;`);
    this.addSql(`drop index "organisation_successor_id_index";`);
    this.addSql(`alter table "organisation" drop column "valid_from", drop column "valid_to", drop column "successor_id";`);
    this.addSql(`drop table if exists "contact_point" cascade;`);
    this.addSql(`drop table if exists "document_subject" cascade;`);
    this.addSql(`drop table if exists "document" cascade;`);
  }

}
