import { changeFeedResolver, changesResolver, countyVia, ownCounty } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { GrantAward, GrantProgramme } from "../grant/grant.entity.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { Measure, MeasureProgressNote } from "../measure/measure.entity.ts";
import { AnnualNegotiation } from "../negotiation/negotiation.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "../theme/theme.entity.ts";

/** The subgraph's change feed (`planningChangeFeed`): the county of each type's record, from its recorded values. */
export const planningChangeFeed = changeFeedResolver<Context>({
  subgraph: "planning",
  counties: {
    Measure: ownCounty,
    MeasureProgressNote: countyVia("measure", "measureId"),
    GrantProgramme: ownCounty,
    GrantAward: countyVia("grant_programme", "programmeId"),
    WellbeingPlan: ownCounty,
    WellbeingGoal: countyVia("wellbeing_plan", "planId"),
  },
});

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
  changesResolver<WellbeingPlan, Context>(WellbeingPlan, "WellbeingPlan", (p) => p.countyCode),
  changesResolver<WellbeingGoal, Context>(WellbeingGoal, "WellbeingGoal", async (g, { loaders }) => (await loaders.planById.load(g.planId))?.countyCode ?? null),
  changesResolver<Theme, Context>(Theme, "Theme", (t) => t.countyCode),
  changesResolver<AnnualNegotiation, Context>(AnnualNegotiation, "AnnualNegotiation", (n) => n.countyCode),
  changesResolver<Strategy, Context>(Strategy, "Strategy", (s) => s.countyCode),
  changesResolver<Indicator, Context>(Indicator, "Indicator", () => null),
  planningChangeFeed,
];
