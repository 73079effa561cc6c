import { describe, expect, it } from "vitest";
import { composeSupergraph, readCheckedIn, SUBGRAPHS } from "./compose.ts";
import { READ_ONLY, WRITE_PATHS, writeCoverageProblems } from "./write-coverage.ts";

describe("write coverage", () => {
  it("gives every object type of the supergraph its write path or the reason it is read-only", async () => {
    const supergraph = (await readCheckedIn("supergraph.graphql"))!;
    expect(writeCoverageProblems(supergraph)).toEqual([]);
    // The map is not vacuous: the types issue 25 named are written, reference data is not.
    expect(WRITE_PATHS["LiaisonRole"]).toContain("createLiaisonRole");
    expect(WRITE_PATHS["Document"]).toContain("removeDocument");
    expect(READ_ONLY["Municipality"]).toMatch(/reference data/);
  });

  it("fails on a type added without a write path, on a mutation that does not exist and on a stale entry", async () => {
    const sdls = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, (await readCheckedIn(`${name}.graphql`))!] as const)));
    const withBoard = composeSupergraph({
      ...sdls,
      groups: sdls["groups"]!.replace("type GroupSeat", 'type BoardDecision { id: ID! title: String! }\n\nextend type Query { boardDecisions: [BoardDecision!]! }\n\ntype GroupSeat'),
    });
    expect(withBoard).toContain("type BoardDecision");
    expect(writeCoverageProblems(withBoard)).toEqual(["BoardDecision: no write path and no reason it is read-only"]);
    // A reason makes it pass; a write path naming a mutation nobody has does not.
    expect(writeCoverageProblems(withBoard, WRITE_PATHS, { ...READ_ONLY, BoardDecision: "copied from the county's case system" })).toEqual([]);
    expect(writeCoverageProblems(withBoard, { ...WRITE_PATHS, BoardDecision: ["recordBoardDecision"] })).toEqual([
      "BoardDecision: mutation recordBoardDecision is not in the Mutation type",
    ]);
    const supergraph = (await readCheckedIn("supergraph.graphql"))!;
    expect(writeCoverageProblems(supergraph, { ...WRITE_PATHS, BoardDecision: ["createArea"] })).toEqual(["BoardDecision: listed, but the supergraph has no such type"]);
    expect(writeCoverageProblems(supergraph, WRITE_PATHS, { ...READ_ONLY, Area: "seeded" })).toEqual(["Area: listed both with write paths and as read-only"]);
  });
});
