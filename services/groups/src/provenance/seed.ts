import type { EntityManager } from "@mikro-orm/postgresql";
import { DocumentKeys, GroupKeys, seedSources, type SourceSeed } from "@yhdyspinta/core";
import { demo, ETELA_POHJANMAA, PIRKANMAA, POHDE, POHJOIS_KARJALA } from "../seed/data.ts";

/** The source document of each county's demo records (seeds 000–004) and the place in it. */
const DOCUMENT_OF_COUNTY: Record<string, string> = {
  [POHDE]: DocumentKeys.pohdeYhteistyoryhmat,
  [POHJOIS_KARJALA]: DocumentKeys.pkNimeamispyynto,
  [ETELA_POHJANMAA]: DocumentKeys.epYhteistyo,
  [PIRKANMAA]: DocumentKeys.pirhaJyry,
};

/** Headings (or, where the source has none, the opening words of the paragraph) that state each group. */
const GROUP_SECTION: Record<string, string> = {
  [GroupKeys.pohdeOpiskeluhuolto]: "Opiskeluhuollon yhteistyöryhmä",
  [GroupKeys.pohdeToimeentulotuki]: "Yhteistyöryhmät (lakisääteiset ryhmät)",
  [GroupKeys.pohdeMielenterveysPaihdeVakivalta]: "Ehkäisevän mielenterveys-, päihde- ja väkivaltatyön yhteistyöryhmä",
  [GroupKeys.pohdeHyry]: "Hyvinvoinnin edistämisen yhteistyöryhmä Hyry",
  [GroupKeys.pohdeJyry]: "Järjestöyhteistyöryhmä JYRY",
  [GroupKeys.pkHyvinvoinninKumppanuusryhma]: "Liite 1",
  [GroupKeys.epJarjestoyhdyshenkiloverkosto]: "Ota yhteyttä (Kaikissa Etelä-Pohjanmaan kunnissa on nimetty järjestöyhdyshenkilö…)",
  [GroupKeys.pirhaJyry]: "Järjestöyhteistyöryhmän rakenne ja aikataulut",
};

/** Seed 000: the county director appoints Pohde's groups (hallintosääntö 31 §); the decisions' dates and numbers are not public in the seed. */
const POHDE_APPOINTMENT = { decisionBody: "Hyvinvointialuejohtaja", decisionSection: "hallintosääntö 31 §" };

/** Provenance of every demo record of the groups subgraph. */
export function groupSources(): SourceSeed[] {
  const groupCounty = new Map(demo.groups.map((g) => [g.id, g.countyCode]));
  const ofGroup = (groupId: string) => DOCUMENT_OF_COUNTY[groupCounty.get(groupId)!]!;
  const rows: SourceSeed[] = [];
  for (const g of demo.groups) {
    const section =
      GROUP_SECTION[g.id] ??
      (g.countyCode === POHJOIS_KARJALA ? "Taustaa; Liite 1" : g.countyCode === ETELA_POHJANMAA ? "Osallistava kumppanuuspöytätoimintamalli…" : null);
    rows.push({ recordType: "CooperationGroup", recordId: g.id, documentId: DOCUMENT_OF_COUNTY[g.countyCode]!, section, ...(g.countyCode === POHDE ? POHDE_APPOINTMENT : {}) });
  }
  for (const s of demo.seats) {
    rows.push({ recordType: "GroupSeat", recordId: s.id, documentId: ofGroup(s.groupId), section: GROUP_SECTION[s.groupId] ?? "Liite 1" });
  }
  for (const m of demo.memberships) {
    rows.push({ recordType: "Membership", recordId: m.id!, documentId: ofGroup(m.groupId!), section: "Lisätietoja" });
  }
  for (const m of demo.meetings) {
    rows.push({ recordType: "GroupMeeting", recordId: m.id!, documentId: ofGroup(m.groupId!), section: "Järjestöyhteistyöryhmän rakenne ja aikataulut" });
  }
  for (const { round } of demo.rounds) {
    rows.push({
      recordType: "NominationRound",
      recordId: round.id!,
      documentId: DOCUMENT_OF_COUNTY[round.countyCode!]!,
      section: round.countyCode === POHJOIS_KARJALA ? "Nimeämispyyntö" : "Järjestöyhteistyöryhmä",
    });
  }
  for (const l of demo.levels) {
    rows.push({
      recordType: "CooperationLevel",
      recordId: l.id!,
      documentId: l.countyCode === POHDE ? DocumentKeys.pohdeJyryRooli : DOCUMENT_OF_COUNTY[l.countyCode!]!,
      section: l.countyCode === POHDE ? "Järjestöyhteistyön rakenteet" : "Taustaa",
    });
  }
  for (const l of demo.liaisons) {
    rows.push({
      recordType: "LiaisonRole",
      recordId: l.id!,
      documentId: l.countyCode === POHDE ? DocumentKeys.pohdeJyryRooli : DOCUMENT_OF_COUNTY[l.countyCode!]!,
      section: l.countyCode === POHDE ? "Järjestöyhteistyön rakenteet" : "Ota yhteyttä (Kaikissa Etelä-Pohjanmaan kunnissa on nimetty järjestöyhdyshenkilö…)",
    });
  }
  for (const { area } of demo.areas) {
    rows.push({ recordType: "Area", recordId: area.id!, documentId: DocumentKeys.pkNimeamispyynto, section: "Liite 1" });
  }
  return rows;
}

export async function seedGroupSources(em: EntityManager): Promise<void> {
  await seedSources(em, groupSources());
}
