import { Migration } from '@mikro-orm/migrations';
import { CHANGE_RECORD_DDL } from '@yhdyspinta/core';

export class Migration20261123222358_audit_trail extends Migration {

  override name = 'Migration20261123222358_audit_trail';

  override up(): void | Promise<void> {
    for (const sql of CHANGE_RECORD_DDL) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "change_record" cascade;`);
  }

}
