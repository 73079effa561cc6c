import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * peopleIdsByEmail: ids of the people whose e-mail address is one of
 * `emails` (lower case), letter case aside. There is no index on
 * lower(email): one scan of the table probing a constant array (hashed by
 * PostgreSQL), whatever the planner estimates for a table that grows
 * inside the import's transaction. Pass the transaction's EntityManager.
 */
export async function peopleIdsByEmail(tx: EntityManager, emails: readonly string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const literal = `{${emails.map((e) => `"${e.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
  const rows = (await tx.getConnection().execute(
    `/* peopleIdsByEmail */
     select id from person where lower(email) = any(?::text[])`,
    [literal],
    "all",
    tx.getTransactionContext(),
  )) as { id: string }[];
  return rows.map((r) => r.id);
}
