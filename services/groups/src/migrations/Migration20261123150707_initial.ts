import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150707_initial extends Migration {

  override name = 'Migration20261123150707_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "cooperation_group" ("id" varchar(255) not null, "county_code" varchar(2) not null, "name" varchar(255) not null, "short_name" varchar(255) null, "kind" varchar(255) not null, primary key ("id"));`);
    this.addSql(`create index "cooperation_group_county_code_index" on "cooperation_group" ("county_code");`);

    this.addSql(`create table "group_municipality" ("group_id" varchar(255) not null, "municipality_code" varchar(3) not null, primary key ("group_id", "municipality_code"));`);
    this.addSql(`create index "group_municipality_municipality_code_index" on "group_municipality" ("municipality_code");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "cooperation_group" cascade;`);
    this.addSql(`drop table if exists "group_municipality" cascade;`);
  }

}
