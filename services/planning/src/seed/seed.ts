import type { EntityManager } from "@mikro-orm/postgresql";
import { GrantProgramme } from "../grant/grant.entity.ts";
import { AnnualNegotiationPractice } from "../negotiation/negotiation.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "../theme/theme.entity.ts";
import { seedPlanningSources } from "../provenance/seed.ts";
import { grantProgrammeSeeds, negotiationPracticeSeeds, strategySeeds, themeSeeds } from "./data.ts";

/** Loads the demo data; the source documents are the truth for these rows, so they are upserted. */
export async function seed(em: EntityManager): Promise<void> {
  await em.upsertMany(Theme, themeSeeds());
  await em.upsertMany(Strategy, strategySeeds());
  await em.upsertMany(AnnualNegotiationPractice, negotiationPracticeSeeds());
  await em.upsertMany(GrantProgramme, grantProgrammeSeeds());
  await seedPlanningSources(em);
}
