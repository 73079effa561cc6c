import { Migration20261123150707_initial } from "./Migration20261123150707_initial.ts";
import { Migration20261123151907_groups_domain } from "./Migration20261123151907_groups_domain.ts";
import { Migration20261123200000_write_rules } from "./Migration20261123200000_write_rules.ts";
import { Migration20261123202500_record_source } from "./Migration20261123202500_record_source.ts";
import { Migration20261123222358_audit_trail } from "./Migration20261123222358_audit_trail.ts";
import { Migration20261123222732_coordinator_workflows } from "./Migration20261123222732_coordinator_workflows.ts";
import { Migration20261124040338_natural_keys } from "./Migration20261124040338_natural_keys.ts";
import { Migration20261204150000_change_outbox } from "./Migration20261204150000_change_outbox.ts";
import { Migration20261204170000_register_writes } from "./Migration20261204170000_register_writes.ts";
import { Migration20261204172528_reminder_outbox } from "./Migration20261204172528_reminder_outbox.ts";
import { Migration20261204173000_terms } from "./Migration20261204173000_terms.ts";
import { Migration20261205150000_change_record_by_time } from "./Migration20261205150000_change_record_by_time.ts";

/** Committed migrations, in order. `pnpm --filter @yhdyspinta/groups migration:create <name>` adds one. */
export const migrations = [
  Migration20261123150707_initial,
  Migration20261123151907_groups_domain,
  Migration20261123200000_write_rules,
  Migration20261123202500_record_source,
  Migration20261123222358_audit_trail,
  Migration20261123222732_coordinator_workflows,
  Migration20261124040338_natural_keys,
  Migration20261204150000_change_outbox,
  Migration20261204170000_register_writes,
  Migration20261204172528_reminder_outbox,
  Migration20261204173000_terms,
  Migration20261205150000_change_record_by_time,
];
