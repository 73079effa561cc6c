import { Migration } from '@mikro-orm/migrations';
import { CHANGE_OUTBOX_DDL, CHANGE_OUTBOX_DROP } from '@yhdyspinta/core';

/** The change feed's transactional outbox over the audit trail (packages/core/src/change-feed.ts). */
export class Migration20261204150000_change_outbox extends Migration {

  override name = 'Migration20261204150000_change_outbox';

  override up(): void | Promise<void> {
    for (const sql of CHANGE_OUTBOX_DDL) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of CHANGE_OUTBOX_DROP) this.addSql(sql);
  }

}
