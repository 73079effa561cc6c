import { Migration } from '@mikro-orm/migrations';
import { RECORD_SOURCE_DDL } from '@yhdyspinta/core';

export class Migration20261123202500_record_source extends Migration {

  override name = 'Migration20261123202500_record_source';

  override up(): void | Promise<void> {
    for (const sql of RECORD_SOURCE_DDL) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "record_source" cascade;`);
  }

}
