import { registerEnumType } from "type-graphql";

export enum CooperationGroupKind {
  COOPERATION_GROUP = "cooperation_group",
  PARTNERSHIP_GROUP = "partnership_group",
  ADVISORY_BOARD = "advisory_board",
  LIAISON_NETWORK = "liaison_network",
  PARTNERSHIP_TABLE = "partnership_table",
}

registerEnumType(CooperationGroupKind, {
  name: "CooperationGroupKind",
  description: "What sort of body a cooperation group is.",
  valuesConfig: {
    COOPERATION_GROUP: { description: "Yhteistyöryhmä: a standing cross-organisational group." },
    PARTNERSHIP_GROUP: { description: "Kumppanuusryhmä: e.g. Pohjois-Karjala's regional partnership groups." },
    ADVISORY_BOARD: { description: "Neuvottelukunta: an advisory board." },
    LIAISON_NETWORK: { description: "Verkosto of named liaison persons (yhdyshenkilöt)." },
    PARTNERSHIP_TABLE: { description: "Kumppanuuspöytä: an open table a municipality convenes." },
  },
});

/** Why a group exists (Pohde's classification, seed 000). */
export enum GroupBasis {
  STATUTORY = "statutory",
  COUNCIL_INITIATIVE = "council_initiative",
  OTHER_NEED = "other_need",
  AGREEMENT = "agreement",
}

registerEnumType(GroupBasis, {
  name: "GroupBasis",
  description: "Why a group exists: required by law, born of a council initiative, or set up for another need.",
  valuesConfig: {
    STATUTORY: { description: "Lakisääteinen: a law requires the group (e.g. opiskeluhuollon yhteistyöryhmä)." },
    COUNCIL_INITIATIVE: { description: "Valtuustoaloitteesta syntynyt: set up after a council initiative." },
    OTHER_NEED: { description: "Muusta tarpeesta noussut: set up for another need (e.g. Hyry, JYRY)." },
    AGREEMENT: {
      description: "Set up under an agreement between the county, its municipalities and others (Pohjois-Karjala's agreement on interface structures).",
    },
  },
});

/**
 * Levels of a county's cooperation structure. Each county has its own scheme:
 * Pohde uses resident / municipality / regional / county (seed 001),
 * Pohjois-Karjala strategic / operational / wellbeing coordinator / partnership (seed 002).
 */
export enum GroupLevel {
  RESIDENT = "resident",
  MUNICIPALITY = "municipality",
  REGIONAL = "regional",
  COUNTY = "county",
  STRATEGIC = "strategic",
  OPERATIONAL = "operational",
  WELLBEING_COORDINATOR = "wellbeing_coordinator",
  PARTNERSHIP = "partnership",
}

registerEnumType(GroupLevel, {
  name: "GroupLevel",
  description:
    "A level of a county's cooperation structure. Pohde: RESIDENT, MUNICIPALITY, REGIONAL, COUNTY; Pohjois-Karjala: STRATEGIC, OPERATIONAL, WELLBEING_COORDINATOR, PARTNERSHIP.",
  valuesConfig: {
    RESIDENT: { description: "Asukastaso: work with individual residents (Pohde)." },
    MUNICIPALITY: { description: "Kuntataso: within one municipality (Pohde; also Etelä-Pohjanmaa's municipal liaisons)." },
    REGIONAL: { description: "Alueellinen taso: a part of the county (Pohde)." },
    COUNTY: { description: "Hyvinvointialuetaso: the whole county (Pohde)." },
    STRATEGIC: { description: "Strateginen taso (Pohjois-Karjala)." },
    OPERATIONAL: { description: "Operatiivinen taso (Pohjois-Karjala)." },
    WELLBEING_COORDINATOR: { description: "Hv-koordinaattoritaso: wellbeing coordinators (Pohjois-Karjala)." },
    PARTNERSHIP: { description: "Kumppanuustaso: the partnership groups (Pohjois-Karjala)." },
  },
});
