import ExcelJS from "exceljs";
import { SYNTHETIC_PREFIX } from "../bench/src/generate.ts";
import { serviceSql, type TestStack } from "./support.ts";

/**
 * One county of the synthetic generator (bench/src/generate.ts, which writes
 * SQL) rendered as the import files a coordinator would bring
 * (docs/IMPORT.md): organisations, groups and memberships as CSV (semicolons,
 * BOM, as Finnish Excel writes it), people and meetings as XLSX. Read from
 * the databases the generator wrote; records are named by their natural keys
 * only (names, e-mail), never by id.
 *
 * Seats are rendered with their constituency (the generator labels every
 * municipality's seat of a group "Kunnan edustajat" and several agency
 * seats "Virasto": the label with the municipality, organisation or
 * category is the key), and memberships name their seat by label, with the
 * seat's municipality for municipality seats and, for the agency seats, by
 * the membership's own organisation.
 *
 * The planning subgraph's plans with their goals (CSV, one row a goal) and
 * measures (XLSX) come last (`renderPlanSheets`): goals name their theme
 * by name, measures their goal by its text in the plan (county,
 * municipality, council term), their responsible organisations by
 * business ID (or name) and their groups by name.
 *
 * Not rendered, because the import does not take them (see the comparison
 * in test/import-county.test.ts): carried-over memberships (no column for
 * `carryOverEndsOn`), group terms, areas, parent groups, group contacts,
 * themes (kept as the generator wrote them), a plan's assessment and
 * priority themes, and measures' progress notes. Nomination rounds are not
 * an import kind (a coordinator opens them with `openNominationRound`):
 * `renderRounds` gives what opening them takes, by group names, and the
 * nominations of the rounds that ask municipalities as a nominations file
 * (rounds asking association categories have no import yet).
 */
export interface SheetFile {
  kind: "organisations" | "people" | "groups" | "seats" | "memberships" | "meetings" | "nominations" | "plans" | "measures";
  name: string;
  content: string | Buffer;
}

const syn = `${SYNTHETIC_PREFIX}%`;

function csvCell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvFile(header: string[], rows: string[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(";")).join("\r\n")}\r\n`;
}

async function xlsxFile(sheetName: string, header: string[], rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Carried-over memberships of the county's synthetic groups: group name, person name, first day (left out of the files). */
export async function carriedOver(stack: TestStack, countyCode: string): Promise<{ group: string; person: string; startsOn: string }[]> {
  const rows = await serviceSql<{ group_name: string; person_id: string; starts_on: string }>(
    stack,
    "groups",
    `select g.name as group_name, m.person_id, m.starts_on::text from membership m join cooperation_group g on g.id = m.group_id
      where g.id like $1 and g.county_code = $2 and m.carry_over`,
    [syn, countyCode],
  );
  const names = await personNames(stack, rows.map((r) => r.person_id));
  return rows.map((r) => ({ group: r.group_name, person: names.get(r.person_id)!, startsOn: r.starts_on }));
}

/**
 * Seats held on `day` by the county's carried-over memberships (left out of
 * the files), by the generator's seat id: how many members and deputies the
 * generated seat's occupancy counts that the imported one cannot (active as
 * `isActiveOn` in services/groups/src/membership/membership.entity.ts).
 */
export async function carriedOverSeats(stack: TestStack, countyCode: string, day: string): Promise<Map<string, { members: number; deputies: number }>> {
  const rows = await serviceSql<{ seat_id: string; deputy: boolean }>(
    stack,
    "groups",
    `select m.seat_id, m.role = 'deputy' as deputy from membership m join cooperation_group g on g.id = m.group_id
      where g.id like $1 and g.county_code = $2 and m.carry_over and m.seat_id is not null and m.corrected_at is null
        and (m.starts_on is null or m.starts_on <= $3::date)
        and (m.ends_on is null or m.ends_on >= $3::date or m.carry_over_ends_on is null or m.carry_over_ends_on >= $3::date)
        and m.role in ('chair', 'vice_chair', 'member', 'speaking_right', 'deputy')`,
    [syn, countyCode, day],
  );
  const out = new Map<string, { members: number; deputies: number }>();
  for (const r of rows) {
    const seat = out.get(r.seat_id) ?? { members: 0, deputies: 0 };
    if (r.deputy) seat.deputies++;
    else seat.members++;
    out.set(r.seat_id, seat);
  }
  return out;
}

async function personNames(stack: TestStack, ids: string[]): Promise<Map<string, string>> {
  const rows = await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from person where id = any($1)`, [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function renderCountySheets(stack: TestStack, countyCode: string): Promise<SheetFile[]> {
  const organisations = await serviceSql<{ name: string; kind: string; website: string | null; other_names: string[]; municipalities: string[]; categories: string[] }>(
    stack,
    "organisations",
    `select o.name, o.kind, o.website, o.other_names,
            array(select m.municipality_code from organisation_municipality m where m.organisation_id = o.id order by 1) as municipalities,
            array(select c.name from organisation_category_assignment a join organisation_category c on c.id = a.category_id where a.organisation_id = o.id order by 1) as categories
       from organisation o where o.id like $1 and o.county_code = $2 order by o.id`,
    [syn, countyCode],
  );
  const people = await serviceSql<{ id: string; name: string; title: string | null; email: string | null; phone: string | null; organisation: string }>(
    stack,
    "organisations",
    `select p.id, p.name, p.title, p.email, p.phone, o.name as organisation from person p join organisation o on o.id = p.organisation_id
      where p.id like $1 and p.id like $2 order by p.id`,
    [syn, `${SYNTHETIC_PREFIX}person-${countyCode}-%`],
  );
  const groups = await serviceSql<{ id: string; name: string; kind: string; short_name: string | null; description: string | null; starts_on: string | null; municipalities: string[] }>(
    stack,
    "groups",
    `select g.id, g.name, g.kind, g.short_name, g.description, g.starts_on::text,
            array(select m.municipality_code from group_municipality m where m.group_id = g.id order by 1) as municipalities
       from cooperation_group g where g.id like $1 and g.county_code = $2 order by g.id`,
    [syn, countyCode],
  );
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  const seats = await serviceSql<{ id: string; group_id: string; label: string; constituency: string; municipality_code: string | null; organisation_id: string | null; category_id: string | null; max_members: number | null; deputies: number | null }>(
    stack,
    "groups",
    `select id, group_id, label, constituency, municipality_code, organisation_id, category_id, max_members, deputies
       from group_seat where group_id = any($1) and ends_on is null order by group_id, ordinal`,
    [groups.map((g) => g.id)],
  );
  const seatOf = new Map(seats.map((s) => [s.id, s]));
  const categoryNames = new Map(
    (await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from organisation_category where id = any($1)`, [seats.map((s) => s.category_id ?? "")])).map((r) => [r.id, r.name]),
  );
  const memberships = await serviceSql<{ id: string; group_id: string; person_id: string; organisation_id: string; seat_id: string | null; role: string; deputy_of_person: string | null; title: string | null; starts_on: string; ends_on: string | null }>(
    stack,
    "groups",
    `select m.id, m.group_id, m.person_id, m.organisation_id, m.seat_id, m.role, d.person_id as deputy_of_person, m.title, m.starts_on::text, m.ends_on::text
       from membership m left join membership d on d.id = m.deputy_of_id
      where m.group_id = any($1) and not m.carry_over
      order by m.group_id, length(m.id), m.id`,
    [groups.map((g) => g.id)],
  );
  const meetings = await serviceSql<{ group_id: string; kind: string; title: string | null; starts_at: Date; ends_at: Date | null; location: string | null }>(
    stack,
    "groups",
    `select group_id, kind, title, starts_at, ends_at, location from meeting where group_id = any($1) order by group_id, starts_at`,
    [groups.map((g) => g.id)],
  );
  const personIds = [...new Set(memberships.flatMap((m) => [m.person_id, m.deputy_of_person ?? m.person_id]))];
  const names = await personNames(stack, personIds);
  const organisationNames = new Map(
    (await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from organisation where id = any($1)`, [[...new Set([...memberships.map((m) => m.organisation_id), ...seats.map((s) => s.organisation_id ?? "")])]])).map((r) => [r.id, r.name]),
  );
  const emails = new Map(people.map((p) => [p.id, p.email ?? ""]));

  return [
    {
      kind: "organisations",
      name: `organisaatiot-${countyCode}.csv`,
      content: csvFile(
        ["Nimi / Name", "Tyyppi / Kind", "Hyvinvointialue / County", "Kunnat / Municipalities", "Luokat / Categories", "Muut nimet / Other names", "Verkkosivu / Website"],
        organisations.map((o) => [o.name, o.kind, countyCode, o.municipalities.join("; "), o.categories.join("; "), o.other_names.join("; "), o.website ?? ""]),
      ),
    },
    {
      kind: "people",
      name: `henkilot-${countyCode}.xlsx`,
      content: await xlsxFile(
        "henkilöt",
        ["Nimi", "Tehtävänimike", "Organisaatio", "Sähköposti", "Puhelin"],
        people.map((p) => [p.name, p.title ?? "", p.organisation, p.email ?? "", p.phone ?? ""]),
      ),
    },
    {
      kind: "groups",
      name: `ryhmat-${countyCode}.csv`,
      content: csvFile(
        ["Hyvinvointialue", "Nimi", "Tyyppi", "Lyhenne", "Kunnat", "Alkaa", "Kuvaus"],
        groups.map((g) => [countyCode, g.name, g.kind, g.short_name ?? "", g.municipalities.join(";"), g.starts_on ?? "", g.description ?? ""]),
      ),
    },
    {
      kind: "seats",
      name: `paikat-${countyCode}.csv`,
      content: csvFile(
        ["Hyvinvointialue / County", "Ryhmä / Group", "Paikka / Seat", "Valitsijataho / Constituency", "Kunta / Municipality", "Organisaatio / Organisation", "Luokka / Category", "Jäseniä enintään / Max members", "Varajäseniä / Deputies"],
        seats.map((s) => [
          countyCode, groupNames.get(s.group_id)!, s.label, s.constituency, s.municipality_code ?? "", s.organisation_id ? organisationNames.get(s.organisation_id)! : "",
          s.category_id ? categoryNames.get(s.category_id)! : "", s.max_members === null ? "" : String(s.max_members), s.deputies === null ? "" : String(s.deputies),
        ]),
      ),
    },
    {
      kind: "memberships",
      name: `jasenyydet-${countyCode}.csv`,
      content: csvFile(
        ["County", "Group", "Person", "E-mail", "Organisation", "Seat", "Seat municipality", "Role", "Deputy of", "Starts on", "Ends on", "Title"],
        memberships.map((m) => [
          countyCode, groupNames.get(m.group_id)!, names.get(m.person_id)!, emails.get(m.person_id) ?? "", organisationNames.get(m.organisation_id)!,
          m.seat_id ? seatOf.get(m.seat_id)!.label : "", m.seat_id ? (seatOf.get(m.seat_id)!.municipality_code ?? "") : "",
          m.role, m.deputy_of_person ? names.get(m.deputy_of_person)! : "", m.starts_on, m.ends_on ?? "", m.title ?? "",
        ]),
      ),
    },
    {
      kind: "meetings",
      name: `kokoukset-${countyCode}.xlsx`,
      content: await xlsxFile(
        "kokoukset",
        ["Hyvinvointialue / County", "Ryhmä / Group", "Alkaa / Starts at", "Päättyy / Ends at", "Tyyppi / Kind", "Otsikko / Title", "Paikka / Location"],
        meetings.map((m) => [countyCode, groupNames.get(m.group_id)!, new Date(m.starts_at).toISOString(), m.ends_at ? new Date(m.ends_at).toISOString() : "", m.kind, m.title ?? "", m.location ?? ""]),
      ),
    },
  ];
}

export interface RoundToOpen {
  name: string;
  kind: string;
  opensOn: string | null;
  closesOn: string;
  submitTo: string | null;
  submissionMethod: string | null;
  nominees: string | null;
  minPerNominator: number | null;
  maxPerNominator: number | null;
  deputiesOptionalWhenSeveralMembers: boolean;
  groups: string[];
  /** In the round's order: the municipality asked and the name of the group its nominees go to. */
  nominators: { municipalityCode: string; group: string }[];
}

/** The county's synthetic rounds that ask municipalities, and their nominations as an XLSX nominations file. */
export async function renderRounds(stack: TestStack, countyCode: string): Promise<{ rounds: RoundToOpen[]; file: SheetFile }> {
  const rounds = await serviceSql<{ id: string; name: string; kind: string; opens_on: string | null; closes_on: string; submit_to: string | null; submission_method: string | null; nominees: string | null; min_per_nominator: number | null; max_per_nominator: number | null; deputies_optional_when_several_members: boolean }>(
    stack,
    "groups",
    `select id, name, kind, opens_on::text, closes_on::text, submit_to, submission_method, nominees, min_per_nominator, max_per_nominator, deputies_optional_when_several_members
       from nomination_round r where id like $1 and county_code = $2 and kind = 'nomination_request'
        and not exists (select 1 from nominator n where n.round_id = r.id and n.kind <> 'municipality') order by id`,
    [syn, countyCode],
  );
  const ids = rounds.map((r) => r.id);
  const groupsOf = await serviceSql<{ round_id: string; name: string }>(stack, "groups", `select rg.round_id, g.name from nomination_round_group rg join cooperation_group g on g.id = rg.group_id where rg.round_id = any($1) order by g.name`, [ids]);
  const nominators = await serviceSql<{ id: string; round_id: string; municipality_code: string; name: string }>(
    stack, "groups", `select n.id, n.round_id, n.municipality_code, g.name from nominator n join cooperation_group g on g.id = n.group_id where n.round_id = any($1) order by n.round_id, n.ordinal`, [ids],
  );
  const nominations = await serviceSql<{ round_id: string; nominator_id: string; person_id: string; organisation_id: string | null; as_deputy: boolean; status: string; submitted_on: string }>(
    stack, "groups", `select round_id, nominator_id, person_id, organisation_id, as_deputy, status, submitted_on::text from nomination where round_id = any($1) order by round_id, submitted_on, id`, [ids],
  );
  const people = await serviceSql<{ id: string; name: string; email: string | null }>(stack, "organisations", `select id, name, email from person where id = any($1)`, [nominations.map((n) => n.person_id)]);
  const person = new Map(people.map((p) => [p.id, p]));
  const organisations = new Map(
    (await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from organisation where id = any($1)`, [nominations.map((n) => n.organisation_id ?? "")])).map((o) => [o.id, o.name]),
  );
  const roundOf = new Map(rounds.map((r) => [r.id, r]));
  const nominatorOf = new Map(nominators.map((n) => [n.id, n]));
  return {
    rounds: rounds.map((r) => ({
      name: r.name, kind: r.kind, opensOn: r.opens_on, closesOn: r.closes_on, submitTo: r.submit_to, submissionMethod: r.submission_method, nominees: r.nominees,
      minPerNominator: r.min_per_nominator, maxPerNominator: r.max_per_nominator, deputiesOptionalWhenSeveralMembers: r.deputies_optional_when_several_members,
      groups: groupsOf.filter((g) => g.round_id === r.id).map((g) => g.name),
      nominators: nominators.filter((n) => n.round_id === r.id).map((n) => ({ municipalityCode: n.municipality_code, group: n.name })),
    })),
    file: {
      kind: "nominations",
      name: `nimeamiset-${countyCode}.xlsx`,
      content: await xlsxFile(
        "nimeämiset",
        ["Hyvinvointialue", "Nimeämiskierros", "Määräaika", "Nimeäjä", "Henkilö", "Sähköposti", "Organisaatio", "Varajäseneksi", "Saapunut", "Tila"],
        nominations.map((n) => [
          countyCode, roundOf.get(n.round_id)!.name, roundOf.get(n.round_id)!.closes_on, nominatorOf.get(n.nominator_id)!.municipality_code,
          person.get(n.person_id)!.name, person.get(n.person_id)!.email ?? "", n.organisation_id ? organisations.get(n.organisation_id)! : "", n.as_deputy ? "kyllä" : "ei", n.submitted_on, n.status,
        ]),
      ),
    },
  };
}

/** The county's synthetic wellbeing plans with their goals (CSV) and measures (XLSX), in the import's order. */
export async function renderPlanSheets(stack: TestStack, countyCode: string): Promise<SheetFile[]> {
  const goals = await serviceSql<{ plan_id: string; municipality_code: string | null; council_term: string; title: string; status: string; approved_on: string | null; goal_id: string; text: string; theme: string | null; indicator_ids: string[] }>(
    stack,
    "planning",
    `select p.id as plan_id, p.municipality_code, p.council_term, p.title, p.status, p.approved_on::text, g.id as goal_id, g.text, t.name as theme, g.indicator_ids
       from wellbeing_plan p join wellbeing_goal g on g.plan_id = p.id left join theme t on t.id = g.theme_id
      where p.id like $1 and p.county_code = $2 order by p.id, g.position`,
    [syn, countyCode],
  );
  const indicators = new Map(
    (await serviceSql<{ id: string; name: string }>(stack, "planning", `select id, name from indicator where id = any($1)`, [goals.flatMap((g) => g.indicator_ids)])).map((i) => [i.id, i.name]),
  );
  const goalOf = new Map(goals.map((g) => [g.goal_id, g]));
  const measures = await serviceSql<{ goal_id: string | null; title: string; status: string; organisation_ids: string[]; group_ids: string[]; starts_on: string | null; ends_on: string | null; schedule_note: string | null; description: string | null }>(
    stack,
    "planning",
    `select goal_id, title, status, organisation_ids, group_ids, starts_on::text, ends_on::text, schedule_note, description from measure where id like $1 and county_code = $2 order by id`,
    [syn, countyCode],
  );
  // The synthetic organisations are imported by name (the organisations file has no business IDs); the seed's keep theirs.
  const organisations = new Map(
    (await serviceSql<{ id: string; name: string; business_id: string | null }>(stack, "organisations", `select id, name, business_id from organisation where id = any($1)`, [measures.flatMap((m) => m.organisation_ids)])).map((o) => [o.id, o.id.startsWith(SYNTHETIC_PREFIX) ? o.name : (o.business_id ?? o.name)]),
  );
  const groups = new Map((await serviceSql<{ id: string; name: string }>(stack, "groups", `select id, name from cooperation_group where id = any($1)`, [measures.flatMap((m) => m.group_ids)])).map((g) => [g.id, g.name]));
  return [
    {
      kind: "plans",
      name: `suunnitelmat-${countyCode}.csv`,
      content: csvFile(
        ["Hyvinvointialue / County", "Kunta / Municipality", "Valtuustokausi / Council term", "Suunnitelma / Plan", "Tila / Status", "Hyväksytty / Approved on", "Tavoite / Goal", "Teema / Theme", "Mittarit / Indicators"],
        goals.map((g) => [countyCode, g.municipality_code ?? "", g.council_term, g.title, g.status, g.approved_on ?? "", g.text, g.theme ?? "", g.indicator_ids.map((id) => indicators.get(id)!).join("; ")]),
      ),
    },
    {
      kind: "measures",
      name: `toimenpiteet-${countyCode}.xlsx`,
      content: await xlsxFile(
        "toimenpiteet",
        ["Hyvinvointialue", "Kunta", "Valtuustokausi", "Tavoite", "Toimenpide", "Tila", "Vastuuorganisaatiot", "Vastuuryhmät", "Alkaa", "Päättyy", "Aikataulu", "Kuvaus"],
        measures.map((m) => {
          const goal = m.goal_id ? goalOf.get(m.goal_id)! : null;
          return [
            countyCode, goal?.municipality_code ?? "", goal?.council_term ?? "", goal?.text ?? "", m.title, m.status,
            m.organisation_ids.map((id) => organisations.get(id)!).join("; "), m.group_ids.map((id) => groups.get(id)!).join("; "),
            m.starts_on ?? "", m.ends_on ?? "", m.schedule_note ?? "", m.description ?? "",
          ];
        }),
      ),
    },
  ];
}
