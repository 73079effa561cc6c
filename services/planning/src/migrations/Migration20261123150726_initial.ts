import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150726_initial extends Migration {

  override name = 'Migration20261123150726_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "wellbeing_plan" ("id" varchar(255) not null, "title" varchar(255) not null, "county_code" varchar(2) null, "municipality_code" varchar(3) null, "council_term" varchar(255) not null, "status" varchar(255) not null, primary key ("id"));`);
    this.addSql(`create index "wellbeing_plan_county_code_index" on "wellbeing_plan" ("county_code");`);
    this.addSql(`create index "wellbeing_plan_municipality_code_index" on "wellbeing_plan" ("municipality_code");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "wellbeing_plan" cascade;`);
  }

}
