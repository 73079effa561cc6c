import { Migration } from '@mikro-orm/migrations';

/**
 * PTV sync (issue 29): a contact point may come from a service location
 * (service channel of type ServiceLocation) of the Finnish Service Catalogue,
 * with its Swedish name and address, postal code, municipality, coordinates
 * (ETRS-TM35FIN) and the register's provenance.
 */
export class Migration20261204180000_ptv_contact_points extends Migration {

  override name = 'Migration20261204180000_ptv_contact_points';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contact_point" add column "ptv_channel_id" varchar(255) null, add column "label_sv" varchar(255) null, add column "visiting_address_sv" varchar(255) null, add column "postal_code" varchar(255) null, add column "municipality_code" varchar(255) null, add column "coordinate_north" double precision null, add column "coordinate_east" double precision null, add column "ptv_modified" varchar(255) null, add column "source_register" varchar(255) null, add column "source_url" text null, add column "fetched_at" timestamptz null, add column "sync_report_id" varchar(255) null;`);
    this.addSql(`create unique index "contact_point_ptv_channel_unique" on "contact_point" ("organisation_id", "ptv_channel_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "contact_point_ptv_channel_unique";`);
    this.addSql(`alter table "contact_point" drop column "ptv_channel_id", drop column "label_sv", drop column "visiting_address_sv", drop column "postal_code", drop column "municipality_code", drop column "coordinate_north", drop column "coordinate_east", drop column "ptv_modified", drop column "source_register", drop column "source_url", drop column "fetched_at", drop column "sync_report_id";`);
  }

}
