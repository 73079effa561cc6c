import type { EntityManager } from "@mikro-orm/postgresql";
import { DocumentKeys, GroupKeys, OrganisationKeys, seedSources, type SourceSeed } from "@yhdyspinta/core";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { Organisation, OrganisationKind } from "../organisation/organisation.entity.ts";
import { backfillSuccessors } from "../organisation/organisation.queries.ts";
import { normaliseSearch, searchTextOf } from "../search.ts";
import { Document, DocumentKind, DocumentSubject, DocumentSubjectType } from "./document.entity.ts";

type DocSeed = Partial<Document> & Pick<Document, "id" | "title" | "kind" | "publisherName" | "language">;

/**
 * The source documents of seeds 000–004 (each seed is a page or document of
 * a county; seed 003 names three more: the handbook, the partnership-table
 * memos and the report). URLs only where the seed gives one; none is invented.
 */
export const demoDocuments: DocSeed[] = [
  { id: DocumentKeys.pohdeYhteistyoryhmat, title: "Yhteistyöryhmät", kind: DocumentKind.WEB_PAGE, publisherName: "Pohjois-Pohjanmaan hyvinvointialue", publisherId: OrganisationKeys.pohde, language: "fi", countyCode: "19",
    description: "Pohteen yhteistyöryhmät: lakiperusta, tehtävä, ryhmätyypit, nimittäminen ja kokoonpano." },
  { id: DocumentKeys.pohdeJyryRooli, title: "Järjestöyhteistyöryhmän rooli ja tehtävät", kind: DocumentKind.MEMO, publisherName: "Pohjois-Pohjanmaan hyvinvointialue", publisherId: OrganisationKeys.pohde, publishedOn: "2023-06-09", publishedYear: 2023, language: "fi", countyCode: "19",
    description: "Tausta, strategia, järjestö- ja seurakuntayhteistyön tavoitteet ja rakenteet sekä JYRYn tehtävät." },
  { id: DocumentKeys.pkNimeamispyynto, title: "Edustajien nimeäminen Pohjois-Karjalan hyvinvointialueen alueellisiin kumppanuusryhmiin", kind: DocumentKind.LETTER, publisherName: "Pohjois-Karjalan hyvinvointialue", publisherId: OrganisationKeys.siunSote, publishedPeriod: "syksy 2023", publishedYear: 2023, language: "fi", countyCode: "14",
    description: "Nimeämispyyntö Pohjois-Karjalan kunnille; vastaukset 30.11.2023 mennessä osoitteeseen kirjaamo@siunsote.fi." },
  { id: DocumentKeys.epYhteistyo, title: "Hyvinvointialueen, kuntien ja järjestöjen yhteistyö", kind: DocumentKind.WEB_PAGE, publisherName: "Etelä-Pohjanmaan hyvinvointialue", publisherId: OrganisationKeys.etelaPohjanmaa, language: "fi", countyCode: "16",
    description: "Järjestöyhdyshenkilöt, kuntajärjestöyhteistyön käsikirja, kumppanuuspöydät ja järjestöavustukset." },
  { id: DocumentKeys.epKasikirja, title: "Etelä-Pohjanmaan kuntajärjestöyhteistyön käsikirja", kind: DocumentKind.HANDBOOK, publisherName: "Etelä-Pohjanmaa", publishedPeriod: "loppuvuosi 2021", publishedYear: 2021, language: "fi", countyCode: "16",
    description: "Auttaa kehittämään kuntien ja järjestöjen yhteistyötä ja yhteistyötapoja; suunnattu kunnissa toimiville työntekijöille ja järjestötoimijoille." },
  { id: DocumentKeys.epKumppanuuspoytaMuistiot, title: "Kumppanuuspöytien muistiot, kevät 2021", kind: DocumentKind.MEMO, publisherName: "Etelä-Pohjanmaan kunnat", publishedPeriod: "kevät 2021", publishedYear: 2021, language: "fi", countyCode: "16",
    description: "Muistiot keväällä 2021 järjestetyistä kumppanuuspöydistä." },
  { id: DocumentKeys.epKumppanuuspoytaRaportti, title: "Kumppanuuspöytäraportti", kind: DocumentKind.REPORT, publisherName: "Etelä-Pohjanmaa", publishedPeriod: "2021", publishedYear: 2021, language: "fi", countyCode: "16",
    description: "Raportti keväällä 2021 järjestetyistä kumppanuuspöydistä." },
  { id: DocumentKeys.epAvustusperiaatteet, title: "Etelä-Pohjanmaan hyvinvointialueen järjestöavustusten myöntämisperiaatteet", kind: DocumentKind.GUIDELINE, publisherName: "Etelä-Pohjanmaan hyvinvointialue", publisherId: OrganisationKeys.etelaPohjanmaa, language: "fi", countyCode: "16" },
  { id: DocumentKeys.pirhaJyry, title: "Järjestöyhteistyöryhmä", kind: DocumentKind.WEB_PAGE, publisherName: "Pirkanmaan hyvinvointialue", publisherId: OrganisationKeys.pirha, language: "fi", countyCode: "08",
    description: "Järjestöyhteistyöryhmän rakenne, aikataulut, järjestökategoriat ja tehtävät." },
];

/** What each document concerns beyond its county. */
const subjects: [string, DocumentSubjectType, string][] = [
  ...[GroupKeys.pohdeOpiskeluhuolto, GroupKeys.pohdeToimeentulotuki, GroupKeys.pohdeMielenterveysPaihdeVakivalta, GroupKeys.pohdeHyry, GroupKeys.pohdeJyry].map(
    (g): [string, DocumentSubjectType, string] => [DocumentKeys.pohdeYhteistyoryhmat, DocumentSubjectType.GROUP, g],
  ),
  [DocumentKeys.pohdeJyryRooli, DocumentSubjectType.GROUP, GroupKeys.pohdeJyry],
  ...[GroupKeys.pkKeskinen, GroupKeys.pkPohjoinen, GroupKeys.pkLantinen, GroupKeys.pkEtelainen, GroupKeys.pkHyvinvoinninKumppanuusryhma].map(
    (g): [string, DocumentSubjectType, string] => [DocumentKeys.pkNimeamispyynto, DocumentSubjectType.GROUP, g],
  ),
  [DocumentKeys.pkNimeamispyynto, DocumentSubjectType.ORGANISATION, OrganisationKeys.pohjoisKarjalanMaakuntaliitto],
  [DocumentKeys.epYhteistyo, DocumentSubjectType.GROUP, GroupKeys.epJarjestoyhdyshenkiloverkosto],
  [DocumentKeys.epYhteistyo, DocumentSubjectType.ORGANISATION, OrganisationKeys.jarjestotalo],
  [DocumentKeys.epYhteistyo, DocumentSubjectType.ORGANISATION, "org-ep-joupin-neuvola"],
  [DocumentKeys.pirhaJyry, DocumentSubjectType.GROUP, GroupKeys.pirhaJyry],
  [DocumentKeys.pirhaJyry, DocumentSubjectType.ORGANISATION, OrganisationKeys.artteli],
  [DocumentKeys.pirhaJyry, DocumentSubjectType.MEETING, "meeting-pirha-jyry-2023-12-19"],
];

/** Contact points the seeds state. */
const contactPoints: Partial<ContactPoint>[] = [
  // Seed 003: "Ota yhteyttä — Joupin neuvola, Hallituskatu 20" under every section of the page.
  { id: "contact-ep-joupin-neuvola", organisationId: "org-ep-joupin-neuvola", label: "Joupin neuvola", visitingAddress: "Hallituskatu 20" },
  // Seed 002: nominations are sent to the county's registry.
  { id: "contact-siun-sote-kirjaamo", organisationId: OrganisationKeys.siunSote, label: "Kirjaamo", registryEmail: "kirjaamo@siunsote.fi" },
];

const TE24_URL = "https://tem.fi/te24-uudistus";
const REGIONAL_REFORM_URL = "https://vm.fi/valtion-aluehallinnon-uudistus";

/**
 * Successors of the seeded agencies: TE offices were wound up on 31.12.2024
 * and their tasks passed to municipal employment areas (TE24 reform); on
 * 1.1.2026 the ELY centres' tasks passed to the elinvoimakeskukset and the
 * regional state administrative agencies (AVI) were merged with Valvira into
 * the Lupa- ja valvontavirasto (reform of the state's regional administration).
 */
const successors: (Partial<Organisation> & { id: string; name: string; otherNames: string[]; kind: OrganisationKind })[] = [
  { id: "org-pohjois-karjalan-tyollisyysalue", name: "Pohjois-Karjalan työllisyysalue", otherNames: ["työllisyysalue"], kind: OrganisationKind.MUNICIPALITY, countyCode: "14", validFrom: "2025-01-01" },
  { id: "org-ita-suomen-elinvoimakeskus", name: "Itä-Suomen elinvoimakeskus", otherNames: ["elinvoimakeskus"], kind: OrganisationKind.PUBLIC_AGENCY, validFrom: "2026-01-01" },
  { id: "org-lupa-ja-valvontavirasto", name: "Lupa- ja valvontavirasto", otherNames: ["LVV"], kind: OrganisationKind.PUBLIC_AGENCY, validFrom: "2026-01-01" },
];
const endings: [string, string, string, string][] = [
  [OrganisationKeys.pohjoisKarjalanTe, "2024-12-31", "org-pohjois-karjalan-tyollisyysalue", TE24_URL],
  [OrganisationKeys.pohjoisKarjalanEly, "2025-12-31", "org-ita-suomen-elinvoimakeskus", REGIONAL_REFORM_URL],
  [OrganisationKeys.itaSuomenAvi, "2025-12-31", "org-lupa-ja-valvontavirasto", REGIONAL_REFORM_URL],
];

/** Provenance of the organisations subgraph's seeded records. */
function sources(): SourceSeed[] {
  const seedOf: Record<string, [string, string | null]> = {
    [OrganisationKeys.pohdeYhdyspintalautakunta]: [DocumentKeys.pohdeJyryRooli, "Yhteistyöryhmän lakisääteiset ja muut mahdolliset tehtävät"],
    "org-pohde-sote-keskukset": [DocumentKeys.pohdeJyryRooli, "Järjestöyhteistyön rakenteet"],
    "org-pohde-sote-toimialueet": [DocumentKeys.pohdeJyryRooli, "Järjestöyhteistyön rakenteet"],
    "org-pohde-pelastustoimi": [DocumentKeys.pohdeJyryRooli, "Järjestöyhteistyön rakenteet"],
    "org-pohde-pela-vastuualueet": [DocumentKeys.pohdeJyryRooli, "Järjestöyhteistyön rakenteet"],
    "org-pohde-pela-palvelualueet": [DocumentKeys.pohdeJyryRooli, "Järjestöyhteistyön rakenteet"],
    [OrganisationKeys.pohjoisKarjalanMaakuntaliitto]: [DocumentKeys.pkNimeamispyynto, "Taustaa"],
    [OrganisationKeys.kela]: [DocumentKeys.pkNimeamispyynto, "Liite 1"],
    [OrganisationKeys.itaSuomenPoliisi]: [DocumentKeys.pkNimeamispyynto, "Liite 1"],
    [OrganisationKeys.jarjestotalo]: [DocumentKeys.epYhteistyo, "Ota yhteyttä"],
    "org-ep-joupin-neuvola": [DocumentKeys.epYhteistyo, "Ota yhteyttä"],
    [OrganisationKeys.artteli]: [DocumentKeys.pirhaJyry, "Järjestöyhteistyöryhmä"],
    [OrganisationKeys.pirhaIntegraationToimialue]: [DocumentKeys.pirhaJyry, "Lisätietoja"],
    [OrganisationKeys.pirhaJatkuvanKehittamisenVastuuyksikko]: [DocumentKeys.pirhaJyry, "Lisätietoja"],
  };
  return [
    ...Object.entries(seedOf).map(([recordId, [documentId, section]]): SourceSeed => ({ recordType: "Organisation", recordId, documentId, section })),
    // The agencies wound up or reorganised: seed 002 names them; their end and successor rest on the reforms' public sources.
    ...endings.map(([recordId, , , url]): SourceSeed => ({ recordType: "Organisation", recordId, documentId: DocumentKeys.pkNimeamispyynto, section: "Liite 1", url })),
    ...successors.map((o, i): SourceSeed => ({ recordType: "Organisation", recordId: o.id, url: endings[i]![3] })),
    { recordType: "ContactPoint", recordId: "contact-ep-joupin-neuvola", documentId: DocumentKeys.epYhteistyo, section: "Ota yhteyttä" },
    { recordType: "ContactPoint", recordId: "contact-siun-sote-kirjaamo", documentId: DocumentKeys.pkNimeamispyynto, section: "Nimeämispyyntö" },
    ...demoDocuments.map((d): SourceSeed => ({
      recordType: "Document",
      recordId: d.id,
      // Documents seed 003's page names come from that page; a seed document is its own source.
      documentId: d.id.startsWith("doc-ep-") && d.id !== DocumentKeys.epYhteistyo ? DocumentKeys.epYhteistyo : d.id,
    })),
  ];
}

/** Documents, contact points, successors of wound-up agencies and provenance (inserted where missing; idempotent). */
export async function seedDocuments(em: EntityManager): Promise<void> {
  await em.upsertMany(Document, demoDocuments.map((d) => ({ publisherId: null, publishedOn: null, publishedPeriod: null, publishedYear: null, url: null, countyCode: null, description: null, ...d })), {
    onConflictAction: "ignore",
    onConflictFields: ["id"],
  });
  await em.upsertMany(DocumentSubject, subjects.map(([documentId, subjectType, subjectId]) => ({ documentId, subjectType, subjectId })), { onConflictAction: "ignore" });
  await em.upsertMany(ContactPoint, contactPoints.map((c) => ({ label: null, visitingAddress: null, postalAddress: null, registryEmail: null, website: null, validFrom: null, validTo: null, ...c })), {
    onConflictAction: "ignore",
    onConflictFields: ["id"],
  });
  await em.upsertMany(
    Organisation,
    successors.map((o) => ({
      parentId: null, countyCode: null, businessId: null, website: null, validTo: null, successorId: null,
      ...o,
      nameNormalised: normaliseSearch(o.name),
      searchText: searchTextOf(o.name, ...o.otherNames),
    })),
    { onConflictAction: "ignore", onConflictFields: ["id"] },
  );
  // Only where no end is recorded yet: later corrections survive a restart.
  for (const [id, validTo, successorId] of endings) {
    await em.nativeUpdate(Organisation, { id, validTo: null }, { validTo, successorId });
  }
  await backfillSuccessors(em);
  await seedSources(em, sources());
}
