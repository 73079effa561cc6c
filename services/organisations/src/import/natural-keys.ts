import type { EntityManager } from "@mikro-orm/postgresql";
import { refuse } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { Organisation, OrganisationMunicipality } from "../organisation/organisation.entity.ts";
import { Person } from "../person/person.entity.ts";
import { normaliseSearch } from "../search.ts";

/**
 * The natural keys people use for this subgraph's records in spreadsheets
 * (docs/IMPORT.md), never internal ids: an organisation by its business ID,
 * else by name (within a municipality or county when given); a person by
 * e-mail, else by name within their organisation. More than one match is
 * refused as AMBIGUOUS naming the column, never guessed. Pass the
 * transaction's EntityManager.
 */

const BUSINESS_ID = /^\d{7}-\d$/;

/** Code of a municipality given by code or by Finnish or Swedish name (current or any classification year). */
export async function municipalityCodeOf(tx: EntityManager, text: string, column: string): Promise<string> {
  const value = text.trim();
  if (/^\d{1,3}$/.test(value)) return value.padStart(3, "0");
  const rows = await tx.find(Municipality, { $or: [{ nameFi: { $ilike: value } }, { nameSv: { $ilike: value } }] }, { orderBy: { year: "desc" } });
  return codeOfNamed(rows, value, column);
}

/** The code of the municipality `value` names among `rows` (those whose name is `value`, letter case aside). */
function codeOfNamed(rows: readonly Municipality[], value: string, column: string): string {
  const wanted = normaliseSearch(value);
  const codes = [...new Set(rows.filter((m) => normaliseSearch(m.nameFi) === wanted || normaliseSearch(m.nameSv) === wanted).map((m) => m.code))];
  if (codes.length === 0) refuse(column, `no municipality "${value}"`, "NOT_FOUND");
  if (codes.length > 1) refuse(column, `ambiguous: "${value}" names municipalities ${codes.join(", ")}; give the code`, "AMBIGUOUS");
  return codes[0]!;
}

/** Every municipality of every classification year, newest first: `municipalityCodeIn`'s rows, read once per import. */
export async function allMunicipalities(tx: EntityManager): Promise<Municipality[]> {
  return await tx.find(Municipality, {}, { orderBy: { year: "desc", code: "asc" }, disableIdentityMap: true });
}

/** `municipalityCodeOf` on rows read beforehand (`allMunicipalities`), without a query. */
export function municipalityCodeIn(all: readonly Municipality[], text: string, column: string): string {
  const value = text.trim();
  if (/^\d{1,3}$/.test(value)) return value.padStart(3, "0");
  const lower = value.toLowerCase();
  return codeOfNamed(all.filter((m) => m.nameFi.toLowerCase() === lower || m.nameSv.toLowerCase() === lower), value, column);
}

/** What `organisationByKey` and `personByKey` read; the import's chunks answer them from rows fetched for the whole chunk (`keyReadsOf` reads each from the transaction). */
export interface KeyReads {
  organisationByBusinessId(businessId: string): Promise<Organisation | null>;
  /** Organisations not merged with this normalised name, by id. */
  organisationsNamed(nameNormalised: string): Promise<Organisation[]>;
  municipalityCode(text: string, column: string): Promise<string>;
  /** Which of `organisationIds` are linked to the municipality. */
  linkedTo(organisationIds: string[], municipalityCode: string): Promise<Set<string>>;
  /** At most two people with this e-mail address (letter case aside). */
  peopleByEmail(email: string): Promise<Person[]>;
  /** At most two people of this normalised name working for the organisation. */
  peopleNamed(nameNormalised: string, organisationId: string | null): Promise<Person[]>;
}

export function keyReadsOf(tx: EntityManager): KeyReads {
  return {
    organisationByBusinessId: async (businessId) => await tx.findOne(Organisation, { businessId }),
    organisationsNamed: async (nameNormalised) => await tx.find(Organisation, { nameNormalised, mergedInto: null }, { orderBy: { id: "asc" } }),
    municipalityCode: async (text, column) => await municipalityCodeOf(tx, text, column),
    linkedTo: async (organisationIds, municipalityCode) =>
      new Set((await tx.find(OrganisationMunicipality, { organisationId: { $in: organisationIds }, municipalityCode })).map((l) => l.organisationId)),
    peopleByEmail: async (email) => await tx.find(Person, { email: { $ilike: email.replace(/[\\%_]/g, (c) => `\\${c}`) } }, { limit: 2 }),
    peopleNamed: async (nameNormalised, organisationId) => await tx.find(Person, { nameNormalised, organisationId }, { limit: 2 }),
  };
}

/**
 * The organisation a cell names: a business ID (`NNNNNNN-C`) or a name,
 * narrowed to a municipality (code or name) or a county when given.
 */
export async function organisationByKey(
  tx: EntityManager,
  text: string,
  column: string,
  within: { municipality?: string | undefined; municipalityColumn?: string; countyCode?: string | null | undefined } = {},
  reads: KeyReads = keyReadsOf(tx),
): Promise<Organisation> {
  const value = text.trim();
  if (BUSINESS_ID.test(value)) {
    const found = await reads.organisationByBusinessId(value);
    if (!found) refuse(column, `no organisation with business ID ${value}`, "NOT_FOUND");
    return found;
  }
  let candidates = await reads.organisationsNamed(normaliseSearch(value));
  const place: string[] = [];
  if (within.municipality?.trim()) {
    const code = await reads.municipalityCode(within.municipality, within.municipalityColumn ?? column);
    const linked = await reads.linkedTo(candidates.map((o) => o.id), code);
    // A municipality's own organisation may carry no municipality link: the name alone decides then.
    if (linked.size > 0 || candidates.length > 1) candidates = candidates.filter((o) => linked.has(o.id));
    place.push(`in municipality ${code}`);
  } else if (within.countyCode) {
    const inCounty = candidates.filter((o) => o.countyCode === within.countyCode);
    if (inCounty.length > 0) candidates = inCounty;
    place.push(`in county ${within.countyCode}`);
  }
  if (candidates.length === 0) refuse(column, `no organisation named "${value}"${place.length ? ` ${place.join(" ")}` : ""}`, "NOT_FOUND");
  if (candidates.length > 1) {
    refuse(column, `ambiguous: ${candidates.length} organisations are named "${value}"${place.length ? ` ${place.join(" ")}` : ""}; give the business ID or the municipality`, "AMBIGUOUS");
  }
  return candidates[0]!;
}

/** The person a row names: by e-mail when given and known, else by name within the organisation; null when there is none. */
export async function personByKey(
  tx: EntityManager,
  key: { name: string; email?: string | null | undefined; organisationId: string | null },
  columns: { name: string; email: string },
  reads: KeyReads = keyReadsOf(tx),
): Promise<Person | null> {
  const email = key.email?.trim();
  if (email) {
    const byEmail = await reads.peopleByEmail(email);
    if (byEmail.length > 1) refuse(columns.email, "ambiguous: more than one person has this e-mail address", "AMBIGUOUS");
    if (byEmail[0]) return byEmail[0];
  }
  const byName = await reads.peopleNamed(normaliseSearch(key.name), key.organisationId);
  if (byName.length > 1) refuse(columns.name, `ambiguous: more than one person named "${key.name.trim()}" works for this organisation; give the e-mail address`, "AMBIGUOUS");
  return byName[0] ?? null;
}

/** Id of the county's association category a cell names (its name, letter case and spacing aside). */
export async function categoryIdOf(tx: EntityManager, text: string, column: string, countyCode: string | null): Promise<string> {
  const wanted = normaliseSearch(text);
  const found = (await tx.find(OrganisationCategory, { countyCode: countyCode ?? "" }, { disableIdentityMap: true })).filter((c) => c.nameNormalised === wanted);
  if (found.length === 0) refuse(column, `no category "${text.trim()}" in county ${countyCode ?? "(none)"}`, "NOT_FOUND");
  return found[0]!.id;
}
