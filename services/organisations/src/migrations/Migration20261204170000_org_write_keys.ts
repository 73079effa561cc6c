import { Migration } from '@mikro-orm/migrations';

/**
 * Natural keys of the records coordinators now write (issue 25,
 * docs/NATURAL-KEYS.md): a document's title in its county and year, a
 * contact point's label in its organisation among those not ended, and a
 * category's name in its county's classification (letter case and
 * diacritics aside, as `name_normalised` stores it).
 */
export class Migration20261204170000_org_write_keys extends Migration {

  override name = 'Migration20261204170000_org_write_keys';

  override up(): void | Promise<void> {
    this.addSql(`create unique index "document_title_unique" on "document" (coalesce("county_code", ''), lower("title"), coalesce("published_year", 0));`);
    this.addSql(`create unique index "contact_point_active_label_unique" on "contact_point" ("organisation_id", lower("label")) where "valid_to" is null;`);
    this.addSql(`create unique index "organisation_category_county_name_unique" on "organisation_category" ("county_code", "name_normalised");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "organisation_category_county_name_unique";`);
    this.addSql(`drop index "contact_point_active_label_unique";`);
    this.addSql(`drop index "document_title_unique";`);
  }

}
