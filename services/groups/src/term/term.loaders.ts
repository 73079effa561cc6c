import type { EntityManager } from "@mikro-orm/postgresql";
import { rowById, rowsByKey } from "@yhdyspinta/core";
import { CouncilTermMigrationIssue, GroupTerm, Term } from "./term.entity.ts";

/** Terms by id, each group's terms (earliest first), and the migration's unreadable `councilTerm` texts. */
export function createTermLoaders(em: EntityManager) {
  return {
    termById: rowById(em, Term),
    groupTermById: rowById(em, GroupTerm),
    groupTermsByGroup: rowsByKey(em, GroupTerm, "groupId", { startsOn: "asc", id: "asc" }),
    councilTermIssueByGroup: rowsByKey(em, CouncilTermMigrationIssue, "groupId", { groupId: "asc" }),
  };
}
