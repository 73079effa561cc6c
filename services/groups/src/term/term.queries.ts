import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readRows } from "@yhdyspinta/core";
import { GroupTerm } from "./term.entity.ts";

/**
 * Terms ending within a window: group terms that end between `from` and `to`
 * (inclusive), of groups that have not ended, with no next term started yet,
 * in the given counties (null: every county); by end day, then group id.
 * One statement whatever the number of counties or terms.
 */
export async function termsEndingBetween(em: EntityManager, from: string, to: string, countyCodes: readonly string[] | null): Promise<GroupTerm[]> {
  const rows = await readRows<Record<string, unknown>>(em,
    `/* termsEndingBetween */ select gt.* from group_term gt
      join cooperation_group g on g.id = gt.group_id
      where gt.ends_on between ?::date and ?::date
        and (g.ends_on is null or g.ends_on > gt.ends_on)
        and (?::text is null or g.county_code = any(string_to_array(?::text, ',')))
        and not exists (select 1 from group_term n where n.group_id = gt.group_id and n.starts_on > gt.starts_on)
      order by gt.ends_on, gt.group_id`,
    // County codes travel as one comma-separated text (they are checked to be two digits).
    [from, to, countyCodes ? countyCodes.join(",") : null, countyCodes ? countyCodes.join(",") : null],
  );
  return mapRows(em, GroupTerm, rows);
}

/**
 * Serialises writes of one body's terms for the rest of the transaction (a
 * council term or a group's own period): two parallel writers of overlapping
 * terms of one body then see each other. Give it the transaction's manager.
 */
export async function lockTermBody(tx: EntityManager, body: string): Promise<void> {
  await tx.execute(`/* lockTermBody */ select pg_advisory_xact_lock(hashtext(?))`, [`term-body:${body}`]);
}
