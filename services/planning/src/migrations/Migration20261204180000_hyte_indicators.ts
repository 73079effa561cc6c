import { Migration } from '@mikro-orm/migrations';

/** HYTE indicator sets (issue 29): per funding year and level, imported from a file. */
export class Migration20261204180000_hyte_indicators extends Migration {

  override name = 'Migration20261204180000_hyte_indicators';

  override up(): void | Promise<void> {
    this.addSql(`create table "hyte_indicator" ("id" varchar(255) not null, "funding_year" int not null, "level" varchar(255) not null, "code" varchar(255) not null, "name" text not null, "kind" varchar(255) not null, "better_direction" varchar(255) not null, "sotkanet_id" int null, "source" text not null, primary key ("id"));`);
    this.addSql(`create index "hyte_indicator_sotkanet_id_index" on "hyte_indicator" ("sotkanet_id");`);
    this.addSql(`alter table "hyte_indicator" add constraint "hyte_indicator_funding_year_level_code_unique" unique ("funding_year", "level", "code");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "hyte_indicator" cascade;`);
  }

}
