import type { EntityManager } from "@mikro-orm/postgresql";
import { ANONYMISED, personNeedles, redactValues, rowsAbout } from "@yhdyspinta/core";

/** A person whose identifying values are still held. */
export interface HeldPerson {
  id: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  organisationId: string | null;
}

/** heldPeople: every person not yet anonymised, by id (the retention job's candidates). */
export async function heldPeople(em: EntityManager): Promise<HeldPerson[]> {
  const rows = await em.getConnection().execute<{ id: string; name: string; title: string | null; email: string | null; phone: string | null; organisation_id: string | null }[]>(
    `/* heldPeople */ select id, name, title, email, phone, organisation_id from person where anonymised_at is null order by id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, email: r.email, phone: r.phone, organisationId: r.organisation_id }));
}

/** identifyingValues: the name, e-mail and phone still held of a person (none once anonymised, or for no such person). */
export async function identifyingValues(em: EntityManager, id: string): Promise<string[]> {
  const rows = await em.getConnection().execute<{ name: string; email: string | null; phone: string | null }[]>(
    `/* identifyingValues */ select name, email, phone from person where id = ? and anonymised_at is null`,
    [id],
  );
  const r = rows[0];
  return r ? [r.name, r.email, r.phone].filter((v): v is string => !!v) : [];
}

/** lockPerson: one person with their identifying values and when they were anonymised (null: held), in the transaction, locked. */
export async function lockPerson(tx: EntityManager, id: string): Promise<(HeldPerson & { anonymisedAt: Date | null }) | null> {
  const rows = await tx.getConnection().execute<{ id: string; name: string; title: string | null; email: string | null; phone: string | null; organisation_id: string | null; anonymised_at: Date | null }[]>(
    `/* lockPerson */ select id, name, title, email, phone, organisation_id, anonymised_at from person where id = ? for update`,
    [id],
    "all",
    tx.getTransactionContext(),
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, title: r.title, email: r.email, phone: r.phone, organisationId: r.organisation_id, anonymisedAt: r.anonymised_at } : null;
}

/**
 * anonymisePersonRow: the person's name, title, e-mail and phone replaced
 * (the id and the organisation stay: the role history refers to them), in
 * the transaction. Raw SQL: the change is recorded once, by the caller, as
 * the anonymisation, without the values it removes.
 */
export async function anonymisePersonRow(tx: EntityManager, id: string, at: Date): Promise<void> {
  await tx.getConnection().execute(
    `/* anonymisePersonRow */ update person set name = ?, name_normalised = ?, title = null, email = null, phone = null, anonymised_at = ? where id = ?`,
    [ANONYMISED, ANONYMISED, at, id],
    "run",
    tx.getTransactionContext(),
  );
}

/**
 * scrubDeadLetters: webhook messages kept for replay with any of `values` in
 * their payload get it replaced (longer values first, so a value inside
 * another goes with it). Two statements however many values: one reads the
 * messages concerned under a lock, one writes back those changed.
 */
export async function scrubDeadLetters(tx: EntityManager, values: readonly string[]): Promise<number> {
  // As they stand inside the payload's JSON text; redactValues replaces longer ones first.
  const needles = [...new Set(values.filter((v) => v.length > 0).map((v) => JSON.stringify(v).slice(1, -1)))];
  if (needles.length === 0) return 0;
  const letters = await tx.getConnection().execute<{ id: string; payload: string }[]>(
    `/* scrubDeadLetters */ select id, payload from webhook_dead_letter d
     where exists (select 1 from jsonb_array_elements_text(?::jsonb) n(needle) where position(n.needle in d.payload) > 0)
     for update`,
    [JSON.stringify(needles)],
    "all",
    tx.getTransactionContext(),
  );
  const scrubbed = letters.map((l) => ({ id: l.id, payload: redactValues(l.payload, needles) as string }));
  if (scrubbed.length > 0) {
    await tx.getConnection().execute(
      `/* scrubDeadLetters */ update webhook_dead_letter d set payload = v.payload from jsonb_to_recordset(?::jsonb) as v(id text, payload text) where d.id = v.id`,
      [JSON.stringify(scrubbed)],
      "run",
      tx.getTransactionContext(),
    );
  }
  return scrubbed.length;
}

/** rowsAboutPerson: every row of this subgraph about the person (by id or one of `values`), webhook messages kept for replay included. */
export async function rowsAboutPerson(em: EntityManager, personId: string, values: readonly string[]): Promise<Record<string, Record<string, unknown>[]>> {
  const found = await rowsAbout(em, personId, values);
  const needles = personNeedles(personId, values);
  const letters = await em.getConnection().execute<{ row: Record<string, unknown> }[]>(
    `/* rowsAboutPerson */ select to_jsonb(d) as row from webhook_dead_letter d where ${needles.map(() => "position(? in d.payload) > 0").join(" or ")} order by d.id`,
    needles,
  );
  if (letters.length > 0) found["webhook_dead_letter"] = letters.map((l) => l.row);
  return found;
}
