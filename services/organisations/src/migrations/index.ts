import { Migration20261123150540_initial } from "./Migration20261123150540_initial.ts";
import { Migration20261123151926_organisations_categories_people } from "./Migration20261123151926_organisations_categories_people.ts";
import { Migration20261123201500_documents_contacts_provenance } from "./Migration20261123201500_documents_contacts_provenance.ts";
import { Migration20261123222358_audit_trail } from "./Migration20261123222358_audit_trail.ts";
import { Migration20261204150000_ytj_sync } from "./Migration20261204150000_ytj_sync.ts";
import { Migration20261204150000_change_outbox } from "./Migration20261204150000_change_outbox.ts";
import { Migration20261204160000_organisation_lifecycle } from "./Migration20261204160000_organisation_lifecycle.ts";
import { Migration20261204160000_webhooks } from "./Migration20261204160000_webhooks.ts";
import { Migration20261204170000_org_write_keys } from "./Migration20261204170000_org_write_keys.ts";
import { Migration20261204170000_personal_data } from "./Migration20261204170000_personal_data.ts";
import { Migration20261204180000_ptv_contact_points } from "./Migration20261204180000_ptv_contact_points.ts";
import { Migration20261205100000_personal_data_scrub } from "./Migration20261205100000_personal_data_scrub.ts";
import { Migration20261205150000_change_record_by_time } from "./Migration20261205150000_change_record_by_time.ts";

/** Committed migrations, in order. `pnpm --filter @yhdyspinta/organisations migration:create <name>` adds one. */
export const migrations = [
  Migration20261123150540_initial,
  Migration20261123151926_organisations_categories_people,
  Migration20261123201500_documents_contacts_provenance,
  Migration20261123222358_audit_trail,
  Migration20261204150000_ytj_sync,
  Migration20261204150000_change_outbox,
  Migration20261204160000_organisation_lifecycle,
  Migration20261204160000_webhooks,
  Migration20261204170000_org_write_keys,
  Migration20261204170000_personal_data,
  Migration20261204180000_ptv_contact_points,
  Migration20261205100000_personal_data_scrub,
  Migration20261205150000_change_record_by_time,
];
