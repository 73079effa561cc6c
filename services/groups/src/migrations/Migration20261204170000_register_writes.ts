import { Migration } from '@mikro-orm/migrations';

/**
 * Write paths of areas, cooperation levels and liaison roles (issue 25): the
 * natural keys their writes keep (docs/NATURAL-KEYS.md, by name in
 * packages/core/src/unique-rules.ts), a liaison role's end, and the people
 * holding a liaison role (a Popolo post's holders) with their dates.
 */
export class Migration20261204170000_register_writes extends Migration {

  override name = 'Migration20261204170000_register_writes';

  override up(): void | Promise<void> {
    // An area's name is unique within its county, letter case aside.
    this.addSql(`create unique index "area_county_name_unique" on "area" ("county_code", lower("name"));`);
    // A cooperation level's name is unique within its county's scheme, letter case aside.
    this.addSql(`create unique index "cooperation_level_county_name_unique" on "cooperation_level" ("county_code", lower("name"));`);

    this.addSql(`alter table "liaison_role" add "ends_on" date null;`);
    // A role that has not ended is named once per county, level, sector and municipality, letter case aside.
    this.addSql(`create unique index "liaison_role_active_title_unique" on "liaison_role" ("county_code", "level", coalesce("sector", ''), lower("title"), coalesce("municipality_code", '')) where "ends_on" is null;`);

    this.addSql(`create table "liaison_holder" ("id" varchar(255) not null, "role_id" varchar(255) not null, "person_id" varchar(255) not null, "starts_on" date not null, "ends_on" date null, primary key ("id"));`);
    this.addSql(`create index "liaison_holder_role_id_index" on "liaison_holder" ("role_id");`);
    this.addSql(`create index "liaison_holder_person_id_index" on "liaison_holder" ("person_id");`);
    this.addSql(`alter table "liaison_holder" add constraint "liaison_holder_dates_in_order" check (ends_on is null or ends_on >= starts_on);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "liaison_holder" cascade;`);
    this.addSql(`drop index "liaison_role_active_title_unique";`);
    this.addSql(`alter table "liaison_role" drop column "ends_on";`);
    this.addSql(`drop index "cooperation_level_county_name_unique";`);
    this.addSql(`drop index "area_county_name_unique";`);
  }

}
