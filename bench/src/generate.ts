/**
 * Deterministic synthetic dataset for benchmarks and efficiency tests.
 *
 * Writes straight into the three service databases (already migrated and
 * seeded with the demo data) with multi-row INSERTs, one transaction per
 * database. Every synthetic row has an id (or owning id) starting with
 * `syn-`, a name that says "Synteettinen", and contacts under
 * `example.invalid`: nothing here is a fact about a real county, group or
 * person. Reference rows (counties, municipalities) and demo rows are only
 * read, never written; synthetic rows refer to demo organisations by key
 * (e.g. `org-municipality-167`) the way the services' own rows do.
 *
 * Same seed, scale and counties → the same rows, byte for byte: all
 * randomness comes from a seeded PRNG per county, dates are fixed (never
 * "today"), and rows are generated and inserted in a fixed order.
 */
import pg from "pg";
import { allEntityTables, columnMismatches, type ServiceDb } from "./entity-tables.ts";
import type { OrganisationKind } from "../../services/organisations/src/organisation/organisation.entity.ts";
import { normaliseSearch, searchTextOf } from "@yhdyspinta/organisations/search";
import type { CooperationGroupKind, GroupBasis, GroupLevel } from "../../services/groups/src/group/group-kind.ts";
import type { MeetingKind } from "../../services/groups/src/meeting/meeting.entity.ts";
import type { MembershipRole } from "../../services/groups/src/membership/membership.entity.ts";
import type {
  NominationRoundKind,
  NominationStatus,
  NominatorKind,
} from "../../services/groups/src/nomination/nomination.entity.ts";
import type { SeatConstituency } from "../../services/groups/src/seat/seat.entity.ts";
import type { MeasureStatus } from "../../services/planning/src/measure/measure-status.ts";
import type { PlanStatus } from "../../services/planning/src/plan/plan-status.ts";

/** Every synthetic key starts with this; `--replace` deletes exactly these rows. */
export const SYNTHETIC_PREFIX = "syn-";

export type { ServiceDb };
export type GenerateTargets = Record<ServiceDb, string>;

export interface GenerateOptions {
  seed: number;
  /** `n` (positive integer): Pohjois-Karjala-shaped data × n per county; `"finland"`: the whole country. */
  scale: number | "finland";
  /**
   * With `scale: "finland"`: the national totals (groups, organisations, people,
   * measures) times this (default 1), e.g. 0.25 for a quarter of Finland's
   * data in every county, 4 for four times it; per-group shapes stay.
   */
  factor?: number;
  /** Counties to generate (default: `["14"]` for a numeric scale, all 22 for `"finland"`). */
  countyCodes?: string[];
  /** Delete the existing `syn-` rows first instead of refusing. */
  replace?: boolean;
}

export interface GenerateResult {
  counties: string[];
  /** Rows inserted per database and table. */
  counts: Record<ServiceDb, Record<string, number>>;
  millis: number;
}

// Enum values as the entities store them: a renamed value fails the type check here.
type Stored<E extends string> = `${E}`;
type OrgKind = Stored<OrganisationKind>;
type GroupKind = Stored<CooperationGroupKind>;

// ------------------------------------------------------------------ shapes

/** How many rows of each kind one county gets. */
export interface CountyCounts {
  groups: number;
  organisations: number;
  people: number;
  /** Memberships come in blocks of 10 per group (see `membershipsOf`). */
  membershipBlocksPerGroup: number;
  meetingsPerGroup: number;
  nominationRounds: number;
  measures: number;
  /** People working for each municipality (as an actor) and for the county, drawn from `people`. */
  peoplePerMunicipality: number;
  peopleAtCounty: number;
}

export const THEMES_PER_COUNTY = 6;
export const CATEGORIES_PER_COUNTY = 10;
export const GOALS_PER_PLAN = 3;

/** A county divides itself into about one area per 3.5 municipalities (Pohjois-Karjala: 13 → 4), 1–8 areas. */
export function areaCount(municipalities: number): number {
  return Math.min(8, Math.max(1, Math.round(municipalities / 3.5)));
}

/**
 * `scale: n`, per county: everything that grows grows linearly in n, so
 * scale 10 is ten times scale 1 with the same per-group shape (10
 * memberships, 4 meetings per group). Areas, themes, categories, plans and
 * goals are per county or municipality and do not grow.
 */
export function scaledCounts(n: number, municipalities: number): CountyCounts {
  return {
    groups: Math.max(5 * n, areaCount(municipalities) + 1),
    organisations: 20 * n,
    people: 40 * n,
    membershipBlocksPerGroup: 1,
    meetingsPerGroup: 4,
    // Two rounds per unit, so that even scale 1 has both kinds (municipalities
    // asked, and association categories asked): the efficiency tests need
    // every branch of the nomination view filled at the smallest scale.
    nominationRounds: 2 * n,
    measures: 20 * n,
    peoplePerMunicipality: 1,
    peopleAtCounty: 2,
  };
}

export const FINLAND_TOTALS = { groups: 2000, organisations: 20000, people: 60000, measures: 10000 } as const;

/**
 * `scale: "finland"`: national totals shared out by county weight
 * (municipalities + 5, so that small counties still get a working set).
 * 50 memberships (5 blocks) and 10 meetings per group.
 */
export function finlandCounts(municipalities: number, weightSum: number, factor = 1): CountyCounts {
  const w = (factor * (municipalities + 5)) / weightSum;
  const groups = Math.max(Math.round(FINLAND_TOTALS.groups * w), areaCount(municipalities) + 1);
  return {
    groups,
    organisations: Math.round(FINLAND_TOTALS.organisations * w),
    people: Math.round(FINLAND_TOTALS.people * w),
    membershipBlocksPerGroup: 5,
    meetingsPerGroup: 10,
    nominationRounds: Math.ceil(groups / 10),
    measures: Math.round(FINLAND_TOTALS.measures * w),
    peoplePerMunicipality: 3,
    peopleAtCounty: 10,
  };
}

// ------------------------------------------------------------------ randomness

/** mulberry32: a tiny 32-bit PRNG, good enough for test data and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of one county's stream (FNV-1a over seed and label), so a county's rows do not depend on which others are generated. */
function streamSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${label}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)]!;
  }
}

// ------------------------------------------------------------------ word lists

const FIRST_NAMES = [
  "Aino", "Anna", "Eeva", "Elina", "Emma", "Hanna", "Heidi", "Helmi", "Johanna", "Kaisa", "Katja", "Laura", "Maria", "Minna",
  "Noora", "Päivi", "Riikka", "Sanna", "Satu", "Tiina", "Antti", "Eero", "Heikki", "Janne", "Jari", "Juha", "Jukka", "Kalle",
  "Lauri", "Markku", "Matti", "Mikko", "Olli", "Onni", "Pekka", "Petri", "Sami", "Timo", "Tuomas", "Ville",
] as const;
const LAST_NAMES = [
  "Ahonen", "Heikkilä", "Heikkinen", "Heinonen", "Hiltunen", "Hirvonen", "Hämäläinen", "Jokinen", "Järvinen", "Karjalainen",
  "Kettunen", "Kinnunen", "Korhonen", "Koskinen", "Kärkkäinen", "Lahtinen", "Laine", "Laitinen", "Lehtinen", "Lehtonen",
  "Leinonen", "Leppänen", "Mattila", "Miettinen", "Mäkelä", "Mäkinen", "Niemi", "Nieminen", "Ojala", "Pitkänen", "Rantanen",
  "Salminen", "Salo", "Salonen", "Savolainen", "Tuominen", "Turunen", "Virtanen", "Väisänen", "Saarinen",
] as const;

const TITLES: Record<OrgKind, readonly string[]> = {
  association: ["Toiminnanjohtaja", "Puheenjohtaja", "Järjestösuunnittelija", "Vapaaehtoistoiminnan koordinaattori", "Hallituksen jäsen"],
  parish: ["Diakoniajohtaja", "Diakoniatyöntekijä", "Nuorisotyönohjaaja", "Kirkkoherra"],
  company: ["Toimitusjohtaja", "Yrittäjä", "Palvelupäällikkö"],
  municipality: ["Hyvinvointikoordinaattori", "Liikuntapalvelupäällikkö", "Sivistysjohtaja", "Nuorisotyön esihenkilö", "Kulttuurisuunnittelija"],
  wellbeing_services_county: ["Kumppanuuskoordinaattori", "Järjestöyhteistyön suunnittelija", "Palvelupäällikkö", "Hyvinvoinnin edistämisen asiantuntija"],
  regional_council: ["Aluekehitysasiantuntija"],
  public_agency: ["Erityisasiantuntija", "Ylitarkastaja", "Johtava asiantuntija"],
  education_institution: ["Koulutuspäällikkö", "Opinto-ohjaaja", "Lehtori"],
  umbrella_organisation: ["Kumppanuuskoordinaattori", "Järjestöneuvoja"],
  organisational_unit: ["Palveluesihenkilö", "Asiantuntija"],
};

const ASSOCIATION_STEMS = [
  "liikuntaseura", "nuorisoyhdistys", "eläkeläisyhdistys", "omaisyhdistys", "mielenterveysyhdistys",
  "kyläyhdistys", "perheyhdistys", "vammaisyhdistys", "kulttuuriyhdistys", "vapaaehtoisyhdistys",
] as const;
const COMPANY_STEMS = ["Hoiva", "Liikunta", "Palvelu", "Kuntoutus", "Valmennus"] as const;
const CATEGORY_TOPICS = [
  "Liikunta", "Nuoriso", "Ikäihmiset", "Mielenterveystyö", "Päihdetyö", "Vammaiset", "Perhetyö", "Taide ja kulttuuri",
  "Asukas- ja kylätoiminta", "Turvallisuus",
] as const;
const THEMES: [string, string][] = [
  ["Elintavat", "Lifestyle"],
  ["Mielen hyvinvointi", "Mental wellbeing"],
  ["Ehkäisevä päihdetyö", "Substance-abuse prevention"],
  ["Arjen toimintakyky", "Everyday functioning"],
  ["Turvallisuus", "Safety"],
  ["Osallisuus", "Inclusion"],
];
const MEASURE_VERBS = ["Kehitetään", "Vahvistetaan", "Lisätään", "Järjestetään", "Kartoitetaan", "Koulutetaan"] as const;
const MEASURE_OBJECTS = [
  "matalan kynnyksen kohtaamispaikkoja", "harrastustoimintaa nuorille", "ikäihmisten liikuntaryhmiä", "vertaistukiryhmiä",
  "järjestöjen ja ammattilaisten yhteistyötä", "ehkäisevän päihdetyön verkostoa", "arjen turvallisuutta", "osallisuuden foorumeita",
] as const;

// ------------------------------------------------------------------ tables

interface TableSpec {
  db: ServiceDb;
  columns: string[];
  /** Column whose value carries the `syn-` prefix (default `id`). */
  key?: string;
  /** SQL around a placeholder, `$` stands for it. */
  casts?: Record<string, string>;
}

const HELSINKI_TIME = "($::timestamp at time zone 'Europe/Helsinki')";

/**
 * Tables written, in insert order, with their columns; checked against the
 * entities' MikroORM metadata before anything is written (see
 * `checkTablesAgainstEntities`), so a renamed column fails at once.
 */
export const TABLES: Record<string, TableSpec> = {
  organisation_category: { db: "organisations", columns: ["id", "name", "name_normalised", "county_code", "position"] },
  organisation: {
    db: "organisations",
    columns: ["id", "name", "other_names", "name_normalised", "search_text", "kind", "business_id", "parent_id", "county_code", "website"],
    casts: { other_names: "$::jsonb" },
  },
  organisation_municipality: { db: "organisations", columns: ["organisation_id", "municipality_code"], key: "organisation_id" },
  organisation_category_assignment: { db: "organisations", columns: ["organisation_id", "category_id"], key: "organisation_id" },
  person: { db: "organisations", columns: ["id", "name", "name_normalised", "title", "organisation_id", "email", "phone"] },

  area: { db: "groups", columns: ["id", "county_code", "name", "ordinal"] },
  area_municipality: { db: "groups", columns: ["area_id", "municipality_code", "ordinal"], key: "area_id" },
  cooperation_group: {
    db: "groups",
    columns: [
      "id", "county_code", "name", "short_name", "kind", "description", "basis", "legal_basis", "appointed_by", "reports_to", "level",
      "area_id", "parent_id", "convener_ids", "convening_note", "secretariat_ids", "composition", "council_term", "term_ends_on",
      "starts_on", "ends_on", "meetings_per_year", "min_meetings_per_year", "meeting_frequency", "annual_negotiation", "tasks",
      "compensation", "pays_meeting_fees",
    ],
    casts: { legal_basis: "$::jsonb", convener_ids: "$::jsonb", secretariat_ids: "$::jsonb", tasks: "$::jsonb" },
  },
  group_term: {
    db: "groups",
    columns: ["id", "group_id", "term_id", "previous_id", "starts_on", "ends_on", "appointed_on", "round_id", "migrated_from"],
  },
  group_municipality: { db: "groups", columns: ["group_id", "municipality_code"], key: "group_id" },
  group_seat: {
    db: "groups",
    columns: [
      "id", "group_id", "ordinal", "constituency", "label", "category_id", "municipality_code", "organisation_id", "min_members",
      "max_members", "deputies", "deputies_optional_when_several_members", "speaking_right_only", "group_term_id",
    ],
  },
  group_contact: { db: "groups", columns: ["group_id", "person_id", "organisation_id", "title", "ordinal"], key: "group_id" },
  membership: {
    db: "groups",
    columns: [
      "id", "group_id", "seat_id", "person_id", "organisation_id", "role", "deputy_of_id", "title", "starts_on", "ends_on", "group_term_id",
      "carry_over", "carry_over_ends_on",
    ],
  },
  meeting: {
    db: "groups",
    columns: ["id", "group_id", "kind", "title", "starts_at", "ends_at", "location", "agenda"],
    casts: { starts_at: HELSINKI_TIME, ends_at: HELSINKI_TIME, agenda: "$::jsonb" },
  },
  nomination_round: {
    db: "groups",
    columns: [
      "id", "county_code", "name", "kind", "opens_on", "closes_on", "submit_to", "submission_method", "nominees", "min_per_nominator",
      "max_per_nominator", "deputies_optional_when_several_members", "contact_person_id", "contact_organisation_id", "description",
    ],
  },
  nomination_round_group: { db: "groups", columns: ["round_id", "group_id"], key: "round_id" },
  nominator: { db: "groups", columns: ["id", "round_id", "kind", "municipality_code", "category_id", "group_id", "ordinal"] },
  nomination: {
    db: "groups",
    columns: ["id", "round_id", "nominator_id", "person_id", "organisation_id", "group_id", "as_deputy", "status", "submitted_on"],
  },

  theme: { db: "planning", columns: ["id", "county_code", "position", "name", "name_en", "group_ids"] },
  wellbeing_plan: {
    db: "planning",
    columns: ["id", "title", "county_code", "municipality_code", "council_term", "status", "approved_on", "assessment", "priority_theme_ids"],
  },
  wellbeing_goal: { db: "planning", columns: ["id", "plan_id", "theme_id", "position", "text", "indicator_ids"] },
  measure: {
    db: "planning",
    columns: [
      "id", "county_code", "goal_id", "title", "description", "starts_on", "ends_on", "schedule_note", "status", "organisation_ids", "group_ids",
    ],
  },
  measure_progress_note: { db: "planning", columns: ["id", "measure_id", "noted_on", "text"] },
};

export const TABLE_NAMES = Object.keys(TABLES);
export const TABLES_OF: Record<ServiceDb, string[]> = {
  organisations: TABLE_NAMES.filter((t) => TABLES[t]!.db === "organisations"),
  groups: TABLE_NAMES.filter((t) => TABLES[t]!.db === "groups"),
  planning: TABLE_NAMES.filter((t) => TABLES[t]!.db === "planning"),
};
/** The column of a table that carries the `syn-` prefix. */
export const syntheticKeyColumn = (table: string): string => TABLES[table]?.key ?? "id";

type Row = Record<string, unknown>;

class Dataset {
  readonly rows = new Map<string, Row[]>(TABLE_NAMES.map((t) => [t, []]));
  add(table: string, row: Row): void {
    const spec = TABLES[table];
    if (!spec) throw new Error(`unknown table ${table}`);
    // Every column must be given (null where nullable): a typo or a missing NOT NULL column fails here, not in PostgreSQL.
    for (const column of spec.columns) if (!(column in row)) throw new Error(`${table}: missing column ${column}`);
    for (const column of Object.keys(row)) if (!spec.columns.includes(column)) throw new Error(`${table}: unknown column ${column}`);
    const key = row[spec.key ?? "id"];
    if (typeof key !== "string" || !key.startsWith(SYNTHETIC_PREFIX)) throw new Error(`${table}: key ${String(key)} lacks the synthetic prefix`);
    this.rows.get(table)!.push(row);
  }
}

// ------------------------------------------------------------------ dates

const DAY_MS = 86_400_000;
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
/** Moves a Saturday or Sunday to the next Monday: meetings are held on weekdays. */
function weekday(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 6 ? addDays(date, 2) : day === 0 ? addDays(date, 1) : date;
}

/** The county councils' current term (1.6.2025–31.5.2029) and the window meetings are spread over. */
const TERM_STARTS = "2025-06-01";
const TERM_ENDS = "2029-05-31";
/** Last day of the first county council term. */
const TERM_BEFORE = "2025-05-31";
const MEETINGS_FROM = "2024-01-08";
const MEETINGS_TO = "2026-12-18";
/** Rounds closing from this day on are still open to decisions: their nominations stay pending. */
const PENDING_FROM = "2026-06-01";

// ------------------------------------------------------------------ reference data

interface County {
  code: string;
  nameFi: string;
  municipalities: { code: string; nameFi: string }[];
}

interface Reference {
  counties: County[];
  aland: { code: string; nameFi: string }[];
  year: number;
}

async function readReference(organisationsUrl: string): Promise<Reference> {
  const client = new pg.Client({ connectionString: organisationsUrl });
  await client.connect();
  try {
    const year = (await client.query<{ year: number | null }>("select max(year) as year from municipality")).rows[0]?.year;
    if (!year) throw new Error("The organisations database has no municipalities: start the services once (migrations and seed) before generating.");
    const counties = await client.query<{ code: string; name_fi: string; kind: string }>("select code, name_fi, kind from county order by code");
    const municipalities = await client.query<{ code: string; name_fi: string; county_code: string }>(
      "select code, name_fi, county_code from municipality where year = $1 order by code",
      [year],
    );
    const missing = await client.query<{ id: string }>(
      "select c.code as id from county c where c.kind <> 'aland' and not exists (select 1 from organisation o where o.id = 'org-county-' || c.code)",
    );
    if (missing.rows.length > 0) {
      throw new Error("The organisations database lacks the demo organisations (org-county-…): start the services with SEED_DEMO_DATA=true first.");
    }
    return {
      year,
      counties: counties.rows
        .filter((c) => c.kind !== "aland")
        .map((c) => ({
          code: c.code,
          nameFi: c.name_fi,
          municipalities: municipalities.rows.filter((m) => m.county_code === c.code).map((m) => ({ code: m.code, nameFi: m.name_fi })),
        })),
      aland: municipalities.rows.filter((m) => m.county_code === "91").map((m) => ({ code: m.code, nameFi: m.name_fi })),
    };
  } finally {
    await client.end();
  }
}

/** The demo key of a municipality as an actor; Helsinki's is the City of Helsinki, org-county-90 (see the organisations seed). */
const municipalityOrg = (code: string): string => (code === "091" ? "org-county-90" : `org-municipality-${code}`);
const countyOrg = (code: string): string => `org-county-${code}`;

// ------------------------------------------------------------------ one county

interface Org {
  id: string;
  kind: OrgKind;
  categories: string[];
}

interface Person {
  id: string;
  organisationId: string;
}

interface Seat {
  id: string;
  constituency: Stored<SeatConstituency>;
  label: string;
  organisationId: string | null;
  categoryId: string | null;
  municipalityCode: string | null;
}

interface Group {
  id: string;
  kind: GroupKind;
  municipalities: string[];
  seats: Seat[];
  annualNegotiation: boolean;
  /** Group terms: the first one (2022–2025, for groups that began in 2024) and the current one (2025–2029); null for tables. */
  firstTerm: string | null;
  currentTerm: string | null;
}

/** Where a sector seat's members come from. */
function sectorKind(label: string): OrgKind | "municipality-of-group" {
  if (/^(Järjestöt|Yhdistykset|Kokemusasiantuntijat)$/.test(label)) return "association";
  if (label === "Seurakunnat") return "parish";
  if (/^Yritys/.test(label)) return "company";
  if (/^(Ammatillinen|Korkea)/.test(label)) return "education_institution";
  return "municipality-of-group";
}

class CountyGenerator {
  private readonly rng: Random;
  private readonly code: string;
  private readonly municipalityCodes: string[];
  private readonly orgs: Org[] = [];
  private readonly orgsByKind = new Map<OrgKind, Org[]>();
  private readonly orgsByCategory = new Map<string, Org[]>();
  private readonly peopleByOrg = new Map<string, Person[]>();
  private readonly pointer = new Map<string, number>();
  private readonly people: Person[] = [];
  private readonly categories: string[] = [];
  private readonly groups: Group[] = [];

  constructor(
    private readonly out: Dataset,
    private readonly county: County,
    private readonly counts: CountyCounts,
    seed: number,
  ) {
    this.code = county.code;
    this.rng = new Random(streamSeed(seed, county.code));
    this.municipalityCodes = county.municipalities.map((m) => m.code);
  }

  run(): void {
    this.categoriesAndOrganisations();
    this.peopleRows();
    const areas = this.areas();
    this.groupRows(areas);
    this.membershipRows();
    this.meetingRows();
    this.nominationRows();
    this.planningRows();
  }

  private municipalityName(code: string): string {
    return this.county.municipalities.find((m) => m.code === code)?.nameFi ?? code;
  }

  // ---------------------------------------------------------------- organisations database

  private categoriesAndOrganisations(): void {
    const c = this.code;
    CATEGORY_TOPICS.slice(0, CATEGORIES_PER_COUNTY).forEach((topic, i) => {
      const id = `${SYNTHETIC_PREFIX}category-${c}-${i + 1}`;
      const name = `${topic} (synteettinen)`;
      this.categories.push(id);
      this.out.add("organisation_category", { id, name, name_normalised: normaliseSearch(name), county_code: c, position: 100 + i + 1 });
    });

    // A fixed pattern of 20 kinds: 13 associations, 2 parishes, 3 companies, 1 education
    // institution and one agency / umbrella organisation / county unit in turn.
    const pattern: OrgKind[] = [
      "association", "association", "company", "association", "parish", "association", "association", "company", "association",
      "education_institution", "association", "association", "company", "association", "parish", "association", "association",
      "association", "association",
    ];
    const rotating: OrgKind[] = ["public_agency", "umbrella_organisation", "organisational_unit"];
    const munis = this.municipalityCodes;
    for (let i = 0; i < this.counts.organisations; i++) {
      const slot = i % 20;
      const kind = slot < pattern.length ? pattern[slot]! : rotating[Math.floor(i / 20) % rotating.length]!;
      const seq = i + 1;
      const id = `${SYNTHETIC_PREFIX}org-${c}-${seq}`;
      // Home municipalities go round the county so that every municipality has organisations.
      const home = munis[i % munis.length]!;
      const homeName = this.municipalityName(home);
      let name: string;
      let municipalities: string[];
      let parentId: string | null = null;
      const otherNames: string[] = [];
      switch (kind) {
        case "association": {
          name = `Synteettinen ${ASSOCIATION_STEMS[i % ASSOCIATION_STEMS.length]} ${c}-${seq} ry (${homeName})`;
          const extra = this.rng.int(3);
          municipalities = [...new Set([home, ...Array.from({ length: extra }, (_, k) => munis[(i + k + 1) % munis.length]!)])];
          if (i % 4 === 0) otherNames.push(`SYN${c}-${seq}`);
          break;
        }
        case "parish":
          name = `Synteettinen seurakunta ${c}-${seq} (${homeName})`;
          municipalities = [home];
          break;
        case "company":
          name = `Synteettinen ${COMPANY_STEMS[i % COMPANY_STEMS.length]} Oy ${c}-${seq}`;
          municipalities = this.rng.chance(0.3) ? [...new Set([home, munis[(i + 1) % munis.length]!])] : [home];
          break;
        case "education_institution":
          name = `Synteettinen oppilaitos ${c}-${seq}`;
          municipalities = [...munis];
          break;
        case "public_agency":
          name = `Synteettinen virasto ${c}-${seq}`;
          municipalities = [...munis];
          break;
        case "umbrella_organisation":
          name = `Synteettinen järjestötalo ${c}-${seq}`;
          municipalities = [...munis];
          break;
        default:
          name = `Synteettinen palvelualue ${c}-${seq}`;
          parentId = countyOrg(c);
          municipalities = [...munis];
      }
      const categories =
        kind === "association"
          ? [...new Set([this.categories[i % this.categories.length]!, ...(this.rng.chance(0.3) ? [this.rng.pick(this.categories)] : [])])]
          : [];
      const org: Org = { id, kind, categories };
      this.orgs.push(org);
      this.orgsByKind.set(kind, [...(this.orgsByKind.get(kind) ?? []), org]);
      for (const category of categories) this.orgsByCategory.set(category, [...(this.orgsByCategory.get(category) ?? []), org]);
      this.out.add("organisation", {
        id,
        name,
        other_names: JSON.stringify(otherNames),
        name_normalised: normaliseSearch(name),
        search_text: searchTextOf(name, ...otherNames),
        kind,
        // No business IDs: a made-up Y-tunnus with a valid check digit could be a real company's.
        business_id: null,
        parent_id: parentId,
        county_code: c,
        website: i % 3 === 0 ? `https://${SYNTHETIC_PREFIX}org-${c}-${seq}.example.invalid/` : null,
      });
      for (const municipality_code of municipalities) this.out.add("organisation_municipality", { organisation_id: id, municipality_code });
      for (const category_id of categories) this.out.add("organisation_category_assignment", { organisation_id: id, category_id });
    }
  }

  private peopleRows(): void {
    const c = this.code;
    // Employers: the county and each municipality first (the demo's actors, referred to by key), then the synthetic organisations in turn.
    const employers: { id: string; kind: OrgKind }[] = [];
    for (let k = 0; k < this.counts.peopleAtCounty; k++) employers.push({ id: countyOrg(c), kind: "wellbeing_services_county" });
    for (let k = 0; k < this.counts.peoplePerMunicipality; k++) {
      for (const m of this.municipalityCodes) employers.push({ id: municipalityOrg(m), kind: "municipality" });
    }
    const anchors = Math.min(employers.length, this.counts.people);
    for (let i = 0; i < this.counts.people; i++) {
      const employer =
        i < anchors ? employers[i]! : this.orgs.length > 0 ? this.orgs[(i - anchors) % this.orgs.length]! : employers[i % employers.length]!;
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      const name = `${first} ${last}`;
      const seq = i + 1;
      const id = `${SYNTHETIC_PREFIX}person-${c}-${seq}`;
      const person: Person = { id, organisationId: employer.id };
      this.people.push(person);
      this.peopleByOrg.set(employer.id, [...(this.peopleByOrg.get(employer.id) ?? []), person]);
      this.out.add("person", {
        id,
        name,
        name_normalised: normaliseSearch(name),
        title: this.rng.pick(TITLES[employer.kind]),
        organisation_id: employer.id,
        email: `${normaliseSearch(first)}.${normaliseSearch(last)}.${c}-${seq}@example.invalid`,
        // 000 is no Finnish area or mobile prefix: obviously not a real number.
        phone: `+358 000 ${String(100000 * Number(c) + seq).padStart(7, "0")}`,
      });
    }
  }

  /** Next person of an organisation not yet in `used` (round robin), else anyone of the county. */
  private personOf(orgId: string, used: Set<string>): Person {
    const lists: [string, Person[]][] = [
      [orgId, this.peopleByOrg.get(orgId) ?? []],
      ["*", this.people],
    ];
    for (const [key, list] of lists) {
      for (let t = 0; t < list.length; t++) {
        const at = this.pointer.get(key) ?? 0;
        this.pointer.set(key, at + 1);
        const person = list[at % list.length]!;
        if (!used.has(person.id)) {
          used.add(person.id);
          return person;
        }
      }
    }
    throw new Error(`county ${this.code}: too few people for a group (${this.people.length})`);
  }

  private orgOfKind(kind: OrgKind | "municipality-of-group", group: Group | null): string {
    if (kind === "municipality-of-group") return municipalityOrg(group ? this.rng.pick(group.municipalities) : this.rng.pick(this.municipalityCodes));
    const list = this.orgsByKind.get(kind);
    return list && list.length > 0 ? this.rng.pick(list).id : countyOrg(this.code);
  }

  // ---------------------------------------------------------------- groups database

  private areas(): { id: string; name: string; municipalities: string[] }[] {
    const c = this.code;
    const munis = this.municipalityCodes;
    const count = areaCount(munis.length);
    const areas = Array.from({ length: count }, (_, k) => {
      // Contiguous slices of the code-ordered list: a partition, so the area groups cover every municipality once.
      const from = Math.floor((k * munis.length) / count);
      const to = Math.floor(((k + 1) * munis.length) / count);
      return { id: `${SYNTHETIC_PREFIX}area-${c}-${k + 1}`, name: `Synteettinen alue ${k + 1}`, municipalities: munis.slice(from, to) };
    });
    areas.forEach((area, k) => {
      this.out.add("area", { id: area.id, county_code: c, name: area.name, ordinal: 100 + k + 1 });
      area.municipalities.forEach((municipality_code, i) => this.out.add("area_municipality", { area_id: area.id, municipality_code, ordinal: i + 1 }));
    });
    return areas;
  }

  private groupRows(areas: { id: string; name: string; municipalities: string[] }[]): void {
    const c = this.code;
    const munis = this.municipalityCodes;
    const later: GroupKind[] = [
      "cooperation_group", "advisory_board", "partnership_table", "liaison_network", "partnership_group", "cooperation_group",
    ];
    const agencies = (this.orgsByKind.get("public_agency") ?? []).slice(0, 3);
    const umbrella = this.orgsByKind.get("umbrella_organisation")?.[0]?.id;
    for (let g = 0; g < this.counts.groups; g++) {
      const id = `${SYNTHETIC_PREFIX}group-${c}-${g + 1}`;
      const seq = `${c}-${g + 1}`;
      const topic = CATEGORY_TOPICS[g % CATEGORY_TOPICS.length]!;
      let kind: GroupKind;
      let name: string;
      let municipalities: string[];
      let areaId: string | null = null;
      let parentId: string | null = null;
      let basis: Stored<GroupBasis> | null;
      let level: Stored<GroupLevel>;
      let legalBasis: string[];
      const seats: Omit<Seat, "id">[] = [];
      const sector = (...labels: string[]) =>
        labels.forEach((label) =>
          seats.push({ constituency: "sector", label, organisationId: label === "Hyvinvointialue" ? countyOrg(c) : null, categoryId: null, municipalityCode: null }),
        );
      const municipalitySeats = (codes: string[]) =>
        codes.forEach((code) =>
          seats.push({ constituency: "municipality", label: "Kunnan edustajat", organisationId: municipalityOrg(code), categoryId: null, municipalityCode: code }),
        );
      if (g < areas.length) {
        const area = areas[g]!;
        kind = "partnership_group";
        name = `Synteettinen alueellinen kumppanuusryhmä ${seq}, ${area.name}`;
        municipalities = area.municipalities;
        areaId = area.id;
        basis = "agreement";
        level = "partnership";
        legalBasis = ["612/2021 7 §"];
        municipalitySeats(area.municipalities);
        sector("Hyvinvointialue", "Järjestöt", "Seurakunnat", "Yritys- ja elinkeinoelämä");
      } else if (g === areas.length) {
        kind = "partnership_group";
        name = `Synteettinen hyvinvoinnin kumppanuusryhmä ${seq}, ${this.county.nameFi}`;
        municipalities = [...munis];
        basis = "agreement";
        level = "partnership";
        legalBasis = ["612/2021 7 §"];
        THEMES.forEach(([label]) => seats.push({ constituency: "theme", label, organisationId: null, categoryId: null, municipalityCode: null }));
        agencies.forEach((a) => seats.push({ constituency: "agency", label: "Virasto", organisationId: a.id, categoryId: null, municipalityCode: null }));
        sector("Hyvinvointialue", "Ammatillinen koulutus", "Korkea-aste");
      } else {
        const n = g - areas.length - 1;
        kind = later[n % later.length]!;
        switch (kind) {
          case "cooperation_group":
            name = `Synteettinen yhteistyöryhmä ${seq}: ${topic}`;
            // Most cover the whole county, some a contiguous part of it.
            municipalities = this.rng.chance(0.7) ? [...munis] : munis.slice(0, Math.max(1, Math.ceil(munis.length * (0.3 + 0.7 * this.rng.float()))));
            basis = this.rng.chance(0.2) ? "council_initiative" : "other_need";
            level = "county";
            legalBasis = ["611/2021", "612/2021"];
            this.categories.forEach((categoryId, i) =>
              seats.push({ constituency: "association_category", label: CATEGORY_TOPICS[i]!, organisationId: null, categoryId, municipalityCode: null }),
            );
            sector("Hyvinvointialue");
            break;
          case "advisory_board":
            name = `Synteettinen neuvottelukunta ${seq}: ${topic}`;
            municipalities = [...munis];
            basis = "statutory";
            level = "county";
            legalBasis = ["612/2021"];
            sector("Hyvinvointialue", "Kokemusasiantuntijat", "Järjestöt", "Kunnat");
            if (agencies[0]) seats.push({ constituency: "agency", label: "Virasto", organisationId: agencies[0].id, categoryId: null, municipalityCode: null });
            break;
          case "partnership_table": {
            const code = munis[Math.floor(n / later.length) % munis.length]!;
            name = `Synteettinen kumppanuuspöytä ${seq}, ${this.municipalityName(code)}`;
            municipalities = [code];
            basis = null;
            level = "municipality";
            legalBasis = [];
            municipalitySeats([code]);
            sector("Yhdistykset", "Yritykset");
            break;
          }
          case "liaison_network":
            name = `Synteettinen yhdyshenkilöverkosto ${seq}`;
            municipalities = [...munis];
            basis = "other_need";
            level = "municipality";
            legalBasis = [];
            municipalitySeats(munis);
            break;
          default: {
            const area = areas[Math.floor(n / later.length) % areas.length]!;
            const theme = THEMES[Math.floor(n / later.length) % THEMES.length]![0];
            name = `Synteettinen kumppanuusryhmä ${seq}, ${area.name}: ${theme}`;
            municipalities = area.municipalities;
            areaId = area.id;
            // A theme group under its area's partnership group.
            parentId = `${SYNTHETIC_PREFIX}group-${c}-${areas.indexOf(area) + 1}`;
            basis = "agreement";
            level = "partnership";
            legalBasis = ["612/2021 7 §"];
            sector("Hyvinvointialue", "Järjestöt", "Kunnat");
          }
        }
      }
      const annualNegotiation = kind === "partnership_group" && parentId === null;
      const isTable = kind === "partnership_table";
      this.out.add("cooperation_group", {
        id,
        county_code: c,
        name,
        short_name: g < areas.length ? `SYN-${c}-${g + 1}` : null,
        kind,
        description: "Synteettinen ryhmä kuormitus- ja tehokkuustestejä varten; ei todellinen ryhmä.",
        basis,
        legal_basis: JSON.stringify(legalBasis),
        appointed_by: isTable ? null : "Hyvinvointialuejohtaja (synteettinen)",
        reports_to: kind === "cooperation_group" ? "Yhdyspintalautakunta (synteettinen)" : null,
        level,
        area_id: areaId,
        parent_id: parentId,
        convener_ids: JSON.stringify(isTable ? [municipalityOrg(municipalities[0]!)] : [countyOrg(c)]),
        convening_note: null,
        secretariat_ids: JSON.stringify(umbrella && kind === "cooperation_group" ? [countyOrg(c), umbrella] : []),
        composition: "Synteettinen kokoonpano.",
        council_term: isTable ? null : "2025–2029",
        term_ends_on: isTable ? null : TERM_ENDS,
        starts_on: g % 3 === 0 ? "2024-01-01" : TERM_STARTS,
        ends_on: null,
        meetings_per_year: isTable ? null : 4,
        min_meetings_per_year: isTable ? 1 : null,
        meeting_frequency: isTable ? "vähintään kerran vuodessa" : "noin neljä kertaa vuodessa",
        annual_negotiation: annualNegotiation,
        tasks: JSON.stringify(["Synteettinen tehtävä 1", "Synteettinen tehtävä 2"]),
        compensation: null,
        pays_meeting_fees: kind === "cooperation_group" ? false : null,
      });
      for (const municipality_code of municipalities) this.out.add("group_municipality", { group_id: id, municipality_code });
      // Two council terms: groups that began in 2024 served the first county council term and were
      // renewed into 2025–2029 (the first group of a county's renewal still in progress: not yet
      // appointed, its leaving members carried over); the others began with the second term.
      const startsOn = g % 3 === 0 ? "2024-01-01" : TERM_STARTS;
      const firstTerm = isTable ? null : startsOn < TERM_STARTS ? `${id}-term-2022-2025` : `${id}-term-2025-2029`;
      const currentTerm = isTable ? null : `${id}-term-2025-2029`;
      if (firstTerm && firstTerm !== currentTerm) {
        this.out.add("group_term", {
          id: firstTerm, group_id: id, term_id: "county-council-2022-2025", previous_id: null, starts_on: startsOn, ends_on: TERM_BEFORE,
          appointed_on: null, round_id: null, migrated_from: null,
        });
      }
      if (currentTerm) {
        const renewed = firstTerm !== currentTerm;
        this.out.add("group_term", {
          id: currentTerm, group_id: id, term_id: "county-council-2025-2029", previous_id: renewed ? firstTerm : null, starts_on: TERM_STARTS,
          ends_on: TERM_ENDS, appointed_on: renewed && g > 0 ? TERM_STARTS : null, round_id: null, migrated_from: null,
        });
      }
      const groupSeats: Seat[] = seats.map((s, i) => ({ ...s, id: `${id}-seat-${i + 1}` }));
      groupSeats.forEach((s, i) =>
        this.out.add("group_seat", {
          id: s.id,
          group_id: id,
          ordinal: i + 1,
          constituency: s.constituency,
          label: s.label,
          category_id: s.categoryId,
          municipality_code: s.municipalityCode,
          organisation_id: s.organisationId,
          min_members: s.constituency === "municipality" ? 1 : s.constituency === "association_category" ? 1 : null,
          max_members: s.constituency === "municipality" ? (kind === "liaison_network" ? 1 : 4) : s.constituency === "association_category" ? 1 : null,
          deputies: s.constituency === "association_category" ? 1 : null,
          deputies_optional_when_several_members: s.constituency === "municipality" && kind === "partnership_group",
          speaking_right_only: false,
          group_term_id: firstTerm,
        }),
      );
      this.groups.push({ id, kind, municipalities, seats: groupSeats, annualNegotiation, firstTerm, currentTerm });
    }
  }

  private seatOrganisation(seat: Seat, group: Group): string {
    if (seat.organisationId) return seat.organisationId;
    if (seat.constituency === "association_category" && seat.categoryId) {
      const list = this.orgsByCategory.get(seat.categoryId);
      if (list && list.length > 0) return this.rng.pick(list).id;
      return this.orgOfKind("association", group);
    }
    if (seat.constituency === "theme") return this.orgOfKind(this.rng.chance(0.7) ? "association" : "education_institution", group);
    return this.orgOfKind(sectorKind(seat.label), group);
  }

  /**
   * Ten memberships per block, always the same mix so that counts are exact:
   * two leading members (chair and vice chair in the first block), two
   * members each with a named deputy, a member who left (ended) and the one
   * who replaced them from the next day, a secretary (first block) or
   * member, and a coordinator (first block), speaking-right member or deputy.
   */
  private membershipRows(): void {
    const c = this.code;
    this.groups.forEach((group) => {
      const used = new Set<string>();
      let seatAt = 0;
      let n = 0;
      const nextSeat = () => group.seats[seatAt++ % group.seats.length]!;
      const add = (
        seat: Seat | null,
        role: Stored<MembershipRole>,
        options: {
          organisationId?: string;
          deputyOf?: string;
          startsOn?: string;
          endsOn?: string | null;
          title?: string | null;
          /** Served the first term and stays on, carried over, until this day. */
          carriedOverUntil?: string;
        } = {},
      ): { id: string; organisationId: string; seat: Seat | null } => {
        n += 1;
        const id = `${SYNTHETIC_PREFIX}membership-${c}-${group.id.slice(group.id.lastIndexOf("-") + 1)}-${n}`;
        const organisationId = options.organisationId ?? (seat ? this.seatOrganisation(seat, group) : countyOrg(c));
        const person = this.personOf(organisationId, used);
        this.out.add("membership", {
          id,
          group_id: group.id,
          seat_id: seat?.id ?? null,
          person_id: person.id,
          organisation_id: organisationId,
          role,
          deputy_of_id: options.deputyOf ?? null,
          title: options.title ?? null,
          starts_on: options.carriedOverUntil ? "2024-01-01" : (options.startsOn ?? TERM_STARTS),
          ends_on: options.carriedOverUntil ? TERM_BEFORE : (options.endsOn ?? null),
          group_term_id: options.carriedOverUntil ? group.firstTerm : group.currentTerm,
          carry_over: options.carriedOverUntil !== undefined,
          carry_over_ends_on: options.carriedOverUntil ?? null,
        });
        if (role === "secretary") {
          this.out.add("group_contact", { group_id: group.id, person_id: person.id, organisation_id: organisationId, title: "Ryhmän sihteeri", ordinal: 1 });
        }
        return { id, organisationId, seat };
      };
      for (let block = 0; block < this.counts.membershipBlocksPerGroup; block++) {
        const first = block === 0;
        const lead = add(nextSeat(), first ? "chair" : "member", { title: first ? "puheenjohtaja" : null });
        add(nextSeat(), first ? "vice_chair" : "member");
        const a = add(nextSeat(), "member");
        const b = add(nextSeat(), "member");
        add(a.seat, "deputy", { organisationId: a.organisationId, deputyOf: a.id });
        add(b.seat, "deputy", { organisationId: b.organisationId, deputyOf: b.id });
        const leftOn = addDays("2025-08-01", this.rng.int(240));
        // In a group renewed from the first term, the member who left served that term and stayed on
        // (carried over) until their successor was appointed.
        const renewed = group.firstTerm !== null && group.firstTerm !== group.currentTerm;
        const left = add(nextSeat(), "member", renewed ? { carriedOverUntil: leftOn } : { endsOn: leftOn });
        add(left.seat, "member", { organisationId: left.organisationId, startsOn: addDays(leftOn, 1) });
        if (first) add(null, "secretary", { organisationId: countyOrg(c), title: "sihteeri" });
        else add(nextSeat(), "member");
        if (first) add(null, "coordinator", { organisationId: countyOrg(c) });
        else if (block % 2 === 1) add(nextSeat(), "speaking_right");
        else add(lead.seat, "deputy", { organisationId: lead.organisationId, deputyOf: lead.id });
      }
    });
  }

  private meetingRows(): void {
    const span = daysBetween(MEETINGS_FROM, MEETINGS_TO);
    const hours = [9, 10, 13, 14] as const;
    this.groups.forEach((group) => {
      const count = this.counts.meetingsPerGroup;
      const negotiationYears = new Set<string>();
      for (let k = 0; k < count; k++) {
        const date = weekday(addDays(MEETINGS_FROM, Math.floor((k * span) / count) + this.rng.int(Math.max(1, Math.floor(span / count / 2)))));
        const year = date.slice(0, 4);
        let kind: Stored<MeetingKind> = "regular";
        let title = "Kokous";
        if (k === 0) {
          kind = "organising";
          title = "Järjestäytymiskokous";
        } else if (group.annualNegotiation && !negotiationYears.has(year) && date.slice(5) >= "09-01") {
          kind = "annual_negotiation";
          title = `Vuosittainen neuvottelu ${year}`;
          negotiationYears.add(year);
        }
        const hour = this.rng.pick(hours);
        const at = (h: number) => `${date} ${String(h).padStart(2, "0")}:00:00`;
        this.out.add("meeting", {
          id: `${group.id.replace("group", "meeting")}-${k + 1}`,
          group_id: group.id,
          kind,
          title,
          starts_at: at(hour),
          ends_at: at(hour + 2),
          location: this.rng.chance(0.3) ? "Etäkokous" : `Synteettinen kokoustila, ${this.municipalityName(this.rng.pick(group.municipalities))}`,
          agenda: JSON.stringify(["Kokouksen avaus", "Edellisen kokouksen muistio", `${THEMES[k % THEMES.length]![0]}: ajankohtaiset asiat`, "Muut asiat"]),
        });
      }
    });
  }

  private nominationRows(): void {
    const c = this.code;
    const rounds = this.counts.nominationRounds;
    const window = daysBetween("2024-02-15", "2026-11-30");
    const countyPeople = new Set<string>();
    for (let r = 0; r < rounds; r++) {
      const id = `${SYNTHETIC_PREFIX}round-${c}-${r + 1}`;
      const size = 1 + (r % 3);
      const covered = [...new Set(Array.from({ length: size }, (_, k) => this.groups[(r * 3 + k) % this.groups.length]!))];
      const municipal = covered.flatMap((g) =>
        g.seats.filter((s) => s.constituency === "municipality").map((s) => ({ group: g, code: s.municipalityCode! })),
      );
      // Every other round is an open call to the association categories, the rest ask the municipalities of municipality seats.
      const kind: Stored<NominationRoundKind> = municipal.length > 0 && r % 2 === 0 ? "nomination_request" : "open_call";
      const closesOn = addDays("2024-02-15", Math.floor(((r + 0.5) * window) / rounds));
      const opensOn = addDays(closesOn, -42);
      const pending = closesOn >= PENDING_FROM;
      const contact = this.personOf(countyOrg(c), countyPeople);
      this.out.add("nomination_round", {
        id,
        county_code: c,
        name: `Synteettinen ${kind === "nomination_request" ? "nimeämispyyntö" : "haku"} ${c}-${r + 1}`,
        kind,
        opens_on: kind === "open_call" ? opensOn : null,
        closes_on: closesOn,
        submit_to: `kirjaamo.${c}@example.invalid`,
        submission_method: kind === "nomination_request" ? "kirjallinen ilmoitus" : "verkkolomake",
        nominees: kind === "nomination_request" ? "työntekijä" : "järjestöjen edustajat",
        min_per_nominator: kind === "nomination_request" ? 1 : null,
        max_per_nominator: kind === "nomination_request" ? 4 : null,
        deputies_optional_when_several_members: kind === "nomination_request",
        contact_person_id: contact.id,
        contact_organisation_id: countyOrg(c),
        description: null,
      });
      for (const g of covered) this.out.add("nomination_round_group", { round_id: id, group_id: g.id });
      // Municipalities of the covered groups' municipality seats are asked; without such seats, the county's association categories.
      const nominators: { id: string; groupId: string; orgId: () => string }[] = [];
      const addNominator = (kind: Stored<NominatorKind>, groupId: string, municipalityCode: string | null, categoryId: string | null, orgId: () => string) => {
        const nominatorId = `${id}-nominator-${nominators.length + 1}`;
        this.out.add("nominator", {
          id: nominatorId, round_id: id, kind, municipality_code: municipalityCode, category_id: categoryId, group_id: groupId, ordinal: nominators.length + 1,
        });
        nominators.push({ id: nominatorId, groupId, orgId });
      };
      if (kind === "nomination_request") {
        // A municipality is asked once per round (unique per round), for the first group it sits in.
        const asked = new Set<string>();
        for (const { group, code } of municipal) {
          if (asked.has(code)) continue;
          asked.add(code);
          addNominator("municipality", group.id, code, null, () => municipalityOrg(code));
        }
      } else {
        for (const categoryId of this.categories) {
          addNominator("organisation_category", covered[0]!.id, null, categoryId, () => {
            const list = this.orgsByCategory.get(categoryId);
            return list && list.length > 0 ? this.rng.pick(list).id : this.orgOfKind("association", null);
          });
        }
      }
      const used = new Set<string>();
      let k = 0;
      for (const nominator of nominators) {
        // One in five nominators has not answered: dashboards ask for exactly these.
        if (this.rng.chance(0.2)) continue;
        const howMany = this.rng.chance(0.4) ? 2 : 1;
        for (let j = 0; j < howMany; j++) {
          const organisationId = nominator.orgId();
          const person = this.personOf(organisationId, used);
          const draw = this.rng.float();
          const status: Stored<NominationStatus> = pending
            ? draw < 0.9
              ? "submitted"
              : "withdrawn"
            : draw < 0.7
              ? "accepted"
              : draw < 0.85
                ? "rejected"
                : draw < 0.92
                  ? "withdrawn"
                  : "submitted";
          k += 1;
          this.out.add("nomination", {
            id: `${id}-nomination-${k}`,
            round_id: id,
            nominator_id: nominator.id,
            person_id: person.id,
            organisation_id: organisationId,
            group_id: nominator.groupId,
            as_deputy: j === 1,
            status,
            submitted_on: addDays(opensOn, this.rng.int(43)),
          });
        }
      }
    }
  }

  // ---------------------------------------------------------------- planning database

  private planningRows(): void {
    const c = this.code;
    const themeIds = THEMES.slice(0, THEMES_PER_COUNTY).map((_, i) => `${SYNTHETIC_PREFIX}theme-${c}-${i + 1}`);
    // Partnership groups work on every theme (as Pohjois-Karjala's do), the other groups on one or two.
    const groupsOfTheme = themeIds.map(() => [] as string[]);
    for (const group of this.groups) {
      const all = group.kind === "partnership_group";
      const first = this.rng.int(themeIds.length);
      const chosen = all ? themeIds.map((_, i) => i) : this.rng.chance(0.5) ? [first] : [first, (first + 1) % themeIds.length];
      for (const i of chosen) groupsOfTheme[i]!.push(group.id);
    }
    themeIds.forEach((id, i) =>
      this.out.add("theme", {
        id,
        county_code: c,
        position: 100 + i + 1,
        name: `${THEMES[i]![0]} (synteettinen)`,
        name_en: `${THEMES[i]![1]} (synthetic)`,
        group_ids: groupsOfTheme[i]!,
      }),
    );

    const goals: string[] = [];
    const plans: { id: string; municipality: string | null }[] = [
      { id: `${SYNTHETIC_PREFIX}plan-${c}`, municipality: null },
      ...this.municipalityCodes.map((m) => ({ id: `${SYNTHETIC_PREFIX}plan-${c}-${m}`, municipality: m })),
    ];
    const goalPlan = new Map<string, string | null>();
    for (const plan of plans) {
      const approved = plan.municipality === null || this.rng.chance(0.7);
      const status: Stored<PlanStatus> = approved ? "approved" : "draft";
      const priorities = [0, 1, 2].map((k) => themeIds[(this.rng.int(themeIds.length) + k) % themeIds.length]!);
      const unique = [...new Set(priorities)];
      const owner = plan.municipality ? this.municipalityName(plan.municipality) : this.county.nameFi;
      this.out.add("wellbeing_plan", {
        id: plan.id,
        title: `Synteettinen hyvinvointikertomus ja -suunnitelma 2025–2029, ${owner}`,
        county_code: c,
        municipality_code: plan.municipality,
        council_term: "2025–2029",
        status,
        approved_on: approved ? addDays("2025-10-01", this.rng.int(120)) : null,
        assessment: "Synteettinen arvio väestön hyvinvoinnista; ei todellista tietoa.",
        priority_theme_ids: unique,
      });
      for (let k = 0; k < GOALS_PER_PLAN; k++) {
        const id = `${plan.id.replace("plan", "goal")}-${k + 1}`;
        goals.push(id);
        goalPlan.set(id, plan.municipality);
        this.out.add("wellbeing_goal", {
          id,
          plan_id: plan.id,
          theme_id: unique[k % unique.length]!,
          position: k + 1,
          text: `Synteettinen tavoite ${k + 1}: ${MEASURE_OBJECTS[(k + plans.indexOf(plan)) % MEASURE_OBJECTS.length]} vahvistuu`,
          indicator_ids: [],
        });
      }
    }

    for (let i = 0; i < this.counts.measures; i++) {
      const id = `${SYNTHETIC_PREFIX}measure-${c}-${i + 1}`;
      const goalId = goals[i % goals.length]!;
      const municipality = goalPlan.get(goalId) ?? null;
      const draw = this.rng.float();
      const status: Stored<MeasureStatus> = draw < 0.3 ? "planned" : draw < 0.75 ? "in_progress" : draw < 0.95 ? "done" : "cancelled";
      const organisationIds = [
        municipality ? municipalityOrg(municipality) : countyOrg(c),
        ...(this.orgs.length > 0 ? Array.from({ length: this.rng.int(3) }, () => this.rng.pick(this.orgs).id) : []),
      ];
      const groupDraw = this.rng.float();
      const groupIds =
        groupDraw < 0.25 ? [] : groupDraw < 0.75 ? [this.rng.pick(this.groups).id] : [this.rng.pick(this.groups).id, this.rng.pick(this.groups).id];
      const dated = i % 5 !== 4;
      const startsOn = addDays("2025-06-01", this.rng.int(365));
      this.out.add("measure", {
        id,
        county_code: c,
        goal_id: goalId,
        title: `Synteettinen toimenpide ${c}-${i + 1}: ${this.rng.pick(MEASURE_VERBS)} ${this.rng.pick(MEASURE_OBJECTS)}`,
        description: i % 2 === 0 ? "Synteettinen kuvaus toimenpiteestä kuormitustestejä varten." : null,
        starts_on: dated ? startsOn : null,
        ends_on: dated ? addDays(startsOn, 180 + this.rng.int(540)) : null,
        schedule_note: dated ? null : "vuosittain keväällä",
        status,
        organisation_ids: [...new Set(organisationIds)],
        group_ids: [...new Set(groupIds)],
      });
      const notes = status === "in_progress" ? 1 + this.rng.int(2) : status === "done" ? 2 + this.rng.int(2) : 0;
      for (let k = 0; k < notes; k++) {
        this.out.add("measure_progress_note", {
          id: `${id}-note-${k + 1}`,
          measure_id: id,
          noted_on: addDays("2025-09-01", 90 * k + this.rng.int(60)),
          text: `Synteettinen edistymismerkintä ${k + 1}.`,
        });
      }
    }
  }
}

/** Åland is no wellbeing services county; a few associations there make the finland set touch all municipalities. */
function alandRows(out: Dataset, municipalities: { code: string; nameFi: string }[]): void {
  municipalities.forEach((m, i) => {
    for (let k = 0; k < 2; k++) {
      const seq = 2 * i + k + 1;
      const id = `${SYNTHETIC_PREFIX}org-91-${seq}`;
      const name = `Synteettinen yhdistys 91-${seq} r.f. (${m.nameFi})`;
      out.add("organisation", {
        id, name, other_names: "[]", name_normalised: normaliseSearch(name), search_text: searchTextOf(name), kind: "association",
        business_id: null, parent_id: null, county_code: null, website: null,
      });
      out.add("organisation_municipality", { organisation_id: id, municipality_code: m.code });
    }
  });
}

// ------------------------------------------------------------------ writing

/** PostgreSQL takes at most 65 535 parameters per statement. */
const MAX_PARAMETERS = 60_000;
const MAX_ROWS_PER_STATEMENT = 2_000;

async function insertAll(client: pg.Client, table: string, rows: Row[]): Promise<void> {
  const spec = TABLES[table]!;
  const columns = spec.columns;
  const perStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
  const columnList = columns.map((col) => `"${col}"`).join(", ");
  for (let from = 0; from < rows.length; from += perStatement) {
    const batch = rows.slice(from, from + perStatement);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = columns.map((col) => {
        params.push(row[col]);
        const placeholder = `$${params.length}`;
        const cast = spec.casts?.[col];
        return cast ? cast.replace("$", placeholder) : placeholder;
      });
      return `(${placeholders.join(", ")})`;
    });
    await client.query(`insert into "${table}" (${columnList}) values ${tuples.join(", ")}`, params);
  }
}

/** Tables holding rows with the synthetic prefix, and how many. */
async function existingSynthetic(client: pg.Client, db: ServiceDb): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of TABLES_OF[db]) {
    const key = syntheticKeyColumn(table);
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from "${table}" where "${key}" like $1`, [`${SYNTHETIC_PREFIX}%`]);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) found[table] = n;
  }
  return found;
}

/**
 * Generates the dataset and writes it. Refuses (before writing anything) if
 * any target already holds `syn-` rows, unless `replace` is set, in which
 * case exactly those rows are deleted inside the same transaction.
 */
/** Throws, naming each one, when a table or column the generator writes is not mapped by the service's entities. */
export async function checkTablesAgainstEntities(): Promise<void> {
  const problems = columnMismatches(TABLES, await allEntityTables());
  if (problems.length > 0) throw new Error(`The generator's tables disagree with the entities:\n- ${problems.join("\n- ")}`);
}

export async function generateDataset(targets: GenerateTargets, options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  if (options.scale !== "finland" && !(Number.isInteger(options.scale) && options.scale > 0)) {
    throw new Error(`scale must be a positive integer or "finland", got ${String(options.scale)}`);
  }
  const factor = options.factor ?? 1;
  if (!(factor > 0) || (options.scale !== "finland" && factor !== 1)) {
    throw new Error(`factor must be a positive number, and only with scale "finland", got ${String(options.factor)}`);
  }
  await checkTablesAgainstEntities();
  const reference = await readReference(targets.organisations);
  const known = new Map(reference.counties.map((c) => [c.code, c]));
  const wanted = options.countyCodes ?? (options.scale === "finland" ? [...known.keys()] : ["14"]);
  const unknown = wanted.filter((code) => !known.has(code));
  if (unknown.length > 0) throw new Error(`Unknown county code(s) ${unknown.join(", ")}; expected one of ${[...known.keys()].join(", ")}`);
  const counties = [...new Set(wanted)].sort().map((code) => known.get(code)!);
  const weightSum = reference.counties.reduce((sum, c) => sum + c.municipalities.length + 5, 0);

  const clients = Object.fromEntries(
    (Object.keys(targets) as ServiceDb[]).map((db) => [db, new pg.Client({ connectionString: targets[db] })]),
  ) as Record<ServiceDb, pg.Client>;
  const dbs: ServiceDb[] = ["organisations", "groups", "planning"];
  try {
    for (const db of dbs) await clients[db].connect();
    if (!options.replace) {
      const clashes: string[] = [];
      for (const db of dbs) {
        for (const [table, n] of Object.entries(await existingSynthetic(clients[db], db))) clashes.push(`${db}.${table}: ${n}`);
      }
      if (clashes.length > 0) {
        throw new Error(
          `The target databases already hold synthetic (${SYNTHETIC_PREFIX}) rows (${clashes.join(", ")}). Use --replace (replace: true) to delete them first.`,
        );
      }
    }
    const dataset = new Dataset();
    for (const county of counties) {
      const m = county.municipalities.length;
      const counts = options.scale === "finland" ? finlandCounts(m, weightSum, factor) : scaledCounts(options.scale, m);
      new CountyGenerator(dataset, county, counts, options.seed).run();
    }
    if (options.scale === "finland" && options.countyCodes === undefined) alandRows(dataset, reference.aland);

    const counts = { organisations: {}, groups: {}, planning: {} } as GenerateResult["counts"];
    for (const db of dbs) {
      const client = clients[db];
      await client.query("begin");
      try {
        if (options.replace) {
          for (const table of TABLES_OF[db]) {
            await client.query(`delete from "${table}" where "${syntheticKeyColumn(table)}" like $1`, [`${SYNTHETIC_PREFIX}%`]);
          }
        }
        for (const table of TABLES_OF[db]) {
          const rows = dataset.rows.get(table)!;
          await insertAll(client, table, rows);
          counts[db][table] = rows.length;
        }
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw error;
      }
    }
    return { counties: counties.map((c) => c.code), counts, millis: Math.round(performance.now() - started) };
  } finally {
    await Promise.all(dbs.map((db) => clients[db].end().catch(() => undefined)));
  }
}
