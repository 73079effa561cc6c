import type { EntityManager } from "@mikro-orm/postgresql";

/** namedPerNominator: members named per nominator of a round (submitted or accepted, not as deputy). Give it the transaction's EntityManager. */
export async function namedPerNominator(tx: EntityManager, roundId: string): Promise<Map<string, number>> {
  const rows = await tx.execute<{ nominator_id: string; n: string }[]>(
    `/* namedPerNominator */ select nominator_id, count(*) as n from nomination where round_id = ? and as_deputy = false and status in ('submitted', 'accepted') group by nominator_id`,
    [roundId],
  );
  return new Map(rows.map((r) => [r.nominator_id, Number(r.n)]));
}
