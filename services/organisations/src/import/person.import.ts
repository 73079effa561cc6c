import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, chunkReads, refuse, sameValue, Scope, validateInput, type FieldChange, type ImportKindHandler, type ImportRowContext } from "@yhdyspinta/core";
import { Organisation, OrganisationMunicipality } from "../organisation/organisation.entity.ts";
import { Person } from "../person/person.entity.ts";
import { CreatePersonInput, UpdatePersonInput } from "../person/person.input.ts";
import { countyOfOrganisation } from "../person/person.rules.ts";
import { normaliseSearch } from "../search.ts";
import { peopleIdsByEmail } from "./import.queries.ts";
import { allMunicipalities, municipalityCodeIn, organisationByKey, personByKey, type KeyReads } from "./natural-keys.ts";

/**
 * People from a spreadsheet (docs/IMPORT.md): the organisation by business
 * ID or name (narrowed by the municipality column), the person by e-mail,
 * else by name within that organisation; created or changed through
 * `CreatePersonInput` / `UpdatePersonInput` and the county rule of
 * `createPerson` / `updatePerson` (the organisation's county).
 *
 * Chunked (`prepare`): the organisations and people a chunk's rows name are
 * read (the people locked) in a few queries; a row finds the people earlier
 * rows of its chunk created or changed; the chunk is flushed once.
 */

/** A chunk's organisations and people: those its rows name, and the people its rows created or changed. */
interface ChunkIndex {
  organisations: Map<string, Organisation>;
  byBusinessId: Map<string, Organisation>;
  organisationsNamed: Map<string, Organisation[]>;
  /** Municipality codes of the named organisations, by organisation id. */
  municipalities: Map<string, Set<string>>;
  byEmail: Map<string, Person[]>;
  /** People by `${nameNormalised}|${organisationId}`. */
  byName: Map<string, Person[]>;
}

const personKey = (nameNormalised: string, organisationId: string | null) => `${nameNormalised}|${organisationId ?? ""}`;

function indexPerson(index: ChunkIndex, person: Person): void {
  if (person.email) index.byEmail.set(person.email.toLowerCase(), [...(index.byEmail.get(person.email.toLowerCase()) ?? []).filter((p) => p !== person), person]);
  const key = personKey(person.nameNormalised, person.organisationId);
  index.byName.set(key, [...(index.byName.get(key) ?? []).filter((p) => p !== person), person]);
}

function unindexPerson(index: ChunkIndex, person: Person): void {
  if (person.email) index.byEmail.set(person.email.toLowerCase(), (index.byEmail.get(person.email.toLowerCase()) ?? []).filter((p) => p !== person));
  const key = personKey(person.nameNormalised, person.organisationId);
  index.byName.set(key, (index.byName.get(key) ?? []).filter((p) => p !== person));
}

const chunkOf = (context: ImportRowContext): ChunkIndex => chunkReads<ChunkIndex>(context.chunk, "people");

/** `organisationByKey`'s and `personByKey`'s reads from the chunk's index. */
function keyReads(index: ChunkIndex, municipalities: Awaited<ReturnType<typeof allMunicipalities>>): KeyReads {
  return {
    organisationByBusinessId: async (businessId) => index.byBusinessId.get(businessId) ?? null,
    organisationsNamed: async (nameNormalised) => index.organisationsNamed.get(nameNormalised) ?? [],
    municipalityCode: async (text, column) => municipalityCodeIn(municipalities, text, column),
    linkedTo: async (ids, code) => new Set(ids.filter((id) => index.municipalities.get(id)?.has(code))),
    peopleByEmail: async (email) => (index.byEmail.get(email.toLowerCase()) ?? []).slice(0, 2),
    peopleNamed: async (nameNormalised, organisationId) => (index.byName.get(personKey(nameNormalised, organisationId)) ?? []).slice(0, 2),
  };
}

async function municipalitiesOf(tx: EntityManager, memo: Map<string, unknown>) {
  let all = memo.get("municipalities") as Awaited<ReturnType<typeof allMunicipalities>> | undefined;
  if (!all) memo.set("municipalities", (all = await allMunicipalities(tx)));
  return all;
}

const COLUMN_OF: Record<string, string> = {
  "input.name": "name",
  "input.title": "title",
  "input.organisationId": "organisation",
  "input.email": "email",
  "input.phone": "phone",
  organisationId: "organisation",
};

/** Personal values in the report only for a caller who may read them. */
const PERSONAL = new Set(["email", "phone"]);

export const personImport: ImportKindHandler = {
  columnOf: COLUMN_OF,
  fallbackColumn: "organisation",
  async prepare(tx, rows, { memo, chunk }) {
    await municipalitiesOf(tx, memo);
    const cells = [...new Set(rows.map((v) => v["organisation"]?.trim() ?? "").filter((c) => c !== ""))];
    const businessIds = cells.filter((c) => /^\d{7}-\d$/.test(c));
    const names = [...new Set(cells.filter((c) => !/^\d{7}-\d$/.test(c)).map((c) => normaliseSearch(c)))];
    const organisations = [
      ...(businessIds.length ? await tx.find(Organisation, { businessId: { $in: businessIds } }) : []),
      ...(names.length ? await tx.find(Organisation, { nameNormalised: { $in: names }, mergedInto: null }, { orderBy: { id: "asc" } }) : []),
    ];
    const index: ChunkIndex = { organisations: new Map(), byBusinessId: new Map(), organisationsNamed: new Map(), municipalities: new Map(), byEmail: new Map(), byName: new Map() };
    for (const o of organisations) {
      if (index.organisations.has(o.id)) continue;
      index.organisations.set(o.id, o);
      if (o.businessId) index.byBusinessId.set(o.businessId, o);
      if (!o.mergedInto) index.organisationsNamed.set(o.nameNormalised, [...(index.organisationsNamed.get(o.nameNormalised) ?? []), o]);
    }
    if (organisations.length && rows.some((v) => v["municipality"]?.trim())) {
      const links = await tx.find(OrganisationMunicipality, { organisationId: { $in: [...index.organisations.keys()] } }, { disableIdentityMap: true });
      for (const l of links) index.municipalities.set(l.organisationId, (index.municipalities.get(l.organisationId) ?? new Set()).add(l.municipalityCode));
    }
    // The people the rows may name: by e-mail (letter case aside) and by name; locked as read, as `updatePerson` locks before it reads.
    const emails = [...new Set(rows.map((v) => v["email"]?.trim().toLowerCase() ?? "").filter((e) => e !== ""))];
    const personNames = [...new Set(rows.map((v) => normaliseSearch(v["name"] ?? "")).filter((n) => n !== ""))];
    const ids = new Set<string>();
    for (const id of await peopleIdsByEmail(tx, emails)) ids.add(id);
    const people = [
      ...(ids.size ? await tx.find(Person, { id: { $in: [...ids] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: "asc" } }) : []),
      ...(personNames.length ? await tx.find(Person, { nameNormalised: { $in: personNames } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: "asc" } }) : []),
    ];
    for (const person of new Set(people)) indexPerson(index, person);
    // The organisations of the people found, for the county rule.
    const missing = [...new Set(people.map((p) => p.organisationId).filter((id): id is string => id !== null && !index.organisations.has(id)))];
    if (missing.length) for (const o of await tx.find(Organisation, { id: { $in: missing } })) index.organisations.set(o.id, o);
    chunk.set("people", index);
  },
  async handle(tx, v, context) {
    const { viewer } = context;
    const index = chunkOf(context);
    const reads = keyReads(index, await municipalitiesOf(tx, context.memo));
    const organisationOf = async (id: string) => index.organisations.get(id) ?? null;
    const name = (v["name"] ?? "").trim();
    if (!name) refuse("name", "must not be blank");
    const organisationText = v["organisation"]?.trim();
    const organisation = organisationText
      ? await organisationByKey(tx, organisationText, "organisation", { municipality: v["municipality"], municipalityColumn: "municipality" }, reads)
      : null;
    const key = `${name}${organisation ? ` (${organisation.name})` : ""}`;
    const fields: Record<string, string | null> = { name };
    const optional = (column: string) => (v[column] === undefined ? undefined : v[column]!.trim() || null);
    for (const column of ["title", "email", "phone"]) {
      const value = optional(column);
      if (value !== undefined) fields[column] = value;
    }
    if (v["organisation"] !== undefined) fields["organisationId"] = organisation?.id ?? null;
    const existing = await personByKey(tx, { name, email: fields["email"], organisationId: organisation?.id ?? null }, { name: "name", email: "email" }, reads);
    if (!existing) {
      const input = Object.assign(new CreatePersonInput(), fields);
      await validateInput(input, COLUMN_OF, "name");
      assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "organisationId", organisationOf));
      const person = tx.create(Person, {
        id: `person-${randomUUID()}`,
        name,
        nameNormalised: normaliseSearch(name),
        title: input.title ?? null,
        organisationId: input.organisationId ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
      });
      indexPerson(index, person);
      context.stageProvenance("Person", person.id);
      return { status: "created", key, id: person.id };
    }
    assertCanWriteCounty(viewer, await countyOfOrganisation(tx, existing.organisationId, "organisationId", organisationOf));
    const current: Record<string, unknown> = { name: existing.name, title: existing.title, email: existing.email, phone: existing.phone, organisationId: existing.organisationId };
    const changed: Record<string, string | null> = {};
    const changes: FieldChange[] = [];
    const readsContacts = viewer.scopes.has(Scope.ContactsRead);
    for (const [field, after] of Object.entries(fields)) {
      if (sameValue(current[field], after)) continue;
      changed[field] = after;
      const column = COLUMN_OF[`input.${field}`] ?? field;
      const hidden = PERSONAL.has(field) && !readsContacts;
      changes.push({ field: column, before: hidden ? "(personal data)" : (current[field] ?? null), after: hidden ? "(personal data)" : after });
    }
    if (changes.length === 0) return { status: "unchanged", key, id: existing.id };
    const input = Object.assign(new UpdatePersonInput(), changed);
    await validateInput(input, COLUMN_OF, "name");
    // Locked by `prepare`'s read.
    const person = existing;
    if (input.organisationId !== undefined) assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "input.organisationId", organisationOf));
    unindexPerson(index, person);
    if (input.name) {
      person.name = input.name.trim();
      person.nameNormalised = normaliseSearch(person.name);
    }
    if (input.title !== undefined) person.title = input.title;
    if (input.organisationId !== undefined) person.organisationId = input.organisationId;
    if (input.email !== undefined) person.email = input.email;
    if (input.phone !== undefined) person.phone = input.phone;
    indexPerson(index, person);
    context.stageProvenance("Person", person.id);
    return { status: "updated", key, id: person.id, changes };
  },
};
