import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import { assertCanWriteCounty, refuse, sameValue, Scope, validateInput, writeProvenance, type FieldChange, type ImportKindHandler } from "@yhdyspinta/core";
import { Person } from "../person/person.entity.ts";
import { CreatePersonInput, UpdatePersonInput } from "../person/person.input.ts";
import { countyOfOrganisation } from "../person/person.rules.ts";
import { normaliseSearch } from "../search.ts";
import { organisationByKey, personByKey } from "./natural-keys.ts";

/**
 * People from a spreadsheet (docs/IMPORT.md): the organisation by business
 * ID or name (narrowed by the municipality column), the person by e-mail,
 * else by name within that organisation; created or changed through
 * `CreatePersonInput` / `UpdatePersonInput` and the county rule of
 * `createPerson` / `updatePerson` (the organisation's county).
 */

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
  async handle(tx, v, { viewer, provenance }) {
    const name = (v["name"] ?? "").trim();
    if (!name) refuse("name", "must not be blank");
    const organisationText = v["organisation"]?.trim();
    const organisation = organisationText
      ? await organisationByKey(tx, organisationText, "organisation", { municipality: v["municipality"], municipalityColumn: "municipality" })
      : null;
    const key = `${name}${organisation ? ` (${organisation.name})` : ""}`;
    const fields: Record<string, string | null> = { name };
    const optional = (column: string) => (v[column] === undefined ? undefined : v[column]!.trim() || null);
    for (const column of ["title", "email", "phone"]) {
      const value = optional(column);
      if (value !== undefined) fields[column] = value;
    }
    if (v["organisation"] !== undefined) fields["organisationId"] = organisation?.id ?? null;
    const existing = await personByKey(tx, { name, email: fields["email"], organisationId: organisation?.id ?? null }, { name: "name", email: "email" });
    if (!existing) {
      const input = Object.assign(new CreatePersonInput(), fields);
      await validateInput(input, COLUMN_OF, "name");
      assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "organisationId"));
      const person = tx.create(Person, {
        id: `person-${randomUUID()}`,
        name,
        nameNormalised: normaliseSearch(name),
        title: input.title ?? null,
        organisationId: input.organisationId ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
      });
      await tx.flush();
      await writeProvenance(tx, "Person", person.id, provenance);
      return { status: "created", key, id: person.id };
    }
    assertCanWriteCounty(viewer, await countyOfOrganisation(tx, existing.organisationId, "organisationId"));
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
    const person = await tx.findOneOrFail(Person, { id: existing.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (input.organisationId !== undefined) assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "input.organisationId"));
    if (input.name) {
      person.name = input.name.trim();
      person.nameNormalised = normaliseSearch(person.name);
    }
    if (input.title !== undefined) person.title = input.title;
    if (input.organisationId !== undefined) person.organisationId = input.organisationId;
    if (input.email !== undefined) person.email = input.email;
    if (input.phone !== undefined) person.phone = input.phone;
    await tx.flush();
    await writeProvenance(tx, "Person", person.id, provenance);
    return { status: "updated", key, id: person.id, changes };
  },
};
