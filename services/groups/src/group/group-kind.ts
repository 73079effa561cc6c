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
