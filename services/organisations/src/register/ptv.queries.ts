import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The PTV sync's hand SQL: the organisations it asks PTV about, and the
 * contact points it writes. Reads for `prepare` take the EntityManager; the
 * `…ForUpdate` read and the writes take the run's transaction (`tx`).
 */

async function inTransaction<T = unknown>(tx: EntityManager, sql: string, params: unknown[]): Promise<T> {
  return (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T;
}

/** ptvOrganisations: organisations with a business ID (only `organisationIds` if given) and the municipality codes they are linked to, by id. */
export async function ptvOrganisations(em: EntityManager, organisationIds: readonly string[] | undefined): Promise<{ id: string; business_id: string; municipality_codes: string[] }[]> {
  return await em.getConnection().execute<{ id: string; business_id: string; municipality_codes: string[] }[]>(
    `/* ptvOrganisations */ select o.id, o.business_id,
            coalesce(array_agg(distinct m.municipality_code) filter (where m.municipality_code is not null), '{}') as municipality_codes
       from organisation o left join organisation_municipality m on m.organisation_id = o.id
      where o.business_id is not null ${organisationIds ? "and o.id in (?)" : ""} group by o.id, o.business_id order by o.id`,
    organisationIds ? [organisationIds.length ? [...organisationIds] : [""]] : [],
    "all",
  );
}

/** A contact point's columns as the PTV sync compares and writes them. */
export interface PtvContactRow {
  id: string;
  organisation_id: string;
  ptv_channel_id: string | null;
  label: string | null;
  label_sv: string | null;
  visiting_address: string | null;
  visiting_address_sv: string | null;
  postal_address: string | null;
  postal_code: string | null;
  municipality_code: string | null;
  coordinate_north: number | null;
  coordinate_east: number | null;
  ptv_modified: string | null;
  valid_to: string | null;
  registry_email: string | null;
  website: string | null;
  valid_from: string | null;
  source_register: string | null;
  source_url: string | null;
  fetched_at: Date | null;
  sync_report_id: string | null;
}

/** ptvContactPointsForUpdate: the organisations' contact points, whole (dates as YYYY-MM-DD), locked. */
export async function ptvContactPointsForUpdate(tx: EntityManager, organisationIds: readonly string[]): Promise<PtvContactRow[]> {
  return await inTransaction<PtvContactRow[]>(
    tx,
    `/* ptvContactPointsForUpdate */ select id, organisation_id, ptv_channel_id, label, label_sv, visiting_address, visiting_address_sv, postal_address, postal_code,
            municipality_code, coordinate_north, coordinate_east, ptv_modified, to_char(valid_to, 'YYYY-MM-DD') as valid_to,
            registry_email, website, to_char(valid_from, 'YYYY-MM-DD') as valid_from, source_register, source_url, fetched_at, sync_report_id
       from contact_point where organisation_id in (?) order by id for update`,
    [organisationIds],
  );
}

/** What the sync writes of a contact point, with provenance. */
export interface PtvContactWrite {
  ptvChannelId: string;
  label: string;
  labelSv: string | null;
  visitingAddress: string | null;
  visitingAddressSv: string | null;
  postalAddress: string | null;
  postalCode: string | null;
  municipalityCode: string | null;
  coordinateNorth: number | null;
  coordinateEast: number | null;
  ptvModified: string | null;
  sourceUrl: string;
  fetchedAt: Date;
  syncReportId: string;
}

const writeParams = (w: PtvContactWrite): unknown[] => [
  w.ptvChannelId, w.label, w.labelSv, w.visitingAddress, w.visitingAddressSv, w.postalAddress, w.postalCode, w.municipalityCode,
  w.coordinateNorth, w.coordinateEast, w.ptvModified, "ptv", w.sourceUrl, w.fetchedAt, w.syncReportId,
];

/** insertPtvContactPoint: a new contact point from a PTV service location. */
export async function insertPtvContactPoint(tx: EntityManager, id: string, organisationId: string, w: PtvContactWrite): Promise<void> {
  await inTransaction(
    tx,
    `/* insertPtvContactPoint */ insert into contact_point (ptv_channel_id, label, label_sv, visiting_address, visiting_address_sv, postal_address, postal_code, municipality_code,
            coordinate_north, coordinate_east, ptv_modified, source_register, source_url, fetched_at, sync_report_id, id, organisation_id)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...writeParams(w), id, organisationId],
  );
}

/** updatePtvContactPoint: a stored contact point takes the service location's content and provenance (registry e-mail, web address and validity stay). */
export async function updatePtvContactPoint(tx: EntityManager, id: string, w: PtvContactWrite): Promise<void> {
  await inTransaction(
    tx,
    `/* updatePtvContactPoint */ update contact_point set ptv_channel_id = ?, label = ?, label_sv = ?, visiting_address = ?, visiting_address_sv = ?, postal_address = ?, postal_code = ?,
            municipality_code = ?, coordinate_north = ?, coordinate_east = ?, ptv_modified = ?, source_register = ?, source_url = ?, fetched_at = ?, sync_report_id = ? where id = ?`,
    [...writeParams(w), id],
  );
}
