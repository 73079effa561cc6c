import { BadUserInputError } from "./errors.ts";

/**
 * The natural keys the services' databases enforce with unique indexes
 * (docs/NATURAL-KEYS.md), by index name: which input field a caller is told
 * about and the rule it broke. A resolver checks the rule before it writes
 * (`uniqueRuleError(index, detail)` for the usual case); when parallel writes
 * pass that check together, the index refuses all but one of them with
 * SQLSTATE 23505, and `formatError` answers the refused ones from this table
 * by the index name PostgreSQL reports, never by parsing its message.
 */
export const UNIQUE_RULES = {
  // groups
  cooperation_group_active_name_unique: {
    field: "input.name",
    reason: "a cooperation group with this name already exists in the county; the name of a group that has not ended is unique in its county, letter case aside",
  },
  group_seat_active_label_unique: {
    field: "input.label",
    reason: "the group already has a seat with this label for the same municipality, organisation and category; the label of a seat that has not ended is unique in its group for its constituency, letter case aside",
  },
  meeting_group_starts_at_unique: {
    field: "input.startsAt",
    reason: "the group already has a meeting starting at this time; a group holds one meeting per start time",
  },
  nomination_nominator_person_unique: {
    field: "input.personId",
    reason: "the nominator has already nominated this person in this round; a nominator names a person once per round while the nomination stands (submitted or accepted)",
  },
  area_county_name_unique: {
    field: "input.name",
    reason: "the county already has an area with this name; an area's name is unique in its county, letter case aside",
  },
  cooperation_level_county_name_unique: {
    field: "input.name",
    reason: "the county already has a cooperation level with this name; a level's name is unique in its county, letter case aside",
  },
  liaison_role_active_title_unique: {
    field: "input.title",
    reason: "the county already has a liaison role with this title at this level and sector for the same municipality; a role that has not ended is named once, letter case aside",
  },
  // organisations
  organisation_business_id_unique: {
    field: "input.businessId",
    reason: "an organisation with this business ID already exists; a business ID names one organisation",
  },
  // planning
  wellbeing_plan_term_unique: {
    field: "input.councilTerm",
    reason: "a wellbeing plan for this council term already exists for the county (or municipality); a county and each municipality has one plan per term",
  },
  theme_county_name_unique: {
    field: "input.name",
    reason: "the county already has a theme with this name; a theme's name is unique in its county, letter case aside",
  },
  annual_negotiation_county_held_on_unique: {
    field: "input.heldOn",
    reason: "the county already has an annual negotiation recorded on this day; a county holds one annual negotiation a day",
  },
  annual_negotiation_practice_pkey: {
    field: "input.countyCode",
    reason: "the county's annual negotiation practice is already recorded; a county has one (edit it instead)",
  },
  strategy_county_code_unique: {
    field: "input.countyCode",
    reason: "the county's strategy is already recorded; a county has one strategy (edit it instead)",
  },
  grant_programme_county_name_unique: {
    field: "input.name",
    reason: "the county already has a grant programme with this name; a programme's name is unique in its county, letter case aside",
  },
  indicator_sotkanet_id_unique: {
    field: "input.sotkanetId",
    reason: "an indicator with this Sotkanet id already exists; a Sotkanet id names one indicator",
  },
  document_title_unique: {
    field: "input.title",
    reason: "a document with this title and year already exists in the county; a title names one document per county and publication year, letter case aside",
  },
  contact_point_active_label_unique: {
    field: "input.label",
    reason: "the organisation already has a contact point with this label; the label of a contact point that has not ended is unique in its organisation, letter case aside",
  },
  organisation_category_county_name_unique: {
    field: "input.name",
    reason: "the county's classification already has a category of this name; a name is unique in its county's classification, letter case and diacritics aside",
  },
} as const satisfies Record<string, { field: string; reason: string }>;

export type UniqueIndexName = keyof typeof UNIQUE_RULES;

/**
 * The `BAD_USER_INPUT` for a broken natural key; `detail` (e.g. `group
 * group-… in county 14`) names the existing record, when the resolver knows it.
 */
export function uniqueRuleError(index: UniqueIndexName, detail?: string): BadUserInputError {
  const rule = UNIQUE_RULES[index];
  return new BadUserInputError(rule.field, detail ? `${rule.reason} (existing: ${detail})` : rule.reason);
}

/**
 * The rule of a PostgreSQL unique violation (SQLSTATE 23505, as the driver
 * reports it: `code` and `constraint`, also on MikroORM's
 * UniqueConstraintViolationException), or undefined for any other error or an
 * index without a rule (a bug, answered as an internal error).
 */
export function uniqueRuleOf(error: unknown): { field: string; reason: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== "23505" || typeof constraint !== "string" || !Object.hasOwn(UNIQUE_RULES, constraint)) return undefined;
  return UNIQUE_RULES[constraint as UniqueIndexName];
}
