import { Migration } from '@mikro-orm/migrations';

/** Natural keys of the planning records coordinators write (docs/NATURAL-KEYS.md), and a grant programme's end. */
export class Migration20261204170000_planning_natural_keys extends Migration {

  override name = 'Migration20261204170000_planning_natural_keys';

  override up(): void | Promise<void> {
    this.addSql(`create unique index "wellbeing_plan_term_unique" on "wellbeing_plan" ("county_code", coalesce("municipality_code", ''), "council_term");`);
    this.addSql(`create unique index "theme_county_name_unique" on "theme" ("county_code", lower("name"));`);
    this.addSql(`create unique index "annual_negotiation_county_held_on_unique" on "annual_negotiation" ("county_code", "held_on");`);
    this.addSql(`create unique index "grant_programme_county_name_unique" on "grant_programme" ("county_code", lower("name"));`);
    this.addSql(`alter table "grant_programme" add column "ended_on" date null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "wellbeing_plan_term_unique";`);
    this.addSql(`drop index if exists "theme_county_name_unique";`);
    this.addSql(`drop index if exists "annual_negotiation_county_held_on_unique";`);
    this.addSql(`drop index if exists "grant_programme_county_name_unique";`);
    this.addSql(`alter table "grant_programme" drop column "ended_on";`);
  }

}
