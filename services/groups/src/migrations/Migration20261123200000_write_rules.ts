import { Migration } from '@mikro-orm/migrations';

/**
 * Rules the database keeps whatever the caller: dates in order, limits that
 * make sense, and corrections of mistaken memberships (kept, marked, not counted).
 */
export class Migration20261123200000_write_rules extends Migration {

  override name = 'Migration20261123200000_write_rules';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership" add column "corrected_at" timestamptz null, add column "correction_note" text null;`);
    this.addSql(`alter table "membership" add constraint "membership_dates_in_order" check ("starts_on" is null or "ends_on" is null or "ends_on" >= "starts_on");`);
    this.addSql(`alter table "nomination_round" add constraint "nomination_round_window_in_order" check ("opens_on" is null or "closes_on" >= "opens_on");`);
    this.addSql(`alter table "nomination_round" add constraint "nomination_round_limits_in_order" check ("min_per_nominator" is null or "max_per_nominator" is null or "min_per_nominator" <= "max_per_nominator");`);
    this.addSql(`alter table "group_seat" add constraint "group_seat_limits_in_order" check ("min_members" is null or "max_members" is null or "min_members" <= "max_members");`);
    this.addSql(`create index "nomination_nominator_id_index" on "nomination" ("nominator_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "nomination_nominator_id_index";`);
    this.addSql(`alter table "group_seat" drop constraint "group_seat_limits_in_order";`);
    this.addSql(`alter table "nomination_round" drop constraint "nomination_round_limits_in_order";`);
    this.addSql(`alter table "nomination_round" drop constraint "nomination_round_window_in_order";`);
    this.addSql(`alter table "membership" drop constraint "membership_dates_in_order";`);
    this.addSql(`alter table "membership" drop column "corrected_at", drop column "correction_note";`);
  }

}
