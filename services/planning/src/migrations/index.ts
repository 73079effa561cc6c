import { Migration20261123150726_initial } from "./Migration20261123150726_initial.ts";
import { Migration20261123151819_planning_model } from "./Migration20261123151819_planning_model.ts";
import { Migration20261123202500_record_source } from "./Migration20261123202500_record_source.ts";
import { Migration20261123222358_audit_trail } from "./Migration20261123222358_audit_trail.ts";
import { Migration20261204143000_sotkanet_sync } from "./Migration20261204143000_sotkanet_sync.ts";
import { Migration20261204150000_change_outbox } from "./Migration20261204150000_change_outbox.ts";
import { Migration20261204170000_planning_natural_keys } from "./Migration20261204170000_planning_natural_keys.ts";
import { Migration20261204180000_hyte_indicators } from "./Migration20261204180000_hyte_indicators.ts";
import { Migration20261205150000_change_record_by_time } from "./Migration20261205150000_change_record_by_time.ts";

/** Committed migrations, in order. `pnpm --filter @yhdyspinta/planning migration:create <name>` adds one. */
export const migrations = [
  Migration20261123150726_initial,
  Migration20261123151819_planning_model,
  Migration20261123202500_record_source,
  Migration20261123222358_audit_trail,
  Migration20261204143000_sotkanet_sync,
  Migration20261204150000_change_outbox,
  Migration20261204170000_planning_natural_keys,
  Migration20261204180000_hyte_indicators,
  Migration20261205150000_change_record_by_time,
];
