import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, chunkReads, refuse, sameValue, validateInput, type FieldChange, type ImportKindHandler, type ImportRowContext } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { County } from "../county/county.entity.ts";
import type { Municipality } from "../municipality/municipality.entity.ts";
import { classificationYears } from "../municipality/municipality.queries.ts";
import { Organisation, OrganisationCategoryAssignment, OrganisationKind, OrganisationMunicipality } from "../organisation/organisation.entity.ts";
import { CreateOrganisationInput, UpdateOrganisationInput } from "../organisation/organisation.input.ts";
import { auditLinks, linksOf, type OrganisationLinks } from "../organisation/organisation-links-audit.ts";
import { setNames } from "../organisation/organisation.writes.ts";
import { checkOrganisationReferences, type OrganisationReferenceReads } from "../organisation/organisation.rules.ts";
import { normaliseSearch } from "../search.ts";
import { allMunicipalities, municipalityCodeIn } from "./natural-keys.ts";

/**
 * Organisations from a spreadsheet (docs/IMPORT.md): matched by business ID,
 * else by name in the row's county; created or changed through the same
 * input classes (`CreateOrganisationInput`, `UpdateOrganisationInput`) and
 * rules (`checkOrganisationReferences`, the county role) as
 * `createOrganisation` and `updateOrganisation`.
 *
 * Chunked (`prepare`): the organisations a chunk's rows name by business ID
 * or by name and county are read (and locked) in two queries, with their
 * link lists; municipalities, categories and counties once per file. A row
 * finds what earlier rows of its chunk created or changed in those indexes,
 * and the chunk is flushed once, its links written in one delete and one
 * insert per link table.
 */

/** Column key of each input field the rules name. */
const COLUMN_OF: Record<string, string> = {
  "input.name": "name",
  "input.kind": "kind",
  "input.businessId": "businessId",
  "input.countyCode": "county",
  "input.municipalityCodes": "municipalities",
  "input.categoryIds": "categories",
  "input.otherNames": "otherNames",
  "input.website": "website",
};

/** Splits a list cell (`;`, `,` or a line break between items). */
export function listCell(text: string, separators = /[;\n]/): string[] {
  return text.split(separators).map((s) => s.trim()).filter((s) => s !== "");
}

/** An enum cell: its value in any letter case, spaces or hyphens for underscores. */
export function enumCell<T extends string>(values: Record<string, T>, text: string, column: string): T {
  const wanted = text.trim().toLowerCase().replace(/[ -]/g, "_");
  const found = Object.values(values).find((v) => v === wanted);
  if (!found) refuse(column, `must be one of ${Object.values(values).join(", ")}`);
  return found;
}

/** What the row states, field by field (only the columns the file has). */
interface OrganisationFields {
  name: string;
  kind?: OrganisationKind;
  businessId?: string | null;
  countyCode?: string | null;
  municipalityCodes?: string[];
  categoryIds?: string[];
  otherNames?: string[];
  website?: string | null;
}

const optional = (text: string | undefined): string | null | undefined => (text === undefined ? undefined : text.trim() || null);

/** Read once per file: the tables a row's cells and the reference rules look values up in (none of them changes during an import). */
interface FileLookups {
  currentYear: number;
  municipalities: Municipality[];
  counties: Map<string, County>;
  categories: OrganisationCategory[];
}

async function lookupsOf(tx: EntityManager, memo: Map<string, unknown>): Promise<FileLookups> {
  let lookups = memo.get("organisations") as FileLookups | undefined;
  if (!lookups) {
    // As the service's start-up reads it: the latest classification year not in the future.
    const years = await classificationYears(tx);
    const thisYear = new Date().getFullYear();
    const [municipalities, counties, categories] = [
      await allMunicipalities(tx),
      await tx.find(County, {}, { disableIdentityMap: true }),
      await tx.find(OrganisationCategory, {}, { disableIdentityMap: true }),
    ];
    lookups = {
      currentYear: [...years].reverse().find((y) => y <= thisYear) ?? years.at(-1) ?? thisYear,
      municipalities,
      counties: new Map(counties.map((c) => [c.code, c])),
      categories,
    };
    memo.set("organisations", lookups);
  }
  return lookups;
}

/** A chunk's organisations: those its rows name (as the database has them when the chunk begins) and those its rows created or changed. */
interface ChunkIndex {
  byBusinessId: Map<string, Organisation>;
  /** Organisations not merged, by `nameKey`. */
  byName: Map<string, Organisation[]>;
  /** Each indexed organisation's link lists as they stand (read, or as a row of the chunk set them). */
  links: Map<string, OrganisationLinks>;
  /** The link lists as they were before the chunk, for the audit of an organisation two rows change. */
  linksBefore: Map<string, OrganisationLinks | null>;
  /** Link lists to write after the chunk's flush, and whether the organisation is new (nothing to delete). */
  pendingLinks: Map<string, { links: OrganisationLinks; created: boolean }>;
}

const nameKey = (nameNormalised: string, countyCode: string | null) => `${nameNormalised}|${countyCode ?? ""}`;

const chunkOf = (context: ImportRowContext): ChunkIndex => chunkReads<ChunkIndex>(context.chunk, "organisations");

function indexOrganisation(index: ChunkIndex, organisation: Organisation): void {
  if (organisation.businessId) index.byBusinessId.set(organisation.businessId, organisation);
  if (organisation.mergedInto) return;
  const key = nameKey(organisation.nameNormalised, organisation.countyCode);
  const list = index.byName.get(key) ?? [];
  if (!list.includes(organisation)) list.push(organisation);
  index.byName.set(key, list);
}

function unindexOrganisation(index: ChunkIndex, organisation: Organisation): void {
  if (organisation.businessId && index.byBusinessId.get(organisation.businessId) === organisation) index.byBusinessId.delete(organisation.businessId);
  const key = nameKey(organisation.nameNormalised, organisation.countyCode);
  const list = index.byName.get(key);
  if (list) index.byName.set(key, list.filter((o) => o !== organisation));
}

/** `checkOrganisationReferences`' reads, answered from the file's lookups and the chunk's index. */
function referenceReads(lookups: FileLookups, index: ChunkIndex): OrganisationReferenceReads {
  return {
    county: async (code) => lookups.counties.get(code) ?? null,
    municipalities: async (codes, year) => lookups.municipalities.filter((m) => m.year === year && codes.includes(m.code)),
    organisationByBusinessId: async (businessId) => index.byBusinessId.get(businessId) ?? null,
    categories: async (ids) => lookups.categories.filter((c) => ids.includes(c.id)),
  };
}

function fieldsOf(lookups: FileLookups, v: Record<string, string>, countyOfRecord: string | null): OrganisationFields {
  const fields: OrganisationFields = { name: (v["name"] ?? "").trim() };
  if (v["kind"] !== undefined && v["kind"].trim() !== "") fields.kind = enumCell(OrganisationKind, v["kind"], "kind");
  if (v["businessId"] !== undefined) fields.businessId = optional(v["businessId"]);
  if (v["county"] !== undefined) fields.countyCode = optional(v["county"]);
  if (v["municipalities"] !== undefined) {
    const codes: string[] = [];
    for (const item of listCell(v["municipalities"], /[;,\n]/)) codes.push(municipalityCodeIn(lookups.municipalities, item, "municipalities"));
    fields.municipalityCodes = [...new Set(codes)].sort();
  }
  if (v["categories"] !== undefined) {
    const names = listCell(v["categories"]);
    const countyCode = fields.countyCode !== undefined ? fields.countyCode : countyOfRecord;
    const categories = names.length && countyCode ? lookups.categories.filter((c) => c.countyCode === countyCode) : [];
    const ids: string[] = [];
    for (const name of names) {
      const found = categories.find((c) => c.nameNormalised === normaliseSearch(name) || c.id === name);
      if (!found) refuse("categories", `no category "${name}" in county ${countyCode ?? "(none)"}`, "NOT_FOUND");
      ids.push(found.id);
    }
    fields.categoryIds = [...new Set(ids)].sort();
  }
  if (v["otherNames"] !== undefined) fields.otherNames = listCell(v["otherNames"]);
  if (v["website"] !== undefined) fields.website = optional(v["website"]);
  return fields;
}

/** The organisation a row names: by business ID, else by name in its county (the business IDs must not disagree). */
function match(index: ChunkIndex, v: Record<string, string>): Organisation | null {
  const businessId = v["businessId"]?.trim();
  if (businessId) {
    const found = index.byBusinessId.get(businessId);
    if (found) return found;
  }
  const countyCode = v["county"]?.trim() || null;
  const same = index.byName.get(nameKey(normaliseSearch(v["name"] ?? ""), countyCode)) ?? [];
  const candidates = same.filter((o) => !businessId || o.businessId === null);
  if (candidates.length > 1) {
    refuse("name", `ambiguous: ${candidates.length} organisations of county ${countyCode ?? "(none)"} are named "${v["name"]?.trim()}"; give the business ID`, "AMBIGUOUS");
  }
  return candidates[0] ?? null;
}

/** Registers a row's new link lists: audited with the chunk's flush, written after it. */
function stageLinks(tx: EntityManager, index: ChunkIndex, organisation: Organisation, created: boolean, after: OrganisationLinks): void {
  if (Object.keys(after).length === 0) return;
  if (!index.linksBefore.has(organisation.id)) index.linksBefore.set(organisation.id, created ? null : { ...(index.links.get(organisation.id) ?? {}) });
  const pending = index.pendingLinks.get(organisation.id) ?? { links: {}, created };
  Object.assign(pending.links, after);
  index.pendingLinks.set(organisation.id, pending);
  index.links.set(organisation.id, { ...(index.links.get(organisation.id) ?? {}), ...after });
  auditLinks(tx, organisation, index.linksBefore.get(organisation.id) ?? null, pending.links);
}

export const organisationImport: ImportKindHandler = {
  columnOf: COLUMN_OF,
  fallbackColumn: "county",
  async prepare(tx, rows, { memo, chunk }) {
    await lookupsOf(tx, memo);
    const businessIds = [...new Set(rows.map((v) => v["businessId"]?.trim() ?? "").filter((b) => b !== ""))];
    const names = [...new Set(rows.map((v) => normaliseSearch(v["name"] ?? "")).filter((n) => n !== ""))];
    // Locked as read: the rows' comparison and their writes see the same values (as `updateOrganisation` locks before it reads).
    const lock = { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: "asc" } } as const;
    const found = [
      ...(businessIds.length ? await tx.find(Organisation, { businessId: { $in: businessIds } }, lock) : []),
      ...(names.length ? await tx.find(Organisation, { nameNormalised: { $in: names }, mergedInto: null }, lock) : []),
    ];
    const index: ChunkIndex = { byBusinessId: new Map(), byName: new Map(), links: new Map(), linksBefore: new Map(), pendingLinks: new Map() };
    for (const organisation of new Set(found)) indexOrganisation(index, organisation);
    const ids = [...new Set(found.map((o) => o.id))];
    const columns = new Set(rows.flatMap((v) => Object.keys(v)));
    for (const id of ids) index.links.set(id, {});
    if (ids.length && columns.has("municipalities")) {
      const links = await tx.find(OrganisationMunicipality, { organisationId: { $in: ids } }, { orderBy: { municipalityCode: "asc" }, disableIdentityMap: true });
      for (const id of ids) index.links.get(id)!.municipalityCodes = [];
      for (const l of links) index.links.get(l.organisationId)!.municipalityCodes!.push(l.municipalityCode);
    }
    if (ids.length && columns.has("categories")) {
      const links = await tx.find(OrganisationCategoryAssignment, { organisationId: { $in: ids } }, { orderBy: { categoryId: "asc" }, disableIdentityMap: true });
      for (const id of ids) index.links.get(id)!.categoryIds = [];
      for (const l of links) index.links.get(l.organisationId)!.categoryIds!.push(l.categoryId);
    }
    chunk.set("organisations", index);
  },
  async afterFlush(tx, { chunk }) {
    const index = chunkOf({ chunk } as ImportRowContext);
    const pending = [...index.pendingLinks];
    const write = async <T extends object>(entity: new () => T, field: keyof OrganisationLinks, row: (organisationId: string, value: string) => T) => {
      const given = pending.filter(([, p]) => p.links[field] !== undefined);
      const replaced = given.filter(([, p]) => !p.created).map(([id]) => id);
      if (replaced.length) await tx.nativeDelete(entity, { organisationId: { $in: replaced } } as never);
      const rows = given.flatMap(([id, p]) => [...new Set(p.links[field])].map((value) => row(id, value)));
      if (rows.length) await tx.insertMany(entity, rows);
    };
    await write(OrganisationMunicipality, "municipalityCodes", (organisationId, municipalityCode) => Object.assign(new OrganisationMunicipality(), { organisationId, municipalityCode }));
    await write(OrganisationCategoryAssignment, "categoryIds", (organisationId, categoryId) => Object.assign(new OrganisationCategoryAssignment(), { organisationId, categoryId }));
  },
  async handle(tx, v, context) {
    const { viewer, memo } = context;
    const key = v["businessId"]?.trim() || v["name"]?.trim() || "";
    if (!v["name"]?.trim()) refuse("name", "must not be blank");
    const index = chunkOf(context);
    const lookups = await lookupsOf(tx, memo);
    const reads = referenceReads(lookups, index);
    const existing = match(index, v);
    const currentYear = lookups.currentYear;
    if (!existing) {
      const fields = fieldsOf(lookups, v, null);
      if (!fields.kind) refuse("kind", "is required for a new organisation");
      const input = Object.assign(new CreateOrganisationInput(), fields);
      await validateInput(input, COLUMN_OF, "name");
      assertCanWriteCounty(viewer, input.countyCode ?? null);
      await checkOrganisationReferences(tx, input, null, currentYear, viewer, reads);
      const organisation = tx.create(Organisation, {
        id: `org-${randomUUID()}`,
        name: input.name.trim(),
        otherNames: input.otherNames ?? [],
        kind: input.kind,
        businessId: input.businessId ?? null,
        parentId: null,
        countyCode: input.countyCode ?? null,
        website: input.website ?? null,
        nameNormalised: "",
        searchText: "",
      });
      setNames(organisation);
      indexOrganisation(index, organisation);
      index.links.set(organisation.id, {});
      stageLinks(tx, index, organisation, true, linksOf(input));
      context.stageProvenance("Organisation", organisation.id);
      return { status: "created", key, id: organisation.id };
    }
    assertCanWriteCounty(viewer, existing.countyCode);
    const fields = fieldsOf(lookups, v, existing.countyCode);
    const links = index.links.get(existing.id) ?? {};
    const current: Record<string, unknown> = {
      name: existing.name,
      kind: existing.kind,
      businessId: existing.businessId,
      countyCode: existing.countyCode,
      municipalityCodes: links.municipalityCodes,
      categoryIds: links.categoryIds,
      otherNames: existing.otherNames,
      website: existing.website,
    };
    const changed: Record<string, unknown> = {};
    const changes: FieldChange[] = [];
    for (const [field, after] of Object.entries(fields)) {
      if (after === undefined || sameValue(current[field], after)) continue;
      changed[field] = after;
      changes.push({ field: COLUMN_OF[`input.${field}`] ?? field, before: current[field] ?? null, after });
    }
    if (changes.length === 0) return { status: "unchanged", key, id: existing.id };
    const input = Object.assign(new UpdateOrganisationInput(), changed);
    await validateInput(input, COLUMN_OF, "name");
    // Locked by `prepare`'s read.
    const organisation = existing;
    if (input.countyCode !== undefined) assertCanWriteCounty(viewer, input.countyCode ?? null);
    await checkOrganisationReferences(tx, input, organisation, currentYear, viewer, reads);
    unindexOrganisation(index, organisation);
    if (input.name) organisation.name = input.name.trim();
    if (input.kind) organisation.kind = input.kind;
    if (input.otherNames !== undefined) organisation.otherNames = input.otherNames ?? [];
    if (input.businessId !== undefined) organisation.businessId = input.businessId;
    if (input.countyCode !== undefined) organisation.countyCode = input.countyCode;
    if (input.website !== undefined) organisation.website = input.website;
    setNames(organisation);
    indexOrganisation(index, organisation);
    stageLinks(tx, index, organisation, false, linksOf(input));
    context.stageProvenance("Organisation", organisation.id);
    return { status: "updated", key, id: organisation.id, changes };
  },
};
