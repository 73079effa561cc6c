import { Migration } from '@mikro-orm/migrations';
import { CHANGE_RECORD_BY_TIME_DDL } from '@yhdyspinta/core';

/**
 * The audit trail by type and time: a `knownAt` read asks, in every statement,
 * for the changes of a type after its instant, and the only index led with
 * the entity id, so each such search walked the type's whole history.
 */
export class Migration20261205150000_change_record_by_time extends Migration {

  override name = 'Migration20261205150000_change_record_by_time';

  override up(): void | Promise<void> {
    this.addSql(CHANGE_RECORD_BY_TIME_DDL);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "change_record_entity_type_changed_at_index";`);
  }

}
