import { Migration } from '@mikro-orm/migrations';

/**
 * Natural keys (docs/NATURAL-KEYS.md): a record that names the same thing
 * twice is refused by the database too, so parallel creates cannot duplicate
 * it. Written by hand (partial and expression indexes); the entities declare
 * the same indexes by name, so the schema diff stays empty
 * (test/migrations-drift.test.ts). packages/core/src/unique-rules.ts maps each index
 * name to the field and rule a caller is told.
 */
export class Migration20261124040338_natural_keys extends Migration {

  override name = 'Migration20261124040338_natural_keys';

  override up(): void | Promise<void> {
    // An active (not ended) group's name is unique within its county, letter case aside.
    this.addSql(`create unique index "cooperation_group_active_name_unique" on "cooperation_group" ("county_code", lower("name")) where "ends_on" is null;`);
    // An active seat's label is unique within its group for the same municipality, organisation and category.
    this.addSql(`create unique index "group_seat_active_label_unique" on "group_seat" ("group_id", lower("label"), coalesce("municipality_code", ''), coalesce("organisation_id", ''), coalesce("category_id", '')) where "ends_on" is null;`);
    // A group holds one meeting starting at a given time.
    this.addSql(`create unique index "meeting_group_starts_at_unique" on "meeting" ("group_id", "starts_at");`);
    // A nominator names a person once per round while that nomination stands (a nominator belongs to one round).
    this.addSql(`create unique index "nomination_nominator_person_unique" on "nomination" ("nominator_id", "person_id") where "status" in ('submitted', 'accepted');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "nomination_nominator_person_unique";`);
    this.addSql(`drop index "meeting_group_starts_at_unique";`);
    this.addSql(`drop index "group_seat_active_label_unique";`);
    this.addSql(`drop index "cooperation_group_active_name_unique";`);
  }

}
