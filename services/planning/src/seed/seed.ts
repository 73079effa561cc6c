import type { EntityManager } from "@mikro-orm/postgresql";
import { GroupKeys, slugify } from "@yhdyspinta/core";
import { GrantProgramme } from "../grant/grant.entity.ts";
import { AnnualNegotiationPractice } from "../negotiation/negotiation.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "../theme/theme.entity.ts";

/**
 * Demo data of the planning subgraph: only what the shared source documents
 * state, in their wording.
 *
 * - Seed 001: Pohjois-Pohjanmaan hyvinvointialue (Pohde, county 19),
 *   "Järjestöyhteistyöryhmän rooli ja tehtävät" (9.6.2023): strategy and the
 *   association and parish cooperation goals.
 * - Seed 002: Pohjois-Karjalan hyvinvointialue (county 14), "Edustajien
 *   nimeäminen Pohjois-Karjalan hyvinvointialueen alueellisiin
 *   kumppanuusryhmiin" (2023): six themes, annual negotiation.
 * - Seed 003: Etelä-Pohjanmaan hyvinvointialue (county 16), web page on the
 *   cooperation of the county, municipalities and associations: grant principles.
 *
 * No plans, goals, measures, dated negotiations, grant awards or indicator
 * values: the sources give none, and invented records are not demo data.
 */

export const themeKey = (countyCode: string, name: string): string => `theme-${countyCode}-${slugify(name)}`;

const SOURCE_001 = "Pohjois-Pohjanmaan hyvinvointialue: Järjestöyhteistyöryhmän rooli ja tehtävät, 9.6.2023";
const SOURCE_002 =
  "Pohjois-Karjalan hyvinvointialue: Edustajien nimeäminen Pohjois-Karjalan hyvinvointialueen alueellisiin kumppanuusryhmiin, 2023";
const SOURCE_003 = "Etelä-Pohjanmaan hyvinvointialue: Hyvinvointialueen, kuntien ja järjestöjen yhteistyö (verkkosivu)";

/** Pohjois-Karjala's regional partnership groups and the county-wide partnership group all deal with the six themes (seed 002). */
const PK_PARTNERSHIP_GROUPS = [
  GroupKeys.pkKeskinen,
  GroupKeys.pkPohjoinen,
  GroupKeys.pkLantinen,
  GroupKeys.pkEtelainen,
  GroupKeys.pkHyvinvoinninKumppanuusryhma,
];

/** Seed 002, in its order; English names are this dataset's translations. */
const PK_THEMES: [string, string][] = [
  ["Elintavat", "Lifestyle"],
  ["Mielen hyvinvointi", "Mental wellbeing"],
  ["Ehkäisevä päihdetyö", "Substance-abuse prevention"],
  ["Arjen toimintakyky", "Everyday functioning"],
  ["Turvallisuus", "Safety"],
  ["Osallisuus", "Inclusion"],
];

export function themeSeeds(): Theme[] {
  return PK_THEMES.map(([name, nameEn], i) =>
    Object.assign(new Theme(), {
      id: themeKey("14", name),
      countyCode: "14",
      position: i + 1,
      name,
      nameEn,
      groupIds: [...PK_PARTNERSHIP_GROUPS],
    }),
  );
}

const POHDE_HEADINGS = ["Ihmistä varten", "Vaikuttavasti yhdessä", "Parhaat osaajat", "Rohkeasti uutta"];

const POHDE_PRINCIPLES: [number, string][] = [
  [0, "Osallisuus, varhainen tuki sekä omaehtoinen terveyden ja hyvinvoinnin parantaminen painottuvat."],
  [0, "Palvelut ovat tarpeenmukaiset ja lähellä monin eri tavoin."],
  [0, "Palvelujärjestelmä on yhteen sovitettu."],
  [1, "Ennaltaehkäisevät ja perustason palvelut vahvistuvat."],
  [1, "Palvelujen verkostoa uudistetaan yhteistyössä kuntien, yritysten ja järjestöjen kanssa."],
  [1, "Kustannuskehitys vastaa rahoitusta."],
  [2, "Henkilöstö osallistuu ja kehittää vaikuttavaa toimintaa."],
  [2, "Hyvinvointialue on arvostettu työnantaja ja kouluttaja."],
  [2, "Johtaminen tukee henkilöstön työhyvinvointia ja osaamisen kehittämistä."],
  [3, "Johtamis- ja toimintamallit uudistuvat."],
  [3, "Tieto, tutkimus ja käytännön kokeilut ohjaavat kohti vaikuttavia toimintamalleja."],
  [3, "Uudistaminen kuuluu kaikille."],
];

const POHDE_COOPERATION_GOALS = [
  "Avoin ja ymmärrettävä viestintä osallisuuden mahdollistajana",
  "Nimetyt henkilöt yhteistyötä koordinoimassa",
  "Selkeät ja säännöllisesti kokoontuvat yhteistyörakenteet",
  "Järjestöt ja seurakunnat hyvinvoinnin ja terveyden edistämisen tavoitteita toteuttamassa ja kumppaneina palveluketjuissa",
  "Avustukset ja tilat järjestötoimintaa tukemassa",
  "Järjestöjen ja seurakuntien toiminta tutuksi ammattilaisille ja näkyväksi sote-toimipaikoissa",
  "Järjestöt ja seurakunnat mukana tiedontuotannossa ja palvelujen kehittämisessä.",
];

export function strategySeeds(): Strategy[] {
  return [
    Object.assign(new Strategy(), {
      id: "strategy-19",
      countyCode: "19",
      name: "Pohjois-Pohjanmaan hyvinvointialueen strategia",
      servicePromise: "Hyvinvointi, terveys ja turvallisuus – yhdessä tehden",
      values: ["Näemme ihmisen", "Kohtaamme ammattitaidolla", "Edelläkävijänä vaikuttavuudessa"].map((name, i) => ({
        position: i + 1,
        name,
      })),
      headings: POHDE_HEADINGS,
      principles: POHDE_PRINCIPLES.map(([heading, text], i) => ({ number: i + 1, heading: POHDE_HEADINGS[heading]!, text })),
      // The seed names the goals "Järjestöystävällisen Pohteen järjestö- ja seurakuntayhteistyön tavoitteet" and links no themes to them.
      cooperationGoals: POHDE_COOPERATION_GOALS.map((text, i) => ({ number: i + 1, text, themeIds: [] })),
      steeredDocuments: [
        "Sosiaali- ja terveydenhuollon järjestämissuunnitelma",
        "Hyvinvointikertomus ja -suunnitelma",
        "OSUVA-ohjelma",
        "Järjestöyhteistyösuunnitelma",
      ],
      source: SOURCE_001,
    }),
  ];
}

/**
 * The annual negotiation as the sources describe it. Neither gives the date
 * of a held negotiation, so no `AnnualNegotiation` rows are seeded.
 */
export function negotiationPracticeSeeds(): AnnualNegotiationPractice[] {
  return [
    Object.assign(new AnnualNegotiationPractice(), {
      countyCode: "14",
      legalBasis: "612/2021 7 § 4 mom.",
      timesPerYear: 1,
      participants:
        "Hyvinvointialue yhdessä alueensa kuntien sekä muiden hyvinvointialueella hyvinvoinnin ja terveyden edistämistyötä tekevien toimijoiden kanssa; kunnan on osallistuttava neuvotteluihin.",
      agenda:
        "Kerran vuodessa järjestettävässä neuvottelussa sovitaan hyvinvointikertomuksen ja -suunnitelman konkreettisista ja vaikuttavista toimenpiteistä, yhteistyöstä ja seurannasta.",
      otherMeetings: "Lisäksi muita tapaamisia on 2–3 kertaa vuodessa.",
      source: SOURCE_002,
      groupIds: [...PK_PARTNERSHIP_GROUPS],
    }),
    Object.assign(new AnnualNegotiationPractice(), {
      countyCode: "19",
      legalBasis: "612/2021 7 § 4 mom.",
      timesPerYear: 1,
      participants: "Järjestöyhteistyöryhmä (JYRY) osallistuu vuosittain neuvotteluihin.",
      agenda:
        "Vuosittaiset neuvottelut hyvinvoinnin ja terveyden edistämisen tavoitteista, toimenpiteistä, yhteistyöstä ja seurannasta.",
      otherMeetings: null,
      source: SOURCE_001,
      groupIds: [GroupKeys.pohdeJyry],
    }),
  ];
}

export function grantProgrammeSeeds(): GrantProgramme[] {
  return [
    Object.assign(new GrantProgramme(), {
      id: "grant-programme-16-jarjestoavustukset",
      countyCode: "16",
      name: "Etelä-Pohjanmaan hyvinvointialueen järjestöavustukset",
      startedOn: "2023-01-01",
      principles: [
        {
          number: 1,
          text: "Ostopalveluin tuotettavaa toimintaa ei tueta avustuksin.",
          textEn: "Activities produced as purchased services are not supported with grants.",
        },
        {
          number: 2,
          text: "Hyvinvointialueen aloitettua toimintansa 1.1.2023 siirtyi osa harkinnanvaraisista järjestöavustuksista sen jaettaviksi.",
          textEn: "When the county started on 1.1.2023, part of the discretionary grants to associations moved to it to award.",
        },
        {
          number: 3,
          text: "Järjestöjen toimintaedellytysten ja vaikuttamismahdollisuuksien tukemisesta osana kuntien ja hyvinvointialueiden toimintaa säädetään sosiaali- ja terveydenhuollon järjestämistä koskevassa laissa. Sekä kunnilla että hyvinvointialueella on ensisijainen vastuu hyvinvoinnin ja terveyden edistämisestä siltä osin kuin se kytkeytyy kunnan tai hyvinvointialueen lakisääteisiin tehtäviin.",
          textEn:
            "Supporting associations' operating conditions and opportunities to influence, as part of what municipalities and counties do, is laid down in the act on organising social and health care (612/2021). Municipalities and the county both have primary responsibility for promoting wellbeing and health insofar as it connects to their statutory tasks.",
        },
      ],
      source: SOURCE_003,
    }),
  ];
}

/**
 * Loads the demo data once: coordinators keep these records through the API
 * since, so a seeded record is inserted only where it is missing, not where a
 * coordinator removed it (a DELETE in the audit trail) and not where another
 * record now holds its natural key; a record that is there stays as edited.
 */
export async function seed(em: EntityManager): Promise<void> {
  const removed = new Set(
    (await em.getConnection().execute<{ k: string }[]>(`select entity_type || '|' || entity_id as k from change_record where operation = 'DELETE' and entity_type in ('Theme', 'Strategy', 'AnnualNegotiationPractice', 'GrantProgramme')`)).map((r) => r.k),
  );
  const fresh = <T>(type: string, rows: T[], id: (row: T) => string) => rows.filter((r) => !removed.has(`${type}|${id(r)}`));
  const nameKey = (r: { countyCode: string; name: string }) => `${r.countyCode}|${r.name.toLowerCase()}`;
  const themes = new Set((await em.find(Theme, {})).map(nameKey));
  const strategies = new Set((await em.find(Strategy, {})).map((s) => s.countyCode));
  const programmes = new Set((await em.find(GrantProgramme, {})).map(nameKey));
  const insert = async <T extends object>(entity: new () => T, rows: T[]) => {
    if (rows.length > 0) await em.upsertMany(entity, rows, { onConflictAction: "ignore" });
  };
  await insert(Theme, fresh("Theme", themeSeeds(), (t) => t.id).filter((t) => !themes.has(nameKey(t))));
  await insert(Strategy, fresh("Strategy", strategySeeds(), (s) => s.id).filter((s) => !strategies.has(s.countyCode)));
  await insert(AnnualNegotiationPractice, fresh("AnnualNegotiationPractice", negotiationPracticeSeeds(), (p) => p.countyCode));
  await insert(GrantProgramme, fresh("GrantProgramme", grantProgrammeSeeds(), (g) => g.id).filter((g) => !programmes.has(nameKey(g))));
}
