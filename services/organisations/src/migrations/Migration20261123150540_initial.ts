import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150540_initial extends Migration {

  override name = 'Migration20261123150540_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "county" ("code" varchar(2) not null, "name_fi" varchar(255) not null, "name_sv" varchar(255) not null, "name_en" varchar(255) not null, "kind" varchar(255) not null, "sotkanet_region_id" int not null, primary key ("code"));`);

    this.addSql(`create table "municipality" ("code" varchar(3) not null, "year" smallint not null, "name_fi" varchar(255) not null, "name_sv" varchar(255) not null, "county_code" varchar(2) not null, primary key ("code", "year"));`);
    this.addSql(`create index "municipality_county_code_year_index" on "municipality" ("county_code", "year");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "county" cascade;`);
    this.addSql(`drop table if exists "municipality" cascade;`);
  }

}
