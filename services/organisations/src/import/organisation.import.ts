import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, refuse, sameValue, validateInput, writeProvenance, type FieldChange, type ImportKindHandler } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { classificationYears } from "../municipality/municipality.queries.ts";
import { Organisation, OrganisationKind } from "../organisation/organisation.entity.ts";
import { CreateOrganisationInput, UpdateOrganisationInput } from "../organisation/organisation.input.ts";
import { auditLinks, linksOf, readLinks } from "../organisation/organisation-links-audit.ts";
import { setNames, writeLinks } from "../organisation/organisation.writes.ts";
import { checkOrganisationReferences } from "../organisation/organisation.rules.ts";
import { normaliseSearch } from "../search.ts";
import { municipalityCodeOf } from "./natural-keys.ts";

/**
 * Organisations from a spreadsheet (docs/IMPORT.md): matched by business ID,
 * else by name in the row's county; created or changed through the same
 * input classes (`CreateOrganisationInput`, `UpdateOrganisationInput`) and
 * rules (`checkOrganisationReferences`, the county role) as
 * `createOrganisation` and `updateOrganisation`.
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

async function fieldsOf(tx: EntityManager, v: Record<string, string>, countyOfRecord: string | null): Promise<OrganisationFields> {
  const fields: OrganisationFields = { name: (v["name"] ?? "").trim() };
  if (v["kind"] !== undefined && v["kind"].trim() !== "") fields.kind = enumCell(OrganisationKind, v["kind"], "kind");
  if (v["businessId"] !== undefined) fields.businessId = optional(v["businessId"]);
  if (v["county"] !== undefined) fields.countyCode = optional(v["county"]);
  if (v["municipalities"] !== undefined) {
    const codes: string[] = [];
    for (const item of listCell(v["municipalities"], /[;,\n]/)) codes.push(await municipalityCodeOf(tx, item, "municipalities"));
    fields.municipalityCodes = [...new Set(codes)].sort();
  }
  if (v["categories"] !== undefined) {
    const names = listCell(v["categories"]);
    const countyCode = fields.countyCode !== undefined ? fields.countyCode : countyOfRecord;
    const categories = names.length && countyCode ? await tx.find(OrganisationCategory, { countyCode }) : [];
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
async function match(tx: EntityManager, v: Record<string, string>): Promise<Organisation | null> {
  const businessId = v["businessId"]?.trim();
  if (businessId) {
    const found = await tx.findOne(Organisation, { businessId });
    if (found) return found;
  }
  const countyCode = v["county"]?.trim() || null;
  const same = await tx.find(Organisation, { nameNormalised: normaliseSearch(v["name"] ?? ""), countyCode, mergedInto: null }, { limit: 3 });
  const candidates = same.filter((o) => !businessId || o.businessId === null);
  if (candidates.length > 1) {
    refuse("name", `ambiguous: ${candidates.length} organisations of county ${countyCode ?? "(none)"} are named "${v["name"]?.trim()}"; give the business ID`, "AMBIGUOUS");
  }
  return candidates[0] ?? null;
}

export const organisationImport: ImportKindHandler = {
  columnOf: COLUMN_OF,
  fallbackColumn: "county",
  async handle(tx, v, { viewer, provenance, memo }) {
    const key = v["businessId"]?.trim() || v["name"]?.trim() || "";
    if (!v["name"]?.trim()) refuse("name", "must not be blank");
    const existing = await match(tx, v);
    if (!memo.has("currentYear")) {
      // As the service's start-up reads it: the latest classification year not in the future.
      const years = await classificationYears(tx);
      const thisYear = new Date().getFullYear();
      memo.set("currentYear", [...years].reverse().find((y) => y <= thisYear) ?? years.at(-1) ?? thisYear);
    }
    const currentYear = memo.get("currentYear") as number;
    if (!existing) {
      const fields = await fieldsOf(tx, v, null);
      if (!fields.kind) refuse("kind", "is required for a new organisation");
      const input = Object.assign(new CreateOrganisationInput(), fields);
      await validateInput(input, COLUMN_OF, "name");
      assertCanWriteCounty(viewer, input.countyCode ?? null);
      await checkOrganisationReferences(tx, input, null, currentYear, viewer);
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
      auditLinks(tx, organisation, null, linksOf(input));
      await tx.flush();
      await writeLinks(tx, organisation.id, input);
      await writeProvenance(tx, "Organisation", organisation.id, provenance);
      return { status: "created", key, id: organisation.id };
    }
    assertCanWriteCounty(viewer, existing.countyCode);
    const fields = await fieldsOf(tx, v, existing.countyCode);
    const links = await readLinks(tx, existing.id, { municipalityCodes: fields.municipalityCodes, categoryIds: fields.categoryIds } as never);
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
    const organisation = await tx.findOneOrFail(Organisation, { id: existing.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (input.countyCode !== undefined) assertCanWriteCounty(viewer, input.countyCode ?? null);
    await checkOrganisationReferences(tx, input, organisation, currentYear, viewer);
    if (input.name) organisation.name = input.name.trim();
    if (input.kind) organisation.kind = input.kind;
    if (input.otherNames !== undefined) organisation.otherNames = input.otherNames ?? [];
    if (input.businessId !== undefined) organisation.businessId = input.businessId;
    if (input.countyCode !== undefined) organisation.countyCode = input.countyCode;
    if (input.website !== undefined) organisation.website = input.website;
    setNames(organisation);
    auditLinks(tx, organisation, await readLinks(tx, organisation.id, input), linksOf(input));
    await tx.flush();
    await writeLinks(tx, organisation.id, input);
    await writeProvenance(tx, "Organisation", organisation.id, provenance);
    return { status: "updated", key, id: organisation.id, changes };
  },
};
