import type { EntityManager } from "@mikro-orm/postgresql";
import { DocumentKeys, seedSources, type SourceSeed } from "@yhdyspinta/core";
import { grantProgrammeSeeds, strategySeeds, themeSeeds } from "../seed/seed.ts";

/** Provenance of the planning subgraph's demo records (seeds 001–003). */
export function planningSources(): SourceSeed[] {
  return [
    ...strategySeeds().map((s): SourceSeed => ({ recordType: "Strategy", recordId: s.id, documentId: DocumentKeys.pohdeJyryRooli, section: "Strategia antaa edellytykset yhteistyölle" })),
    ...grantProgrammeSeeds().map((g): SourceSeed => ({ recordType: "GrantProgramme", recordId: g.id, documentId: DocumentKeys.epYhteistyo, section: "Tutustu Etelä-Pohjanmaan hyvinvointialueen järjestöavustusten myöntämisperiaatteisiin" })),
    ...themeSeeds().map((t): SourceSeed => ({ recordType: "Theme", recordId: t.id, documentId: DocumentKeys.pkNimeamispyynto, section: "Taustaa; Liite 1" })),
  ];
}

export async function seedPlanningSources(em: EntityManager): Promise<void> {
  await seedSources(em, planningSources());
}
