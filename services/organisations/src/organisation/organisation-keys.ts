import { countyOrganisationKey, municipalityOrganisationKey } from "@yhdyspinta/core";

/**
 * The City of Helsinki is both a municipality (091) and the organiser of its
 * own social, health and rescue services in place of a county (code 90). It is
 * one legal person, so the demo data has one record, `org-county-90`; the
 * municipality key `org-municipality-091` is an alias that resolves to it.
 */
const ALIASES = new Map<string, string>([[municipalityOrganisationKey("091"), countyOrganisationKey("90")]]);

/**
 * The record id an organisation key resolves to. A Map, not an object: an
 * object lookup internalises each key string first, which for the hundreds
 * of ids of one `_entities` batch was 3 % of the organisations subgraph's
 * CPU on plan follow-up.
 */
export function resolveOrganisationId(id: string): string {
  return ALIASES.get(id) ?? id;
}

/** Key of a municipality's actor record (Helsinki: the city's one record). */
export function municipalityActorId(code: string): string {
  return resolveOrganisationId(municipalityOrganisationKey(code));
}
