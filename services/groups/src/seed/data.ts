/**
 * Demo data: every group, area, seat, rule, round, meeting and liaison level
 * the shared source documents (seeds 000–004) state, attributed to its county.
 * Where a source names no members, seats stay empty: no invented people.
 *
 *  - 000 Pohde, "Yhteistyöryhmät" (web page)            → Pohde's five groups
 *  - 001 Pohde, "Järjestöyhteistyöryhmän rooli ja tehtävät" 9.6.2023 → JYRY's tasks, structure table
 *  - 002 Pohjois-Karjala, "Edustajien nimeäminen … alueellisiin kumppanuusryhmiin" (2023)
 *  - 003 Etelä-Pohjanmaa, "Hyvinvointialueen, kuntien ja järjestöjen yhteistyö" (web page)
 *  - 004 Pirkanmaa, "Järjestöyhteistyöryhmä" (web page)
 *
 * Municipality lists are the 2024 classification (Statistics Finland), the same
 * reference data the organisations subgraph loads.
 */
import {
  AreaKeys,
  GroupKeys,
  municipalityOrganisationKey,
  OrganisationKeys,
  organisationCategoryKey,
  PersonKeys,
  PIRKANMAA_CATEGORIES,
} from "@yhdyspinta/core";
import type { Area } from "../area/area.entity.ts";
import type { CooperationGroup, GroupContact } from "../group/group.entity.ts";
import { CooperationGroupKind, GroupBasis, GroupLevel } from "../group/group-kind.ts";
import { type CooperationLevel, type LiaisonRole, LiaisonSector } from "../liaison/liaison.entity.ts";
import { type Meeting, MeetingKind } from "../meeting/meeting.entity.ts";
import { type Membership, MembershipRole } from "../membership/membership.entity.ts";
import { type NominationRound, NominationRoundKind, type Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { type GroupSeat, SeatConstituency } from "../seat/seat.entity.ts";
import { type GroupTerm, type Term, TermKind } from "../term/term.entity.ts";
import { ReferenceTermKeys } from "../term/reference-terms.ts";

type Row<T> = { [K in keyof T as T[K] extends Function ? never : K]: T[K] };
type Partial2<T, R extends keyof T> = Pick<Row<T>, R & keyof Row<T>> & Partial<Row<T>>;

export type GroupSeed = Partial2<CooperationGroup, "id" | "countyCode" | "name" | "kind"> & { municipalities: string[] };
export type SeatSeed = Partial2<GroupSeat, "id" | "groupId" | "constituency" | "label">;

export const POHDE = "19";
export const POHJOIS_KARJALA = "14";
export const ETELA_POHJANMAA = "16";
export const PIRKANMAA = "08";

const POHDE_MUNICIPALITIES = "009 069 071 072 139 208 244 305 317 425 436 483 494 535 563 564 615 625 626 630 678 691 746 748 785 791 832 859 889 977".split(" ");
const PIRKANMAA_MUNICIPALITIES = "020 108 143 177 211 250 291 418 508 536 562 581 604 619 635 702 790 837 887 908 922 936 980".split(" ");
const ETELA_POHJANMAA_MUNICIPALITIES: [string, string][] = [
  ["005", "Alajärvi"], ["010", "Alavus"], ["052", "Evijärvi"], ["145", "Ilmajoki"], ["151", "Isojoki"], ["152", "Isokyrö"],
  ["218", "Karijoki"], ["232", "Kauhajoki"], ["233", "Kauhava"], ["300", "Kuortane"], ["301", "Kurikka"], ["403", "Lappajärvi"],
  ["408", "Lapua"], ["743", "Seinäjoki"], ["759", "Soini"], ["846", "Teuva"], ["934", "Vimpeli"], ["989", "Ähtäri"],
];

// ---------------------------------------------------------------- Pohde (19), seeds 000 and 001

/** Seed 000: all Pohde's groups rest on these laws, are appointed by the county director and meet every few months. */
/** Seed 000: the task every Pohde cooperation group shares. */
export const POHDE_SHARED_TASK =
  "Edistää julkisen, kolmannen sektorin, yksityisen sektorin sekä palveluiden käyttäjien kanssa käytävää vuoropuhelua ja tuloksellista yhteistyötä";

const pohdeCommon = {
  tasks: [POHDE_SHARED_TASK],
  countyCode: POHDE,
  legalBasis: ["611/2021", "612/2021", "379/2011 46 §"],
  appointedBy: "Hyvinvointialuejohtaja (hallintosääntö 31 §)",
  // The groups serve the whole county (hyvinvointialuetaso of seed 001's structure).
  level: GroupLevel.COUNTY,
  meetingFrequency: "muutaman kuukauden välein",
  municipalities: POHDE_MUNICIPALITIES,
  convenerIds: [OrganisationKeys.pohde],
};
const POHDE_COMPOSITION =
  "Yhteistyöryhmissä on nimettynä eri yhteistyökumppaneiden ja sidosryhmien edustajia, palvelun käyttäjiä sekä Pohteen edustajia. Ryhmien uusi kokoonpano valitaan valtuustokauden alussa, ja tarvittaessa kokoonpanoa päivitetään valtuustokauden aikana.";

export const JYRY_POHDE_TASKS = [
  "Toimii Pohteen järjestö- ja seurakuntayhteistyön foorumina ja tukee yhteistyön kehittämistä",
  "Osallistuu vuosittain neuvotteluihin hyvinvoinnin ja terveyden edistämisen tavoitteista, toimenpiteistä, yhteistyöstä ja seurannasta",
  "Osallistuu valtuustokausittain neuvotteluihin järjestöjen toimintaedellytysten ja vaikuttamismahdollisuuksien tukemisesta",
  "Osallistuu Pohteen hyvinvointikertomuksen ja -suunnitelman laatimiseen ja arviointiin",
  "Osallistuu keskeisten hyvinvointialueen, sosiaali- ja terveydenhuollon ja pelastustoimen ohjaavien asiakirjojen laatimiseen",
  "Tekee esityksiä järjestöjen ja seurakuntien edustajista hyvinvointialueen neuvottelukuntiin, yhteistyöryhmiin ja muihin vastaaviin ryhmiin",
  "Saa ja välittää tietoa Pohteen palveluista ja yhteistyömahdollisuuksista",
  "Raportoi yhdyspintalautakunnalle",
];

const pohdeGroups: GroupSeed[] = [
  {
    ...pohdeCommon,
    id: GroupKeys.pohdeOpiskeluhuolto,
    name: "Opiskeluhuollon yhteistyöryhmä",
    kind: CooperationGroupKind.COOPERATION_GROUP,
    basis: GroupBasis.STATUTORY,
    description: "Alueellinen opiskeluhuollon yhteistyöryhmä on hyvinvointialueen ja alueen oppilaitosten yhteistyöelin.",
    composition: POHDE_COMPOSITION,
  },
  {
    ...pohdeCommon,
    id: GroupKeys.pohdeToimeentulotuki,
    name: "Toimeentulotukiasioiden neuvottelukunta",
    kind: CooperationGroupKind.ADVISORY_BOARD,
    basis: GroupBasis.STATUTORY,
    composition: POHDE_COMPOSITION,
  },
  {
    ...pohdeCommon,
    id: GroupKeys.pohdeMielenterveysPaihdeVakivalta,
    name: "Ehkäisevän mielenterveys-, päihde- ja väkivaltatyön yhteistyöryhmä",
    kind: CooperationGroupKind.COOPERATION_GROUP,
    basis: GroupBasis.COUNCIL_INITIATIVE,
    description: "Mielenterveysongelmien, päihdeongelmien ja väkivallan ehkäisyyn keskittyvä yhteistyöryhmä.",
    composition: `Mukana on kokemustoimijoita sekä edustajia kunnista, järjestöistä, seurakunnista, poliisista ja Pohteelta. ${POHDE_COMPOSITION}`,
  },
  {
    ...pohdeCommon,
    id: GroupKeys.pohdeHyry,
    name: "Hyvinvoinnin edistämisen yhteistyöryhmä Hyry",
    shortName: "Hyry",
    kind: CooperationGroupKind.COOPERATION_GROUP,
    basis: GroupBasis.OTHER_NEED,
    description:
      "Hyvinvoinnin edistämisen yhteistyöryhmä Hyry on hyvinvointialueen, kuntien, julkisten toimijoiden, yleishyödyllisten yhteisöjen, yritysten sekä verkostojen yhteistyöelin.",
    composition: POHDE_COMPOSITION,
  },
  {
    ...pohdeCommon,
    id: GroupKeys.pohdeJyry,
    name: "Järjestöyhteistyöryhmä JYRY",
    shortName: "JYRY",
    kind: CooperationGroupKind.COOPERATION_GROUP,
    basis: GroupBasis.OTHER_NEED,
    description:
      "Järjestöyhteistyöryhmä JYRY on hyvinvointialueen sekä järjestöjen ja seurakuntien yhteistyöelin, jossa on mukana edustajat myös kunnista. Järjestöt ja seurakunnat toimivat Pohteen kumppaneina hyvinvoinnin, terveyden ja turvallisuuden edistämisessä, onnettomuuksien ehkäisemisessä, sosiaali- ja terveyspalveluissa sekä pelastuspalveluissa (HE 241/2020 tarkentaa lain kirjauksia).",
    composition: POHDE_COMPOSITION,
    reportsTo: "Yhdyspintalautakunta",
    tasks: [POHDE_SHARED_TASK, ...JYRY_POHDE_TASKS],
  },
];

const sectorSeats = (groupId: string, labels: [string, string | null][]): SeatSeed[] =>
  labels.map(([label, organisationId], i) => ({
    id: `${groupId}-seat-${i + 1}`,
    groupId,
    ordinal: 100 + i,
    constituency: SeatConstituency.SECTOR,
    label,
    organisationId,
  }));

const pohdeSeats: SeatSeed[] = [
  ...sectorSeats(GroupKeys.pohdeOpiskeluhuolto, [
    ["Hyvinvointialue (Pohde)", OrganisationKeys.pohde],
    ["Alueen oppilaitokset", null],
  ]),
  ...sectorSeats(GroupKeys.pohdeMielenterveysPaihdeVakivalta, [
    ["Kokemustoimijat", null],
    ["Kunnat", null],
    ["Järjestöt", null],
    ["Seurakunnat", null],
    ["Poliisi", null],
    ["Hyvinvointialue (Pohde)", OrganisationKeys.pohde],
  ]),
  ...sectorSeats(GroupKeys.pohdeHyry, [
    ["Hyvinvointialue (Pohde)", OrganisationKeys.pohde],
    ["Kunnat", null],
    ["Julkiset toimijat", null],
    ["Yleishyödylliset yhteisöt", null],
    ["Yritykset", null],
    ["Verkostot", null],
  ]),
  ...sectorSeats(GroupKeys.pohdeJyry, [
    ["Hyvinvointialue (Pohde)", OrganisationKeys.pohde],
    ["Järjestöt", null],
    ["Seurakunnat", null],
    ["Kunnat", null],
  ]),
];

/** Seed 001's table "Järjestöyhteistyön rakenteet": levels × sectors with roles and forums. */
const pohdeLevels: Row<CooperationLevel>[] = [
  { id: "level-19-resident", countyCode: POHDE, level: GroupLevel.RESIDENT, name: "Asukastaso", ordinal: 1, description: null,
    forums: ["Asukaskohtainen yhteistyö", "sähköinen perehdytys", "järjestöesittelyt", "osallistuminen järjestötapahtumiin"] },
  { id: "level-19-municipality", countyCode: POHDE, level: GroupLevel.MUNICIPALITY, name: "Kuntataso", ordinal: 2, description: null,
    forums: ["Järjestötoiminta sote-keskuksissa", "jalkautuminen kuntien järjestötapaamisiin"] },
  { id: "level-19-regional", countyCode: POHDE, level: GroupLevel.REGIONAL, name: "Alueellinen taso", ordinal: 3, description: null,
    forums: ["Järjestöjen yhteydenottojen välittäminen", "alueelliset järjestötapaamiset (tarvittaessa)"] },
  { id: "level-19-county", countyCode: POHDE, level: GroupLevel.COUNTY, name: "Hyvinvointialuetaso", ordinal: 4, description: null,
    forums: [
      "Järjestötoiminta sairaaloissa", "sote-toimialueiden järjestöverkostot", "palvelualuetason järjestötapaamiset (tarvittaessa)",
      "Edustuksellinen järjestöyhteistyöryhmä JYRY", "avoimet järjestöfoorumit", "järjestöyhteistyön aamukahvit",
    ] },
];

const pohdeRole = (
  n: number, level: GroupLevel, sector: LiaisonSector, title: string, networkGroupId: string | null = null,
): Row<LiaisonRole> => ({
  id: `liaison-19-${n}`, countyCode: POHDE, level, sector, title, municipalityCode: null,
  organisationId: OrganisationKeys.pohde, networkGroupId, pairedWithId: null, tasks: [], ordinal: n, endsOn: null,
});

const pohdeLiaisons: Row<LiaisonRole>[] = [
  pohdeRole(1, GroupLevel.RESIDENT, LiaisonSector.SOCIAL_AND_HEALTH, "Kaikki työntekijät"),
  pohdeRole(2, GroupLevel.MUNICIPALITY, LiaisonSector.SOCIAL_AND_HEALTH, "Sote-keskusten järjestöyhdyshenkilöt"),
  pohdeRole(3, GroupLevel.MUNICIPALITY, LiaisonSector.RESCUE, "Vastuualuetason järjestöyhdyshenkilöt"),
  pohdeRole(4, GroupLevel.REGIONAL, LiaisonSector.ORGANISING, "Alueelliset koordinaattorit"),
  pohdeRole(5, GroupLevel.COUNTY, LiaisonSector.SOCIAL_AND_HEALTH, "Toimialueiden järjestöyhdyshenkilöt"),
  pohdeRole(6, GroupLevel.COUNTY, LiaisonSector.RESCUE, "Palvelualuetason järjestöyhdyshenkilöt"),
  pohdeRole(7, GroupLevel.COUNTY, LiaisonSector.ORGANISING, "Järjestötyön koordinaattori", GroupKeys.pohdeJyry),
];

// ---------------------------------------------------------------- Pohjois-Karjala (14), seed 002

export const pkAreas: { area: Row<Area>; groupId: string; municipalities: string[] }[] = [
  { area: { id: AreaKeys.pkKeskinen, countyCode: POHJOIS_KARJALA, name: "KESKINEN", ordinal: 1 }, groupId: GroupKeys.pkKeskinen,
    municipalities: ["167", "276", "146"] }, // Joensuu, Kontiolahti, Ilomantsi
  { area: { id: AreaKeys.pkPohjoinen, countyCode: POHJOIS_KARJALA, name: "POHJOINEN", ordinal: 2 }, groupId: GroupKeys.pkPohjoinen,
    municipalities: ["176", "422", "541"] }, // Juuka, Lieksa, Nurmes
  { area: { id: AreaKeys.pkLantinen, countyCode: POHJOIS_KARJALA, name: "LÄNTINEN", ordinal: 3 }, groupId: GroupKeys.pkLantinen,
    municipalities: ["090", "426", "309", "607"] }, // Heinävesi, Liperi, Outokumpu, Polvijärvi
  { area: { id: AreaKeys.pkEtelainen, countyCode: POHJOIS_KARJALA, name: "ETELÄINEN", ordinal: 4 }, groupId: GroupKeys.pkEtelainen,
    municipalities: ["260", "707", "848"] }, // Kitee, Rääkkylä, Tohmajärvi
];
const PK_MUNICIPALITIES = pkAreas.flatMap((a) => a.municipalities);

const PK_TASKS = [
  "Sopii kerran vuodessa järjestettävässä neuvottelussa hyvinvointikertomuksen ja -suunnitelman konkreettisista ja vaikuttavista toimenpiteistä, yhteistyöstä ja seurannasta (612/2021 7 §)",
  "Varmistaa tiedonkulun",
  "Käsittelee elintapoihin, mielen hyvinvointiin, ehkäisevään päihdetyöhön, arjen toimintakykyyn, turvallisuuteen ja osallisuuteen liittyviä keskeisiä ilmiöitä ja niihin kytkeytyviä vaikuttavia toimenpiteitä sekä muita keskeisiä hyvinvoinnin ja terveyden edistämisen teemoja",
];
const pkCommon = {
  countyCode: POHJOIS_KARJALA,
  kind: CooperationGroupKind.PARTNERSHIP_GROUP,
  basis: GroupBasis.AGREEMENT,
  legalBasis: ["612/2021 7 §"],
  level: GroupLevel.PARTNERSHIP,
  annualNegotiation: true,
  meetingsPerYear: 4,
  meetingFrequency: "noin neljä kertaa vuodessa: vuosittainen neuvottelu ja lisäksi 2–3 muuta tapaamista",
  tasks: PK_TASKS,
};

const pkRegionalGroups: GroupSeed[] = pkAreas.map(({ area, groupId, municipalities }) => ({
  ...pkCommon,
  id: groupId,
  name: `Alueellinen kumppanuusryhmä ${area.name}`,
  shortName: area.name,
  areaId: area.id,
  municipalities,
  description: "Alueellinen kumppanuusryhmä: hyvinvointialue, kunnat, järjestöt, seurakunnat, yritykset/elinkeinoelämä.",
  convenerIds: [OrganisationKeys.siunSote, ...municipalities.map(municipalityOrganisationKey)],
  conveningNote: "Alueellisten kumppanuusryhmien koollekutsujana on hyvinvointialue yhteistyössä kuntien kanssa.",
  composition:
    "Alueellisissa kumppanuusryhmissä on edustettuna keskeiset hyvinvoinnin ja terveydenedistämisen sekä turvallisuuden työntekijät hyvinvointialueelta, kunnista ja maakuntaliitosta sekä toimijat yritys- ja elinkeinoelämästä, järjestöistä ja seurakunnista. Alueellisille ryhmille valitaan puheenjohtajat.",
  startsOn: "2024-01-01",
}));

const pkCountyGroup: GroupSeed = {
  ...pkCommon,
  id: GroupKeys.pkHyvinvoinninKumppanuusryhma,
  name: "Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä",
  municipalities: PK_MUNICIPALITIES,
  description: "Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä toimii yhdessä maakuntaliiton kanssa.",
  convenerIds: [OrganisationKeys.siunSote, OrganisationKeys.pohjoisKarjalanMaakuntaliitto],
  conveningNote: "Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä yhdessä maakuntaliiton kanssa.",
  composition: "Jokaisesta teemasta edustus alueellisuus huomioiden, ELY, TE, AVI, Kela ja poliisi, ammatillinen ja korkea-aste.",
};

const PK_THEMES = ["Elintavat", "Mielen hyvinvointi", "Ehkäisevä päihdetyö", "Arjen toimintakyky", "Turvallisuus", "Osallisuus"];

const pkSeats: SeatSeed[] = [
  ...pkAreas.flatMap(({ groupId, municipalities }) => [
    ...municipalities.map((code, i) => ({
      id: `${groupId}-seat-${code}`,
      groupId,
      ordinal: i + 1,
      constituency: SeatConstituency.MUNICIPALITY,
      label: "Kunnan työntekijät",
      municipalityCode: code,
      organisationId: municipalityOrganisationKey(code),
      minMembers: 1,
      maxMembers: 4,
      deputiesOptionalWhenSeveralMembers: true,
    })),
    ...sectorSeats(groupId, [
      ["Hyvinvointialue", OrganisationKeys.siunSote],
      ["Maakuntaliitto", OrganisationKeys.pohjoisKarjalanMaakuntaliitto],
      ["Yritys- ja elinkeinoelämä", null],
      ["Järjestöt", null],
      ["Seurakunnat", null],
    ]),
  ]),
  ...PK_THEMES.map((label, i) => ({
    id: `${GroupKeys.pkHyvinvoinninKumppanuusryhma}-seat-theme-${i + 1}`,
    groupId: GroupKeys.pkHyvinvoinninKumppanuusryhma,
    ordinal: i + 1,
    constituency: SeatConstituency.THEME,
    label,
  })),
  ...(
    [
      ["ELY-keskus", OrganisationKeys.pohjoisKarjalanEly],
      ["TE-toimisto", OrganisationKeys.pohjoisKarjalanTe],
      ["AVI", OrganisationKeys.itaSuomenAvi],
      ["Kela", OrganisationKeys.kela],
      ["Poliisi", OrganisationKeys.itaSuomenPoliisi],
      ["Maakuntaliitto", OrganisationKeys.pohjoisKarjalanMaakuntaliitto],
    ] as const
  ).map(([label, organisationId], i) => ({
    id: `${GroupKeys.pkHyvinvoinninKumppanuusryhma}-seat-agency-${i + 1}`,
    groupId: GroupKeys.pkHyvinvoinninKumppanuusryhma,
    ordinal: 10 + i,
    constituency: SeatConstituency.AGENCY,
    label,
    organisationId,
  })),
  ...sectorSeats(GroupKeys.pkHyvinvoinninKumppanuusryhma, [
    ["Ammatillinen koulutus (ammatillinen aste)", null],
    ["Korkea-aste", null],
  ]),
];

const pkLevels: Row<CooperationLevel>[] = [
  ["strategic", GroupLevel.STRATEGIC, "Strateginen taso"],
  ["operational", GroupLevel.OPERATIONAL, "Operatiivinen taso"],
  ["wellbeing-coordinator", GroupLevel.WELLBEING_COORDINATOR, "Hv-koordinaattoritaso"],
  ["partnership", GroupLevel.PARTNERSHIP, "Kumppanuustaso"],
].map(([slug, level, name], i) => ({
  id: `level-14-${slug}`,
  countyCode: POHJOIS_KARJALA,
  level: level as GroupLevel,
  name: name!,
  ordinal: i + 1,
  forums:
    level === GroupLevel.PARTNERSHIP
      ? ["Vuosittainen neuvottelu (612/2021 7 §)", "2–3 muuta tapaamista vuodessa"]
      : [],
  description:
    level === GroupLevel.PARTNERSHIP
      ? "Kumppanuustasoon kuuluvat alueelliset kumppanuusryhmät sekä Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä."
      : "Yksi neljästä toisiaan täydentävästä yhteistyötasosta, joista hyvinvointialue, maakuntaliitto ja kunnat sopivat sopimuksessa yhdyspintarakenteista.",
}));

export const PK_ROUND_ID = "round-pk-kumppanuusryhmat-2023";
const pkRound: Row<NominationRound> = {
  id: PK_ROUND_ID,
  countyCode: POHJOIS_KARJALA,
  name: "Edustajien nimeäminen Pohjois-Karjalan hyvinvointialueen alueellisiin kumppanuusryhmiin",
  kind: NominationRoundKind.NOMINATION_REQUEST,
  opensOn: null,
  closesOn: "2023-11-30",
  submitTo: "kirjaamo@siunsote.fi",
  submissionMethod: "kirjallinen ilmoitus",
  nominees: "työntekijä",
  minPerNominator: 1,
  maxPerNominator: 4,
  deputiesOptionalWhenSeveralMembers: true,
  closedAt: null,
  contactPersonId: PersonKeys.maaritaMannelin,
  contactOrganisationId: OrganisationKeys.siunSote,
  description:
    "Alueen kuntia pyydetään nimeämään alueellisiin kumppanuusryhmiin 1–4 työntekijää. Jos nimettyjä varsinaisia jäseniä on useampi, ei varajäseniä ole välttämätön nimetä.",
};
const pkNominators: Row<Nominator>[] = pkAreas.flatMap(({ groupId, municipalities }) =>
  municipalities.map((code) => ({
    id: `${PK_ROUND_ID}-${code}`,
    roundId: PK_ROUND_ID,
    kind: NominatorKind.MUNICIPALITY,
    municipalityCode: code,
    categoryId: null,
    groupId,
    ordinal: PK_MUNICIPALITIES.indexOf(code) + 1,
  })),
);

// ---------------------------------------------------------------- Etelä-Pohjanmaa (16), seed 003

const epNetwork: GroupSeed = {
  id: GroupKeys.epJarjestoyhdyshenkiloverkosto,
  countyCode: ETELA_POHJANMAA,
  name: "Järjestöyhdyshenkilöiden verkosto",
  kind: CooperationGroupKind.LIAISON_NETWORK,
  description: "Kaikissa Etelä-Pohjanmaan kunnissa nimetyt järjestöyhdyshenkilöt muodostavat verkoston.",
  municipalities: ETELA_POHJANMAA_MUNICIPALITIES.map(([code]) => code),
  convenerIds: [OrganisationKeys.etelaPohjanmaa, OrganisationKeys.jarjestotalo],
  conveningNote: "Koollekutsujina toimivat Etelä-Pohjanmaan hyvinvointialue ja Sosiaali- ja terveysalan Järjestötalo.",
  composition: "Jokaisen Etelä-Pohjanmaan kunnan järjestöyhdyshenkilö.",
  minMeetingsPerYear: 2,
  meetingFrequency: "vähintään kaksi kertaa vuodessa",
};
const epNetworkSeats: SeatSeed[] = ETELA_POHJANMAA_MUNICIPALITIES.map(([code], i) => ({
  id: `${GroupKeys.epJarjestoyhdyshenkiloverkosto}-seat-${code}`,
  groupId: GroupKeys.epJarjestoyhdyshenkiloverkosto,
  ordinal: i + 1,
  constituency: SeatConstituency.MUNICIPALITY,
  label: "Järjestöyhdyshenkilö",
  municipalityCode: code,
  organisationId: municipalityOrganisationKey(code),
  minMembers: 1,
  maxMembers: 1,
}));

/** "Osallistava kumppanuuspöytätoimintamalli on käytössä koko Etelä-Pohjanmaalla": one table per municipality. */
const epTables: GroupSeed[] = ETELA_POHJANMAA_MUNICIPALITIES.map(([code, name]) => ({
  id: `group-ep-kumppanuuspoyta-${code}`,
  countyCode: ETELA_POHJANMAA,
  name: `Kumppanuuspöytä, ${name}`,
  kind: CooperationGroupKind.PARTNERSHIP_TABLE,
  level: GroupLevel.MUNICIPALITY,
  description:
    "Osallistava kumppanuuspöytä: pöydässä keskustellaan paikallisesti valituista teemoista ja etsitään ratkaisuja niiden kehittämiseksi.",
  municipalities: [code],
  convenerIds: [municipalityOrganisationKey(code)],
  conveningNote:
    "Kunta kutsuu eri toimijoita, kuten asukkaita, yhdistyksiä, kuntia ja yrityksiä yhteiseen pöytään; järjestöyhdyshenkilö kutsuu kumppanuuspöydät koolle yhdessä muiden toimijoiden kanssa.",
  composition: "Avoin: asukkaat, yhdistykset, kunnat, yritykset.",
  minMeetingsPerYear: 1,
  meetingFrequency: "vähintään kerran vuodessa",
}));

const EP_LIAISON_TASKS = [
  "Kehittää kunta-järjestöyhteistyötä",
  "Pitää yhteyttä yhdistyksiin ja kutsuu ne koolle säännöllisesti",
  "Välittää yhdistysten viestejä kunnalle",
  "Kutsuu kumppanuuspöydät koolle yhdessä muiden toimijoiden kanssa",
  "Toimii hyvinvoinnin ja terveyden edistämisen (hyte) -yhdyshenkilön työparina",
];
const epLiaisons: Row<LiaisonRole>[] = ETELA_POHJANMAA_MUNICIPALITIES.flatMap(([code], i) => [
  {
    id: `liaison-16-${code}-jarjesto`, countyCode: ETELA_POHJANMAA, level: GroupLevel.MUNICIPALITY, sector: null,
    title: "Järjestöyhdyshenkilö", municipalityCode: code, organisationId: municipalityOrganisationKey(code),
    networkGroupId: GroupKeys.epJarjestoyhdyshenkiloverkosto, pairedWithId: `liaison-16-${code}-hyte`,
    tasks: EP_LIAISON_TASKS, ordinal: 2 * i + 1, endsOn: null,
  },
  {
    id: `liaison-16-${code}-hyte`, countyCode: ETELA_POHJANMAA, level: GroupLevel.MUNICIPALITY, sector: LiaisonSector.HEALTH_PROMOTION,
    title: "Hyvinvoinnin ja terveyden edistämisen (hyte) -yhdyshenkilö", municipalityCode: code,
    organisationId: municipalityOrganisationKey(code), networkGroupId: null, pairedWithId: `liaison-16-${code}-jarjesto`,
    tasks: [], ordinal: 2 * i + 2, endsOn: null,
  },
]);

// ---------------------------------------------------------------- Pirkanmaa (08), seed 004

export const PIRHA_JYRY_TASKS = [
  "Vahvistaa yhteistyötä niin hyvinvointialueen ja järjestöjen välillä kuin Pirkanmaan järjestöjen kesken",
  "Tuo järjestökentän viestin ja osaamisen Pirkanmaan hyvinvointialueen strategia- ja ohjelmatyöhön sekä palveluiden kehittämiseen",
  "Tuo järjestöjen osallistujien äänen esille päätöksenteossa",
  "Kerää vaikuttavuustietoa ja vaikuttaa päätöksentekoon",
  "Ensimmäinen kausi: laatii toimintaohjeen työskentelystään",
  "Ensimmäinen kausi: laatii Pirkanmaan hyvinvointialueen järjestöstrategian",
  "Ensimmäinen kausi: laatii järjestöyhteistyön asiakirjan",
  "Ensimmäinen kausi: vaikuttaa suunnitteilla oleviin avustustoiminnan uudistuksiin",
];

const pirhaJyry: GroupSeed = {
  id: GroupKeys.pirhaJyry,
  countyCode: PIRKANMAA,
  name: "Pirkanmaan hyvinvointialueen järjestöyhteistyöryhmä",
  kind: CooperationGroupKind.COOPERATION_GROUP,
  description:
    "Järjestöyhteistyöryhmä toimii yhteistyötahona järjestöjen ja julkishallinnon organisaatioiden välillä. Ryhmän valmistelua on tehty Pirkanmaan hyvinvointialueen ja Artteli-kumppanuusyhdistys ry:n yhteistyöllä.",
  municipalities: PIRKANMAA_MUNICIPALITIES,
  secretariatIds: [OrganisationKeys.pirha, OrganisationKeys.artteli],
  conveningNote: "Sihteeriys ja kokousten valmistelu toteutetaan Pirkanmaan hyvinvointialueen ja Artteli-kumppanuusyhdistys ry:n kesken.",
  composition:
    "Järjestöyhteistyöryhmä koostuu 19 järjestökategorian varsinaisista edustajista sekä puheoikeudellisista edustajista, jotka koostuvat hyvinvointialueen edustajista, kaupunkien ja kuntien hyvinvointikoordinaattoreista sekä seurakunnan edustajista. Kaikista 19 järjestökategoriasta valitaan kaksi jäsentä, joista toinen varsinaiseksi jäseneksi ja toinen varajäseneksi.",
  // "Jäsenet toimivat valtuustokauden loppuun vuoteen 2025 saakka." The first county
  // council term ends 31.5.2025 (voimaanpanolaki 616/2021).
  councilTerm: "2022–2025",
  termEndsOn: "2025-05-31",
  meetingsPerYear: 4,
  meetingFrequency: "neljä kertaa vuodessa",
  compensation: "Työryhmässä työskentelystä ei makseta kokouspalkkioita tai kulukorvauksia.",
  paysMeetingFees: false,
  tasks: PIRHA_JYRY_TASKS,
};

const pirhaSeats: SeatSeed[] = [
  ...PIRKANMAA_CATEGORIES.map((name, i) => ({
    id: `${GroupKeys.pirhaJyry}-seat-${i + 1}`,
    groupId: GroupKeys.pirhaJyry,
    ordinal: i + 1,
    constituency: SeatConstituency.ASSOCIATION_CATEGORY,
    label: name,
    categoryId: organisationCategoryKey(PIRKANMAA, name),
    minMembers: 1,
    maxMembers: 1,
    deputies: 1,
  })),
  ...(
    [
      ["Hyvinvointialueen edustajat", OrganisationKeys.pirha],
      ["Kaupunkien ja kuntien hyvinvointikoordinaattorit", null],
      ["Seurakunnan edustajat", null],
    ] as const
  ).map(([label, organisationId], i) => ({
    id: `${GroupKeys.pirhaJyry}-seat-speaking-${i + 1}`,
    groupId: GroupKeys.pirhaJyry,
    ordinal: 100 + i,
    constituency: SeatConstituency.SECTOR,
    label,
    organisationId,
    speakingRightOnly: true,
  })),
];

const pirhaContacts: Row<GroupContact>[] = [
  { groupId: GroupKeys.pirhaJyry, personId: PersonKeys.iirisAholainen, organisationId: OrganisationKeys.artteli,
    title: "järjestöyhteistyöryhmän koordinaattori", ordinal: 1 },
  { groupId: GroupKeys.pirhaJyry, personId: PersonKeys.johannaSola, organisationId: OrganisationKeys.pirha,
    title: "suunnittelupäällikkö", ordinal: 2 },
];

/** Pirkanmaa JYRY's composition for the first county council term (see `pirhaGroupTerms`). */
export const PIRHA_GROUP_TERM_ID = `group-term-${GroupKeys.pirhaJyry}-2022-2025`;

/** The one membership the seeds state. Its start is not stated, so it stays open. */
const pirhaMemberships: Row<Membership>[] = [
  {
    id: "membership-pirha-jyry-iiris-aholainen", groupId: GroupKeys.pirhaJyry, seatId: null, personId: PersonKeys.iirisAholainen,
    organisationId: OrganisationKeys.artteli, role: MembershipRole.COORDINATOR, deputyOfId: null,
    title: "järjestöyhteistyöryhmän koordinaattori", startsOn: null, endsOn: null, correctedAt: null, correctionNote: null,
    groupTermId: PIRHA_GROUP_TERM_ID, carryOver: false, carryOverEndsOn: null,
  },
];

const pirhaMeetings: Row<Meeting>[] = [
  {
    id: "meeting-pirha-jyry-2023-12-19", groupId: GroupKeys.pirhaJyry, kind: MeetingKind.ORGANISING, title: "Järjestäytymiskokous",
    startsAt: new Date("2023-12-19T14:00:00+02:00"), endsAt: new Date("2023-12-19T16:00:00+02:00"), location: null, agenda: [],
    minutesRef: null, decisions: [], minutesRecordedAt: null,
  },
];

export const PIRHA_ROUND_ID = "round-pirha-jyry-2023";
const pirhaRound: Row<NominationRound> = {
  id: PIRHA_ROUND_ID,
  countyCode: PIRKANMAA,
  name: "Haku järjestöyhteistyöryhmän edustajaksi",
  kind: NominationRoundKind.OPEN_CALL,
  opensOn: "2023-10-05",
  closesOn: "2023-11-17",
  submitTo: null,
  submissionMethod: null,
  nominees: "järjestöjen edustajat",
  minPerNominator: null,
  maxPerNominator: null,
  deputiesOptionalWhenSeveralMembers: false,
  closedAt: null,
  contactPersonId: PersonKeys.iirisAholainen,
  contactOrganisationId: OrganisationKeys.artteli,
  description: "Kaikista 19 järjestökategoriasta valitaan kaksi jäsentä, joista toinen varsinaiseksi jäseneksi ja toinen varajäseneksi.",
};
const pirhaNominators: Row<Nominator>[] = PIRKANMAA_CATEGORIES.map((name, i) => ({
  id: `${PIRHA_ROUND_ID}-${i + 1}`,
  roundId: PIRHA_ROUND_ID,
  kind: NominatorKind.ORGANISATION_CATEGORY,
  municipalityCode: null,
  categoryId: organisationCategoryKey(PIRKANMAA, name),
  groupId: GroupKeys.pirhaJyry,
  ordinal: i + 1,
}));

/** Seed 002: "Ryhmät aloittavat toimintansa vuoden 2024 alussa": each regional group's own period from 1.1.2024, end not stated. */
const pkGroupTermId = (groupId: string): string => `group-term-${groupId}-2024`;
const pkTerms: Row<Term>[] = pkAreas.map(({ groupId }) => ({
  id: `term-${groupId}-2024`, kind: TermKind.CUSTOM, label: "Toimikausi vuoden 2024 alusta", countyCode: POHJOIS_KARJALA,
  municipalityCode: null, groupId, parentId: null, startsOn: "2024-01-01", endsOn: null, electedOn: null,
  source: "Pohjois-Karjala, Edustajien nimeäminen alueellisiin kumppanuusryhmiin (2023): ryhmät aloittavat toimintansa vuoden 2024 alussa.",
}));
const pkGroupTerms: Row<GroupTerm>[] = pkAreas.map(({ groupId }) => ({
  id: pkGroupTermId(groupId), groupId, termId: `term-${groupId}-2024`, previousId: null, startsOn: "2024-01-01", endsOn: null,
  appointedOn: null, roundId: PK_ROUND_ID, migratedFrom: null,
}));

/**
 * Seed 004: "Jäsenet toimivat valtuustokauden loppuun vuoteen 2025 saakka": Pirkanmaa's
 * järjestöyhteistyöryhmä serves the first county council term, which ended 31.5.2025; its
 * first composition met on 19.12.2023 (järjestäytymiskokous).
 */
const pirhaGroupTerms: Row<GroupTerm>[] = [
  {
    id: PIRHA_GROUP_TERM_ID, groupId: GroupKeys.pirhaJyry, termId: ReferenceTermKeys.countyCouncil2022, previousId: null,
    startsOn: "2023-12-19", endsOn: "2025-05-31", appointedOn: null, roundId: PIRHA_ROUND_ID, migratedFrom: null,
  },
];

/** The group term each seeded group's seats were set up for. */
const seatTerms = new Map<string, string>([
  ...pkAreas.map(({ groupId }): [string, string] => [groupId, pkGroupTermId(groupId)]),
  [GroupKeys.pirhaJyry, PIRHA_GROUP_TERM_ID],
]);
const withTerm = (seat: SeatSeed): SeatSeed => ({ ...seat, groupTermId: seatTerms.get(seat.groupId) ?? null });

// ---------------------------------------------------------------- everything

export const demo = {
  groups: [...pohdeGroups, ...pkRegionalGroups, pkCountyGroup, epNetwork, ...epTables, pirhaJyry],
  areas: pkAreas,
  seats: [...pohdeSeats, ...pkSeats, ...epNetworkSeats, ...pirhaSeats].map(withTerm),
  terms: pkTerms,
  groupTerms: [...pkGroupTerms, ...pirhaGroupTerms],
  levels: [...pohdeLevels, ...pkLevels],
  liaisons: [...pohdeLiaisons, ...epLiaisons],
  contacts: pirhaContacts,
  memberships: pirhaMemberships,
  meetings: pirhaMeetings,
  rounds: [
    { round: pkRound, groupIds: pkAreas.map((a) => a.groupId), nominators: pkNominators },
    { round: pirhaRound, groupIds: [GroupKeys.pirhaJyry], nominators: pirhaNominators },
  ],
};
