import { describe, expect, it } from "vitest";
import { composeSupergraph, readCheckedIn, SUBGRAPHS } from "./compose.ts";
import { dayArgumentViolations } from "./day-argument.ts";

async function checkedInSdls(): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, (await readCheckedIn(`${name}.graphql`))!] as const)));
}

describe("one name for the day argument (activeOn)", () => {
  it("holds on the composed supergraph, where the old names are deprecated aliases", async () => {
    const supergraph = (await readCheckedIn("supergraph.graphql"))!;
    expect(dayArgumentViolations(supergraph)).toEqual([]);
    // The old names still exist, deprecated, beside activeOn.
    for (const old of ["asOf: Date @deprecated", "on: Date @deprecated", "asOn: Date @deprecated", "date: Date @deprecated"]) {
      expect(supergraph).toContain(old);
    }
  });

  it("fails on a new field whose day argument has another name, and on an old name without @deprecated", async () => {
    const sdls = await checkedInSdls();
    const head = "type GroupSeat {";
    const groups = sdls["groups"]!;
    expect(groups).toContain(head);
    const added = composeSupergraph({
      ...sdls,
      groups: groups.replace(head, `${head}\n  holders(asAt: Date, validOn: Date, day: Date, from: Date, to: Date, activeOn: Date): Int`),
    });
    expect(dayArgumentViolations(added)).toEqual(["GroupSeat.holders(asAt)", "GroupSeat.holders(day)", "GroupSeat.holders(validOn)"]);
    const undeprecated = composeSupergraph({ ...sdls, groups: groups.replace(/asOf: Date @deprecated\(reason: "Use activeOn."\)/, "asOf: Date") });
    expect(dayArgumentViolations(undeprecated)).toEqual(["Query.nominationRounds(asOf)"]);
  });

  it("leaves mutations' dates (values to write) alone", () => {
    const sdl = "scalar Date\ntype Query { a(activeOn: Date): Int }\ntype Mutation { endSeat(id: ID!, endsOn: Date!): Int }";
    expect(dayArgumentViolations(sdl)).toEqual([]);
    expect(dayArgumentViolations(sdl.replace("type Query { a(activeOn", "type Query { a(endsOn"))).toEqual(["Query.a(endsOn)"]);
  });
});
