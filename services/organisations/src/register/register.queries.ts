import type { EntityManager } from "@mikro-orm/postgresql";
import type { RegisteredAddress, RegisteredName } from "./register-record.entity.ts";

/**
 * The public-register syncs' hand SQL (YTJ, Statistics Finland) and the
 * coordinator's list of organisations ended in the register. Reads for a
 * sync's `prepare` take the EntityManager; the `…ForUpdate` reads and every
 * write take the run's transaction (`tx`) and run on its connection, inside
 * it.
 */

/** A statement on the transaction's connection, inside its transaction. */
async function inTransaction<T = unknown>(tx: EntityManager, sql: string, params: unknown[]): Promise<T> {
  return (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T;
}

/**
 * organisationsEndedInRegister: ids of the organisations on the
 * coordinator's list that have no end date of their own yet (of the county
 * if given), oldest report first.
 */
export async function organisationsEndedInRegister(em: EntityManager, countyCode: string | null): Promise<string[]> {
  const open = await em.getConnection().execute<{ organisation_id: string }[]>(
    `/* organisationsEndedInRegister */ select r.organisation_id from organisation_ending_review r join organisation o on o.id = r.organisation_id
       where o.valid_to is null ${countyCode ? "and o.county_code = ?" : ""} order by r.reported_at, r.organisation_id`,
    countyCode ? [countyCode] : [],
    "all",
  );
  return open.map((r) => r.organisation_id);
}

// Statistics Finland

/** statfiCounties: the codes of the known counties. */
export async function statfiCounties(em: EntityManager): Promise<string[]> {
  return (await em.getConnection().execute<{ code: string }[]>(`/* statfiCounties */ select code from county`, [], "all")).map((c) => c.code);
}

export interface StoredMunicipality {
  code: string;
  year: number;
  search_text: string;
  name_fi: string;
  name_sv: string;
  county_code: string;
}

/** statfiMunicipalitiesForUpdate: the year's stored municipalities, locked. */
export async function statfiMunicipalitiesForUpdate(tx: EntityManager, year: number): Promise<StoredMunicipality[]> {
  return await inTransaction<StoredMunicipality[]>(
    tx,
    `/* statfiMunicipalitiesForUpdate */ select code, year, name_fi, name_sv, county_code, search_text from municipality where year = ? for update`,
    [year],
  );
}

/** upsertStatfiMunicipality: a municipality of a year by code; a known one takes the new names, county and search text. */
export async function upsertStatfiMunicipality(
  tx: EntityManager,
  m: { code: string; year: number; nameFi: string; nameSv: string; countyCode: string; searchText: string },
): Promise<void> {
  await inTransaction(
    tx,
    `/* upsertStatfiMunicipality */ insert into municipality (code, year, name_fi, name_sv, county_code, search_text) values (?, ?, ?, ?, ?, ?)
           on conflict (code, year) do update set name_fi = excluded.name_fi, name_sv = excluded.name_sv, county_code = excluded.county_code, search_text = excluded.search_text`,
    [m.code, m.year, m.nameFi, m.nameSv, m.countyCode, m.searchText],
  );
}

/** upsertMunicipalitySource: the provenance of a municipality row (core's record_source), `recordId` "<code>/<year>". */
export async function upsertMunicipalitySource(tx: EntityManager, s: { recordId: string; url: string; section: string; lastConfirmedOn: string }): Promise<void> {
  await inTransaction(
    tx,
    `/* upsertMunicipalitySource */ insert into record_source (record_type, record_id, url, section, last_confirmed_on) values ('Municipality', ?, ?, ?, ?)
           on conflict (record_type, record_id) do update set url = excluded.url, section = excluded.section, last_confirmed_on = excluded.last_confirmed_on`,
    [s.recordId, s.url, s.section, s.lastConfirmedOn],
  );
}

// YTJ (PRH open data)

/** ytjOrganisations: organisations with a business ID (only `organisationIds` if given), by id. */
export async function ytjOrganisations(em: EntityManager, organisationIds: readonly string[] | undefined): Promise<{ id: string; business_id: string }[]> {
  return await em.getConnection().execute<{ id: string; business_id: string }[]>(
    `/* ytjOrganisations */ select id, business_id from organisation where business_id is not null ${organisationIds ? "and id in (?)" : ""} order by id`,
    organisationIds ? [organisationIds.length ? [...organisationIds] : [""]] : [],
    "all",
  );
}

/** An organisation's row as stored (dates as YYYY-MM-DD): all of it, as a rename's audit entry records it whole. */
export interface StoredOrganisation {
  id: string;
  name: string;
  other_names: string[];
  name_normalised: string;
  search_text: string;
  kind: string;
  business_id: string | null;
  parent_id: string | null;
  county_code: string | null;
  website: string | null;
  valid_from: string | null;
  valid_to: string | null;
  successor_id: string | null;
  merged_into: string | null;
  end_note: string | null;
}

/** ytjOrganisationsForUpdate: the organisations' whole rows, locked. */
export async function ytjOrganisationsForUpdate(tx: EntityManager, ids: readonly string[]): Promise<StoredOrganisation[]> {
  return await inTransaction<StoredOrganisation[]>(
    tx,
    `/* ytjOrganisationsForUpdate */ select id, name, other_names, name_normalised, search_text, kind, business_id, parent_id, county_code, website,
               to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to, successor_id, merged_into, end_note
             from organisation where id in (?) for update`,
    [ids],
  );
}

/** ytjRecordsForUpdate: the organisations' stored register records, whole with their provenance (dates as YYYY-MM-DD), locked. */
export async function ytjRecordsForUpdate(tx: EntityManager, ids: readonly string[]): Promise<Record<string, unknown>[]> {
  return await inTransaction<Record<string, unknown>[]>(
    tx,
    `/* ytjRecordsForUpdate */ select organisation_id, business_id, official_name, company_form_code, company_form, trade_register_status, status,
               to_char(registered_on, 'YYYY-MM-DD') as registered_on, to_char(ended_on, 'YYYY-MM-DD') as ended_on, addresses, names, last_modified,
               source_register, source_url, fetched_at, sync_report_id
             from organisation_register_record where organisation_id in (?) for update`,
    [ids],
  );
}

/** A register record's columns as the sync writes them, with its provenance. */
export interface RegisterRecordRow {
  businessId: string;
  officialName: string;
  companyFormCode: string | null;
  companyForm: string | null;
  tradeRegisterStatus: string | null;
  status: string | null;
  registeredOn: string | null;
  endedOn: string | null;
  addresses: RegisteredAddress[];
  names: RegisteredName[];
  lastModified: string | null;
  sourceRegister: string;
  sourceUrl: string;
  fetchedAt: Date;
  syncReportId: string;
}

const recordParams = (r: RegisterRecordRow, organisationId: string): unknown[] => [
  r.businessId, r.officialName, r.companyFormCode, r.companyForm, r.tradeRegisterStatus, r.status, r.registeredOn, r.endedOn,
  JSON.stringify(r.addresses), JSON.stringify(r.names), r.lastModified, r.sourceRegister, r.sourceUrl, r.fetchedAt, r.syncReportId, organisationId,
];

/** updateRegisterRecord: an organisation's stored register record takes the new content and provenance. */
export async function updateRegisterRecord(tx: EntityManager, organisationId: string, r: RegisterRecordRow): Promise<void> {
  await inTransaction(
    tx,
    `/* updateRegisterRecord */ update organisation_register_record set business_id = ?, official_name = ?, company_form_code = ?, company_form = ?, trade_register_status = ?, status = ?, registered_on = ?, ended_on = ?,
                 addresses = ?::jsonb, names = ?::jsonb, last_modified = ?, source_register = ?, source_url = ?, fetched_at = ?, sync_report_id = ? where organisation_id = ?`,
    recordParams(r, organisationId),
  );
}

/** insertRegisterRecord: an organisation's first register record. */
export async function insertRegisterRecord(tx: EntityManager, organisationId: string, r: RegisterRecordRow): Promise<void> {
  await inTransaction(
    tx,
    `/* insertRegisterRecord */ insert into organisation_register_record (business_id, official_name, company_form_code, company_form, trade_register_status, status, registered_on, ended_on, addresses, names, last_modified, source_register, source_url, fetched_at, sync_report_id, organisation_id)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)`,
    recordParams(r, organisationId),
  );
}

/** renameOrganisationFromRegister: an organisation takes the register's official name; the other names, normalised name and search text follow. */
export async function renameOrganisationFromRegister(
  tx: EntityManager,
  o: { id: string; name: string; otherNames: readonly string[]; nameNormalised: string; searchText: string },
): Promise<void> {
  await inTransaction(tx, `/* renameOrganisationFromRegister */ update organisation set name = ?, other_names = ?::jsonb, name_normalised = ?, search_text = ? where id = ?`, [
    o.name,
    JSON.stringify(o.otherNames),
    o.nameNormalised,
    o.searchText,
    o.id,
  ]);
}

/** addEndingReview: puts an organisation on the coordinator's list; false if it already is. */
export async function addEndingReview(
  tx: EntityManager,
  e: { organisationId: string; businessId: string; endedOn: string; reportedAt: Date; syncReportId: string; sourceUrl: string },
): Promise<boolean> {
  const added = await inTransaction<unknown[]>(
    tx,
    `/* addEndingReview */ insert into organisation_ending_review (organisation_id, business_id, ended_on, reported_at, sync_report_id, source_url) values (?, ?, ?, ?, ?, ?)
             on conflict (organisation_id) do nothing returning organisation_id`,
    [e.organisationId, e.businessId, e.endedOn, e.reportedAt, e.syncReportId, e.sourceUrl],
  );
  return added.length > 0;
}
