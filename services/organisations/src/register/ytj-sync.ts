import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import { auditedRow, parseAnswer, recordChange, REGISTERS, RegisterAnswerError, type RegisterClient, type RegisterImporter, type SyncCounts, type SyncRefusal, type SyncRun } from "@yhdyspinta/core";
import { isValidBusinessId } from "../business-id.ts";
import { normaliseSearch, searchTextOf } from "../search.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import type { RegisteredAddress, RegisteredName } from "./register-record.entity.ts";
import {
  addEndingReview,
  insertRegisterRecord,
  renameOrganisationFromRegister,
  type RegisterRecordRow,
  type StoredOrganisation,
  updateRegisterRecord,
  ytjOrganisations,
  ytjOrganisationsForUpdate,
  ytjRecordsForUpdate,
} from "./register.queries.ts";

/**
 * YTJ importer (PRH open data, API v3, `GET companies?businessId=…`; field
 * names from PRH's OpenAPI description of v3, https://avoindata.prh.fi/opendata-ytj-api/v3/ ,
 * as public clients declare it): `{totalResults, companies: [{businessId
 * {value, registrationDate, source}, names [{name, type, registrationDate,
 * endDate, version, source}], companyForms [{type, descriptions
 * [{languageCode, description}], endDate, …}], addresses [{type (1 visiting,
 * 2 postal), street, buildingNumber, entrance, apartmentNumber, postOfficeBox,
 * postCode, postOffices [{city, languageCode, municipalityCode}]}],
 * tradeRegisterStatus, status, registrationDate, endDate, lastModified}]}`;
 * language codes "1" fi, "2" sv, "3" en.
 *
 * Refreshes every organisation with a business ID. A company renamed in YTJ
 * gets its new official name, the old one kept among its other names; an
 * organisation whose name is not one YTJ lists keeps it (only the register
 * record changes). A business ID YTJ reports ended puts the organisation on
 * the coordinator's list (`organisationsEndedInRegister`); the sync never
 * sets its end date or successor. A business ID YTJ does not know (e.g. an
 * association: PRH's open data has no association register) is refused.
 */

const description = z.object({ languageCode: z.string(), description: z.string().nullable().optional() });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "must be a date YYYY-MM-DD").nullable().optional();

export const ytjCompany = z.object({
  businessId: z.object({ value: z.string(), registrationDate: date }),
  names: z.array(z.object({ name: z.string().min(1), type: z.string(), registrationDate: date, endDate: date, version: z.number().optional() })),
  companyForms: z.array(z.object({ type: z.string(), descriptions: z.array(description), endDate: date, version: z.number().optional() })).default([]),
  addresses: z
    .array(
      z.object({
        type: z.number().int(),
        street: z.string().nullable().optional(),
        buildingNumber: z.string().nullable().optional(),
        entrance: z.string().nullable().optional(),
        apartmentNumber: z.string().nullable().optional(),
        postOfficeBox: z.string().nullable().optional(),
        postCode: z.string().nullable().optional(),
        postOffices: z.array(z.object({ city: z.string(), languageCode: z.string(), municipalityCode: z.string().nullable().optional() })).nullable().optional(),
      }),
    )
    .default([]),
  tradeRegisterStatus: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  registrationDate: date,
  endDate: date,
  lastModified: z.string().nullable().optional(),
});

export const ytjCompaniesAnswer = z.object({ totalResults: z.number().int().min(0), companies: z.array(ytjCompany) });

export interface YtjSyncOptions {
  client: RegisterClient;
  /** Only these organisations (ids); default every organisation with a business ID. */
  organisationIds?: readonly string[];
}

/** A record ready to write: the register's columns for one organisation, provenance added when written. */
type PreparedRecord = Omit<RegisterRecordRow, "sourceRegister" | "fetchedAt" | "syncReportId"> & { organisationId: string };

const day = (d: string | null | undefined): string | null => (d ? d.slice(0, 10) : null);

function addressOf(a: z.infer<typeof ytjCompany>["addresses"][number]): RegisteredAddress {
  const office = a.postOffices?.find((p) => p.languageCode === "1") ?? a.postOffices?.[0];
  const street = [a.street, a.buildingNumber, a.entrance, a.apartmentNumber].filter((p) => p).join(" ") || (a.postOfficeBox ? `PL ${a.postOfficeBox}` : null);
  return { kind: a.type === 2 ? "POSTAL" : "VISITING", street, postCode: a.postCode ?? null, city: office?.city ?? null, municipalityCode: office?.municipalityCode ?? null };
}

/** The comparable content of a record (what decides created / updated / unchanged); key order free, as jsonb reorders keys. */
const contentOf = (r: Omit<PreparedRecord, "sourceUrl" | "organisationId">) =>
  JSON.stringify([
    r.businessId, r.officialName, r.companyFormCode, r.companyForm, r.tradeRegisterStatus, r.status, r.registeredOn, r.endedOn,
    r.addresses.map((a) => [a.kind, a.street, a.postCode, a.city, a.municipalityCode]),
    r.names.map((n) => [n.name, n.type, n.registeredOn, n.endedOn]),
    r.lastModified,
  ]);

/**
 * A register record as its audit rows show it: the whole row by property name,
 * like the ORM's own entries, so that a `knownAt` read rebuilds it from them
 * (a stored row in column names, or the row the sync writes).
 */
function auditedRecord(r: Record<string, unknown>): Record<string, unknown> {
  const pick = (camel: string, snake: string) => (camel in r ? r[camel] : r[snake]) ?? null;
  return {
    organisationId: pick("organisationId", "organisation_id"),
    businessId: pick("businessId", "business_id"),
    officialName: pick("officialName", "official_name"),
    companyFormCode: pick("companyFormCode", "company_form_code"),
    companyForm: pick("companyForm", "company_form"),
    tradeRegisterStatus: pick("tradeRegisterStatus", "trade_register_status"),
    status: pick("status", "status"),
    registeredOn: pick("registeredOn", "registered_on"),
    endedOn: pick("endedOn", "ended_on"),
    addresses: pick("addresses", "addresses"),
    names: pick("names", "names"),
    lastModified: pick("lastModified", "last_modified"),
    sourceRegister: pick("sourceRegister", "source_register"),
    sourceUrl: pick("sourceUrl", "source_url"),
    fetchedAt: pick("fetchedAt", "fetched_at"),
    syncReportId: pick("syncReportId", "sync_report_id"),
  };
}


export function ytjImporter(options: YtjSyncOptions): RegisterImporter<PreparedRecord[]> {
  const { client } = options;
  const register = REGISTERS.ytj;
  return {
    register,
    client,

    async prepare(em: EntityManager, _run: SyncRun) {
      const refused: SyncRefusal[] = [];
      const organisations = await ytjOrganisations(em, options.organisationIds);
      const records: PreparedRecord[] = [];
      for (const org of organisations) {
        const record = `organisation ${org.id}, business ID ${org.business_id}`;
        if (!isValidBusinessId(org.business_id)) {
          refused.push({ record, reason: "the stored business ID fails its check digit; not looked up" });
          continue;
        }
        const answer = await client.getJson("companies", { businessId: org.business_id });
        const parsed = parseAnswer(register.name, ytjCompaniesAnswer, answer);
        if (parsed.totalResults === 0 || parsed.companies.length === 0) {
          refused.push({ record, reason: "YTJ open data has no company with this business ID (associations are not in it)" });
          continue;
        }
        const company = parsed.companies.find((c) => c.businessId.value === org.business_id);
        if (!company) throw new RegisterAnswerError(register.name, answer.url, `asked for business ID ${org.business_id}, got ${parsed.companies.map((c) => c.businessId.value).join(", ")}`);
        const official = company.names
          .filter((n) => n.type === "1" && !n.endDate)
          .sort((a, b) => (b.version ?? 0) - (a.version ?? 0) || (b.registrationDate ?? "").localeCompare(a.registrationDate ?? ""))[0];
        if (!official) {
          refused.push({ record, reason: "YTJ lists no current official name (name type 1 without an end date)" });
          continue;
        }
        const form = company.companyForms.find((f) => !f.endDate) ?? null;
        records.push({
          organisationId: org.id,
          businessId: org.business_id,
          officialName: official.name,
          companyFormCode: form?.type ?? null,
          companyForm: form ? (form.descriptions.find((d) => d.languageCode === "1")?.description ?? form.descriptions[0]?.description ?? null) : null,
          tradeRegisterStatus: company.tradeRegisterStatus ?? null,
          status: company.status ?? null,
          registeredOn: day(company.registrationDate ?? company.businessId.registrationDate),
          endedOn: day(company.endDate),
          addresses: company.addresses.map(addressOf),
          names: company.names
            .map((n) => ({ name: n.name, type: n.type, registeredOn: day(n.registrationDate), endedOn: day(n.endDate) }))
            .sort((a, b) => (b.registeredOn ?? "").localeCompare(a.registeredOn ?? "") || a.name.localeCompare(b.name)),
          lastModified: company.lastModified ?? null,
          sourceUrl: answer.url,
        });
      }
      return { prepared: records, refused };
    },

    async apply(tx: EntityManager, prepared: PreparedRecord[], run: SyncRun): Promise<SyncCounts> {
      const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
      if (prepared.length === 0) return counts;
      const ids = prepared.map((r) => r.organisationId);
      const orgs = new Map((await ytjOrganisationsForUpdate(tx, ids)).map((o) => [o.id, o]));
      const stored = new Map((await ytjRecordsForUpdate(tx, ids)).map((r) => [r["organisation_id"] as string, r]));
      for (const r of prepared) {
        const org = orgs.get(r.organisationId);
        if (!org) {
          counts.refused.push({ record: `organisation ${r.organisationId}`, reason: "removed while the sync ran" });
          continue;
        }
        const old = stored.get(r.organisationId);
        const oldContent = old
          ? contentOf({
              businessId: old["business_id"] as string,
              officialName: old["official_name"] as string,
              companyFormCode: old["company_form_code"] as string | null,
              companyForm: old["company_form"] as string | null,
              tradeRegisterStatus: old["trade_register_status"] as string | null,
              status: old["status"] as string | null,
              registeredOn: old["registered_on"] as string | null,
              endedOn: old["ended_on"] as string | null,
              addresses: old["addresses"] as RegisteredAddress[],
              names: old["names"] as RegisteredName[],
              lastModified: old["last_modified"] as string | null,
            })
          : null;
        let changed = false;
        if (oldContent !== contentOf(r)) {
          const row: RegisterRecordRow = { ...r, sourceRegister: register.name, fetchedAt: run.fetchedAt, syncReportId: run.id };
          if (old) await updateRegisterRecord(tx, r.organisationId, row);
          else await insertRegisterRecord(tx, r.organisationId, row);
          // Audited as the register (the run's transaction carries `register:ytj`).
          await recordChange(tx, {
            entityType: "OrganisationRegisterRecord",
            entityId: r.organisationId,
            operation: old ? "UPDATE" : "CREATE",
            before: old ? auditedRecord(old) : null,
            after: auditedRecord({ ...row, organisationId: r.organisationId }),
          });
          changed = true;
        }
        // Renamed in the register: the organisation takes the new official name if its name is one YTJ lists (or listed).
        const earlierNames = new Set([...r.names.filter((n) => n.type === "1").map((n) => n.name), ...(old ? [old["official_name"] as string] : [])]);
        if (org.name !== r.officialName && earlierNames.has(org.name)) {
          const otherNames = org.other_names.includes(org.name) ? org.other_names.filter((n) => n !== r.officialName) : [...org.other_names.filter((n) => n !== r.officialName), org.name];
          const renamed = { id: r.organisationId, name: r.officialName, otherNames, nameNormalised: normaliseSearch(r.officialName), searchText: searchTextOf(r.officialName, ...otherNames) };
          // Whole rows: a `knownAt` read before the rename rebuilds the organisation from `before`.
          const before = auditedRow(tx, Organisation, org);
          await recordChange(tx, { entityType: "Organisation", entityId: r.organisationId, operation: "UPDATE", before, after: { ...before, ...renamed } });
          await renameOrganisationFromRegister(tx, renamed);
          changed = true;
        }
        // Ended in the register: onto the coordinator's list, never wound up here.
        if (r.endedOn) {
          const added = await addEndingReview(tx, {
            organisationId: r.organisationId,
            businessId: r.businessId,
            endedOn: r.endedOn,
            reportedAt: run.fetchedAt,
            syncReportId: run.id,
            sourceUrl: r.sourceUrl,
          });
          if (added) {
            await recordChange(tx, { entityType: "OrganisationEndingReview", entityId: r.organisationId, operation: "CREATE", after: { organisationId: r.organisationId, businessId: r.businessId, endedOn: r.endedOn, syncReportId: run.id } });
            changed = true;
          }
        }
        if (!changed) counts.unchanged += 1;
        else if (old) counts.updated += 1;
        else counts.created += 1;
      }
      return counts;
    },
  };
}
