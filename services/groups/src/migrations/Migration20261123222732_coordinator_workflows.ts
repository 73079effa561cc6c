import { Migration } from '@mikro-orm/migrations';

/**
 * Coordinator workflows: nomination status history and appointment, closing a
 * round, ending seats, meeting minutes and attendance. The rules parallel
 * writes must not break are constraints: a party is asked once per round, a
 * nomination is appointed once, limits are not negative, dates are in order.
 */
export class Migration20261123222732_coordinator_workflows extends Migration {

  override name = 'Migration20261123222732_coordinator_workflows';

  override up(): void | Promise<void> {
    this.addSql(`create table "meeting_attendance" ("meeting_id" varchar(255) not null, "person_id" varchar(255) not null, "organisation_id" varchar(255) null, "present" boolean not null, "ordinal" int not null default 0, primary key ("meeting_id", "person_id"));`);
    this.addSql(`create index "meeting_attendance_person_id_index" on "meeting_attendance" ("person_id");`);

    this.addSql(`create table "nomination_status_change" ("id" varchar(255) not null, "nomination_id" varchar(255) not null, "status" varchar(255) not null, "changed_at" timestamptz not null, "changed_by" varchar(255) null, "note" text null, primary key ("id"));`);
    this.addSql(`create index "nomination_status_change_nomination_id_changed_at_index" on "nomination_status_change" ("nomination_id", "changed_at");`);

    this.addSql(`alter table "group_seat" add "ends_on" date null;`);
    this.addSql(`alter table "group_seat" add constraint "group_seat_limits_not_negative" check ((min_members is null or min_members >= 0) and (max_members is null or max_members >= 1) and (deputies is null or deputies >= 0));`);

    this.addSql(`alter table "meeting" add "minutes_ref" varchar(500) null, add "decisions" jsonb not null default '[]', add "minutes_recorded_at" timestamptz null;`);

    this.addSql(`alter table "nomination" add "membership_id" varchar(255) null;`);
    this.addSql(`create unique index "nomination_membership_id_unique" on "nomination" ("membership_id") where "membership_id" is not null;`);

    this.addSql(`alter table "nomination_round" add "closed_at" timestamptz null;`);
    this.addSql(`alter table "nomination_round" add constraint "nomination_round_limits_not_negative" check ((min_per_nominator is null or min_per_nominator >= 0) and (max_per_nominator is null or max_per_nominator >= 1));`);
    this.addSql(`create unique index "nominator_round_municipality_unique" on "nominator" ("round_id", "municipality_code") where "municipality_code" is not null;`);
    this.addSql(`create unique index "nominator_round_category_unique" on "nominator" ("round_id", "category_id") where "category_id" is not null;`);

    this.addSql(`alter table "cooperation_group" add constraint "cooperation_group_dates_in_order" check (starts_on is null or ends_on is null or ends_on >= starts_on);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "cooperation_group" drop constraint "cooperation_group_dates_in_order";`);
    this.addSql(`drop index "nominator_round_category_unique";`);
    this.addSql(`drop index "nominator_round_municipality_unique";`);
    this.addSql(`alter table "nomination_round" drop constraint "nomination_round_limits_not_negative";`);
    this.addSql(`alter table "nomination_round" drop column "closed_at";`);
    this.addSql(`drop index "nomination_membership_id_unique";`);
    this.addSql(`alter table "nomination" drop column "membership_id";`);
    this.addSql(`alter table "meeting" drop column "minutes_ref", drop column "decisions", drop column "minutes_recorded_at";`);
    this.addSql(`alter table "group_seat" drop constraint "group_seat_limits_not_negative";`);
    this.addSql(`alter table "group_seat" drop column "ends_on";`);
    this.addSql(`drop table if exists "nomination_status_change" cascade;`);
    this.addSql(`drop table if exists "meeting_attendance" cascade;`);
  }

}
