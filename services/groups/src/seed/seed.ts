import type { EntityManager } from "@mikro-orm/postgresql";
import { GroupKeys } from "@yhdyspinta/core";
import { CooperationGroup, GroupMunicipality } from "../group/group.entity.ts";
import { CooperationGroupKind } from "../group/group-kind.ts";

interface GroupSeed {
  id: string;
  countyCode: string;
  name: string;
  shortName: string | null;
  kind: CooperationGroupKind;
  municipalities: string[];
}

/**
 * Pohjois-Karjala's four regional partnership groups and their areas' municipalities.
 * Source: Pohjois-Karjalan hyvinvointialue, "Edustajien nimeäminen … alueellisiin kumppanuusryhmiin" (2023).
 */
const pohjoisKarjalaRegional: GroupSeed[] = [
  { id: GroupKeys.pkKeskinen, area: "KESKINEN", municipalities: ["167", "276", "146"] }, // Joensuu, Kontiolahti, Ilomantsi
  { id: GroupKeys.pkPohjoinen, area: "POHJOINEN", municipalities: ["176", "422", "541"] }, // Juuka, Lieksa, Nurmes
  { id: GroupKeys.pkLantinen, area: "LÄNTINEN", municipalities: ["090", "426", "309", "607"] }, // Heinävesi, Liperi, Outokumpu, Polvijärvi
  { id: GroupKeys.pkEtelainen, area: "ETELÄINEN", municipalities: ["260", "707", "848"] }, // Kitee, Rääkkylä, Tohmajärvi
].map(({ id, area, municipalities }) => ({
  id,
  countyCode: "14",
  name: `Alueellinen kumppanuusryhmä ${area}`,
  shortName: area,
  kind: CooperationGroupKind.PARTNERSHIP_GROUP,
  municipalities,
}));

/** Loads the demo groups; rows already present are left as they are. */
export async function seed(em: EntityManager): Promise<void> {
  const groups = [...pohjoisKarjalaRegional];
  const existing = new Set(
    (await em.find(CooperationGroup, { id: { $in: groups.map((g) => g.id) } })).map((g) => g.id),
  );
  for (const { municipalities, ...group } of groups) {
    if (existing.has(group.id)) continue;
    em.create(CooperationGroup, group);
    for (const municipalityCode of municipalities) em.create(GroupMunicipality, { groupId: group.id, municipalityCode });
  }
  await em.flush();
}
