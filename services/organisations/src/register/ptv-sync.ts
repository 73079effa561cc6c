import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import {
  auditedRow,
  parseAnswer,
  recordChange,
  REGISTERS,
  RegisterAnswerError,
  RegisterFetchError,
  type RegisterClient,
  type RegisterImporter,
  type SyncCounts,
  type SyncRefusal,
  type SyncRun,
} from "@yhdyspinta/core";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { isValidBusinessId } from "../business-id.ts";
import { insertPtvContactPoint, ptvContactPointsForUpdate, ptvOrganisations, type PtvContactRow, type PtvContactWrite, updatePtvContactPoint } from "./ptv.queries.ts";

/**
 * PTV importer (Palvelutietovaranto, the Finnish Service Catalogue, open API
 * v11, no key): `GET ServiceChannel/list/organization?code=<business ID>&page=N`
 * answers `V11VmOpenApiServiceChannelsWithPaging` — `{pageNumber, pageSize,
 * pageCount, itemList}` — whose items are the organisation's service channels
 * of every type. Field names from PTV's v11 OpenAPI models as public
 * generated clients declare them (V11VmOpenApiServiceLocationChannel:
 * `id`, `serviceChannelType`, `organizationId`, `serviceChannelNames
 * [{type, language, value}]`, `addresses` (V9VmOpenApiAddressLocation:
 * `type` Location|Postal, `subType`, `streetAddress {street [{value,
 * language}], streetNumber, postalCode, postOffice [...], municipality
 * {code, name}, latitude, longitude}`, `postOfficeBoxAddress`),
 * `publishingStatus`, `modified`); latitude and longitude are ETRS-TM35FIN
 * (EPSG:3067) northing and easting, not WGS84.
 *
 * Every published service location (type `ServiceLocation`) of an
 * organisation with a business ID becomes one of its contact points, fi/sv,
 * with coordinates and provenance: only those in the municipalities the
 * organisation is linked to, if it is linked to any, and only those PTV
 * modified on or after `since`, if given (the endpoint takes no date, so the
 * filter is on `modified`). A contact point typed by hand with the same name
 * is taken over, not duplicated. A business code PTV does not know (HTTP 404)
 * is refused; anything else that is not the documented shape fails the run.
 */

const languageItem = z.object({ value: z.string().nullable().optional(), language: z.string() });
const localizedItem = languageItem.extend({ type: z.string().nullable().optional() });
const coordinate = z.union([z.string(), z.number()]).nullable().optional();

const streetAddress = z.object({
  street: z.array(languageItem).nullable().optional(),
  streetNumber: z.string().nullable().optional(),
  postalCode: z.string().nullable().optional(),
  postOffice: z.array(languageItem).nullable().optional(),
  municipality: z.object({ code: z.string() }).nullable().optional(),
  latitude: coordinate,
  longitude: coordinate,
});

const address = z.object({
  type: z.string(),
  subType: z.string().nullable().optional(),
  streetAddress: streetAddress.nullable().optional(),
  postOfficeBoxAddress: z
    .object({ postOfficeBox: z.array(languageItem).nullable().optional(), postalCode: z.string().nullable().optional(), postOffice: z.array(languageItem).nullable().optional() })
    .nullable()
    .optional(),
});

export const ptvServiceLocation = z.object({
  id: z.string().min(1),
  serviceChannelType: z.literal("ServiceLocation"),
  organizationId: z.string().nullable().optional(),
  serviceChannelNames: z.array(localizedItem),
  addresses: z.array(address).nullable().optional(),
  publishingStatus: z.string().nullable().optional(),
  modified: z.string().nullable().optional(),
});

export const ptvChannelsPage = z.object({
  pageNumber: z.number().int().min(0),
  pageSize: z.number().int().min(0).nullable().optional(),
  pageCount: z.number().int().min(0),
  itemList: z.array(z.object({ id: z.string(), serviceChannelType: z.string() }).loose()).nullable(),
});

/** The most pages read for one organisation (a loop guard against a register that never ends its pages). */
const MAX_PAGES = 200;

export interface PtvSyncOptions {
  client: RegisterClient;
  /** Only these organisations (ids); default every organisation with a business ID. */
  organisationIds?: readonly string[];
  /** Only service locations PTV modified on or after this day (YYYY-MM-DD). */
  since?: string | null;
}

interface PreparedLocation {
  organisationId: string;
  record: string;
  write: Omit<PtvContactWrite, "fetchedAt" | "syncReportId">;
}

type Location = z.infer<typeof ptvServiceLocation>;

const text = (items: { value?: string | null | undefined; language: string }[] | null | undefined, language: string): string | null =>
  items?.find((i) => i.language === language && i.value?.trim())?.value?.trim() ?? null;

function nameOf(location: Location, language: string): string | null {
  const names = location.serviceChannelNames.filter((n) => n.language === language && n.value?.trim());
  return (names.find((n) => (n.type ?? "Name") === "Name") ?? names[0])?.value?.trim() ?? null;
}

function streetOf(s: z.infer<typeof streetAddress> | null | undefined, language: string): string | null {
  const street = text(s?.street, language);
  return street ? [street, s?.streetNumber?.trim()].filter(Boolean).join(" ") : null;
}

function coordinateOf(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value.replace(",", "."));
  return Number.isFinite(n) ? n : null;
}

function postalOf(a: z.infer<typeof address> | undefined): string | null {
  if (!a) return null;
  if (a.postOfficeBoxAddress) {
    const box = text(a.postOfficeBoxAddress.postOfficeBox, "fi");
    const office = text(a.postOfficeBoxAddress.postOffice, "fi");
    return [box, [a.postOfficeBoxAddress.postalCode, office].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null;
  }
  const s = a.streetAddress;
  const street = streetOf(s, "fi");
  return [street, [s?.postalCode, text(s?.postOffice, "fi")].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null;
}

/** A service location as the contact point's columns, or why it is refused. */
export function mapServiceLocation(location: Location, sourceUrl: string): Omit<PtvContactWrite, "fetchedAt" | "syncReportId"> | { refused: string } {
  const label = nameOf(location, "fi") ?? nameOf(location, "sv") ?? nameOf(location, "en");
  if (!label) return { refused: "the service location has no name in Finnish, Swedish or English" };
  const visiting = location.addresses?.find((a) => a.type === "Location" && a.streetAddress) ?? location.addresses?.find((a) => a.type === "Visiting" && a.streetAddress);
  const postal = location.addresses?.find((a) => a.type === "Postal");
  const s = visiting?.streetAddress ?? null;
  const north = coordinateOf(s?.latitude);
  const east = coordinateOf(s?.longitude);
  return {
    ptvChannelId: location.id,
    label,
    labelSv: nameOf(location, "sv"),
    visitingAddress: streetOf(s, "fi") ?? streetOf(s, "sv"),
    visitingAddressSv: streetOf(s, "sv"),
    postalAddress: postalOf(postal),
    postalCode: s?.postalCode?.trim() || null,
    municipalityCode: s?.municipality?.code ?? null,
    // Both or neither: half a coordinate pair is no location.
    coordinateNorth: north !== null && east !== null ? north : null,
    coordinateEast: north !== null && east !== null ? east : null,
    ptvModified: location.modified ?? null,
    sourceUrl,
  };
}

const CONTENT_KEYS = ["label", "labelSv", "visitingAddress", "visitingAddressSv", "postalAddress", "postalCode", "municipalityCode", "coordinateNorth", "coordinateEast"] as const;

function storedContent(row: PtvContactRow): Record<(typeof CONTENT_KEYS)[number], unknown> {
  return {
    label: row.label,
    labelSv: row.label_sv,
    visitingAddress: row.visiting_address,
    visitingAddressSv: row.visiting_address_sv,
    postalAddress: row.postal_address,
    postalCode: row.postal_code,
    municipalityCode: row.municipality_code,
    coordinateNorth: row.coordinate_north === null ? null : Number(row.coordinate_north),
    coordinateEast: row.coordinate_east === null ? null : Number(row.coordinate_east),
  };
}

/** The columns a write sets on a contact point (the rest stay as stored). */
function writtenColumns(w: PtvContactWrite, register: string): Omit<PtvContactRow, "id" | "organisation_id" | "valid_to" | "registry_email" | "website" | "valid_from"> {
  return {
    ptv_channel_id: w.ptvChannelId, label: w.label, label_sv: w.labelSv, visiting_address: w.visitingAddress, visiting_address_sv: w.visitingAddressSv,
    postal_address: w.postalAddress, postal_code: w.postalCode, municipality_code: w.municipalityCode, coordinate_north: w.coordinateNorth, coordinate_east: w.coordinateEast,
    ptv_modified: w.ptvModified, source_register: register, source_url: w.sourceUrl, fetched_at: w.fetchedAt, sync_report_id: w.syncReportId,
  };
}


const contentOf = (w: Pick<PtvContactWrite, (typeof CONTENT_KEYS)[number]>) => Object.fromEntries(CONTENT_KEYS.map((k) => [k, w[k]])) as Record<(typeof CONTENT_KEYS)[number], unknown>;

export function ptvImporter(options: PtvSyncOptions): RegisterImporter<PreparedLocation[]> {
  const { client } = options;
  const register = REGISTERS.ptv;
  const since = options.since ?? null;
  if (since !== null && !/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new Error("since must be a day YYYY-MM-DD");
  return {
    register,
    client,

    async prepare(em: EntityManager, _run: SyncRun) {
      const refused: SyncRefusal[] = [];
      const prepared: PreparedLocation[] = [];
      for (const org of await ptvOrganisations(em, options.organisationIds)) {
        const orgRecord = `organisation ${org.id}, business ID ${org.business_id}`;
        if (!isValidBusinessId(org.business_id)) {
          refused.push({ record: orgRecord, reason: "the stored business ID fails its check digit; not looked up" });
          continue;
        }
        const municipalities = new Set(org.municipality_codes);
        for (let page = 1; ; page++) {
          if (page > MAX_PAGES) throw new RegisterAnswerError(register.name, client.url("ServiceChannel/list/organization", { code: org.business_id }), `more than ${MAX_PAGES} pages for one organisation`);
          let answer;
          try {
            answer = await client.getJson("ServiceChannel/list/organization", { code: org.business_id, page });
          } catch (error) {
            if (error instanceof RegisterFetchError && error.reason === "HTTP 404") {
              refused.push({ record: orgRecord, reason: "PTV has no organisation with this business code" });
              break;
            }
            throw error;
          }
          const parsed = parseAnswer(register.name, ptvChannelsPage, answer);
          if (parsed.pageCount > 0 && parsed.pageNumber !== page) {
            throw new RegisterAnswerError(register.name, answer.url, `asked for page ${page}, got page ${parsed.pageNumber}`);
          }
          for (const [index, item] of (parsed.itemList ?? []).entries()) {
            if (item.serviceChannelType !== "ServiceLocation") continue;
            const location = parseAnswer(register.name, ptvServiceLocation, { url: `${answer.url}#itemList.${index}`, body: item });
            if (location.publishingStatus && location.publishingStatus !== "Published") continue;
            if (since && (!location.modified || location.modified.slice(0, 10) < since)) continue;
            const record = `${orgRecord}, service location ${location.id}`;
            const mapped = mapServiceLocation(location, answer.url);
            if ("refused" in mapped) {
              refused.push({ record, reason: mapped.refused });
              continue;
            }
            if (municipalities.size > 0 && (!mapped.municipalityCode || !municipalities.has(mapped.municipalityCode))) continue;
            prepared.push({ organisationId: org.id, record, write: mapped });
          }
          if (page >= parsed.pageCount) break;
        }
      }
      return { prepared, refused };
    },

    async apply(tx: EntityManager, prepared: PreparedLocation[], run: SyncRun): Promise<SyncCounts> {
      const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
      if (prepared.length === 0) return counts;
      const stored = await ptvContactPointsForUpdate(tx, [...new Set(prepared.map((p) => p.organisationId))]);
      for (const p of prepared) {
        const mine = stored.filter((s) => s.organisation_id === p.organisationId);
        const sameLabel = (s: PtvContactRow) => s.valid_to === null && (s.label ?? "").toLowerCase() === p.write.label.toLowerCase();
        const existing = mine.find((s) => s.ptv_channel_id === p.write.ptvChannelId) ?? mine.find((s) => s.ptv_channel_id === null && sameLabel(s));
        const clash = mine.find((s) => s !== existing && sameLabel(s));
        if (clash) {
          counts.refused.push({ record: p.record, reason: `another active contact point of the organisation is named "${p.write.label}"` });
          continue;
        }
        const write: PtvContactWrite = { ...p.write, fetchedAt: run.fetchedAt, syncReportId: run.id };
        const after = contentOf(write);
        if (existing) {
          const before = storedContent(existing);
          if (existing.ptv_channel_id === write.ptvChannelId && JSON.stringify(before) === JSON.stringify(after)) {
            counts.unchanged += 1;
            continue;
          }
          const updated: PtvContactRow = { ...existing, ...writtenColumns(write, register.name) };
          await updatePtvContactPoint(tx, existing.id, write);
          // Whole rows: a `knownAt` read before this run rebuilds the contact point from `before`.
          await recordChange(tx, { entityType: "ContactPoint", entityId: existing.id, operation: "UPDATE", before: auditedRow(tx, ContactPoint, existing), after: auditedRow(tx, ContactPoint, updated) });
          Object.assign(existing, updated);
          counts.updated += 1;
        } else {
          const id = `contact-${randomUUID()}`;
          const created: PtvContactRow = { id, organisation_id: p.organisationId, valid_to: null, registry_email: null, website: null, valid_from: null, ...writtenColumns(write, register.name) };
          await insertPtvContactPoint(tx, id, p.organisationId, write);
          await recordChange(tx, { entityType: "ContactPoint", entityId: id, operation: "CREATE", before: null, after: auditedRow(tx, ContactPoint, created) });
          stored.push(created);
          counts.created += 1;
        }
      }
      return counts;
    },
  };
}
