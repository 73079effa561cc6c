import { changesResolver } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { GrantAward, GrantProgramme } from "../grant/grant.entity.ts";
import { Measure, MeasureProgressNote } from "../measure/measure.entity.ts";

/** `changes` on the audited types of this subgraph, each readable by an admin or a coordinator of its county. */
export const auditResolvers = [
  changesResolver<Measure, Context>(Measure, "Measure", (m) => m.countyCode),
  changesResolver<MeasureProgressNote, Context>(MeasureProgressNote, "MeasureProgressNote", async (n, { loaders }) =>
    (await loaders.measureById.load(n.measureId))?.countyCode ?? null,
  ),
  changesResolver<GrantProgramme, Context>(GrantProgramme, "GrantProgramme", (p) => p.countyCode),
  changesResolver<GrantAward, Context>(GrantAward, "GrantAward", async (a, { loaders }) =>
    (await loaders.grantProgrammeById.load(a.programmeId))?.countyCode ?? null,
  ),
];
