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
 * Not rendered, because the import does not take them (see the comparison
 * in test/import-county.test.ts): seats (the generator labels every
 * municipality's seat of a group "Kunnan edustajat", one seat per
 * municipality, and several agency seats "Virasto": a seat's label is not a
 * key there, and association-category seats name a category the seat import
 * has no column for), carried-over memberships (no column for
 * `carryOverEndsOn`), group terms, areas, parent groups, group contacts,
 * themes, nomination rounds and their nominations (rounds are opened with
 * `openNominationRound`, not imported) and the planning subgraph's records.
 */
export interface SheetFile {
  kind: "organisations" | "people" | "groups" | "memberships" | "meetings";
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
  const memberships = await serviceSql<{ id: string; group_id: string; person_id: string; organisation_id: string; role: string; deputy_of_person: string | null; title: string | null; starts_on: string; ends_on: string | null }>(
    stack,
    "groups",
    `select m.id, m.group_id, m.person_id, m.organisation_id, m.role, d.person_id as deputy_of_person, m.title, m.starts_on::text, m.ends_on::text
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
    (await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from organisation where id = any($1)`, [[...new Set(memberships.map((m) => m.organisation_id))]])).map((r) => [r.id, r.name]),
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
      kind: "memberships",
      name: `jasenyydet-${countyCode}.csv`,
      content: csvFile(
        ["County", "Group", "Person", "E-mail", "Organisation", "Role", "Deputy of", "Starts on", "Ends on", "Title"],
        memberships.map((m) => [
          countyCode, groupNames.get(m.group_id)!, names.get(m.person_id)!, emails.get(m.person_id) ?? "", organisationNames.get(m.organisation_id)!,
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
