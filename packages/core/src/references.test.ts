import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { Scope, ViewerRole, type Viewer } from "./auth.ts";
import { assertReferencesInCounties, assertReferencesInScope, createReferenceChecker, type ReferenceCheck, type ReferenceChecker } from "./references.ts";

const coordinator14: Viewer = { subject: "c", scopes: new Set([Scope.DataWrite]), role: ViewerRole.Coordinator, counties: new Set(["14"]) };
const admin: Viewer = { subject: "a", scopes: new Set([Scope.DataWrite]), role: ViewerRole.Admin, counties: new Set() };

/** A checker answering from a table of counties, recording what it was asked. */
function fakeChecker(counties: Record<string, string | null>) {
  const asked: ReferenceCheck[][] = [];
  const checker: ReferenceChecker = {
    async assertExist(checks) {
      asked.push([...checks]);
      const found = new Map<string, string | null>();
      for (const c of checks) if (c.withCounty) for (const key of c.keys) if (key && `${c.type}:${key}` in counties) found.set(`${c.type}:${key}`, counties[`${c.type}:${key}`]!);
      return found;
    },
  };
  return { checker, asked };
}

describe("county scope of references", () => {
  it("refuses a reference to a county the caller may not write, naming the county and the field", () => {
    const refuse = () =>
      assertReferencesInCounties(coordinator14, [
        { field: "input.municipalityCodes", type: "Municipality", key: "167", countyCode: "14" },
        { field: "input.municipalityCodes", type: "Municipality", key: "837", countyCode: "08" },
      ]);
    expect(refuse).toThrow(/county 08 in input\.municipalityCodes: Municipality "837"/);
    try {
      refuse();
    } catch (error) {
      expect((error as { extensions: Record<string, unknown> }).extensions).toMatchObject({ code: "FORBIDDEN", county: "08", field: "input.municipalityCodes" });
    }
  });

  it("lets an admin refer anywhere, anyone name a national organisation, and keeps records of no county otherwise to admins", () => {
    const aland = { field: "input.municipalityCode", type: "Municipality", key: "478", countyCode: null, noCounty: "admin" as const };
    const kela = { field: "input.organisationId", type: "Organisation", key: "org-kela", countyCode: null, noCounty: "any" as const };
    expect(() => assertReferencesInCounties(admin, [aland, { ...aland, key: "837", countyCode: "08" }])).not.toThrow();
    expect(() => assertReferencesInCounties(coordinator14, [kela])).not.toThrow();
    expect(() => assertReferencesInCounties(coordinator14, [aland])).toThrow(/no county \(admin only\)/);
    // A county not read (owner unconfigured) is not judged here: the existence check owns that case.
    expect(() => assertReferencesInCounties(coordinator14, [{ ...aland, countyCode: undefined }])).not.toThrow();
  });

  it("asks the owning service for counties only for a caller whose scope is limited", async () => {
    const checks: ReferenceCheck[] = [
      { field: "input.personId", type: "Person", keys: ["p1"] },
      { field: "input.organisationIds", type: "Organisation", keys: ["org-artteli"] },
    ];
    const forCoordinator = fakeChecker({ "Organisation:org-artteli": "08" });
    await expect(assertReferencesInScope(forCoordinator.checker, coordinator14, checks)).rejects.toThrow(/county 08 in input\.organisationIds/);
    expect(forCoordinator.asked[0]!.map((c) => c.withCounty)).toEqual([false, true]);
    const forAdmin = fakeChecker({ "Organisation:org-artteli": "08" });
    await expect(assertReferencesInScope(forAdmin.checker, admin, checks)).resolves.toBeUndefined();
    expect(forAdmin.asked[0]!.some((c) => c.withCounty)).toBe(false);
  });
});

describe("referrers: what another subgraph holds that names a record", () => {
  /** A local subgraph answering `_entities` with `answer`, recording the queries it got. */
  async function subgraph(answer: (query: string) => { status: number; body: unknown }) {
    const queries: string[] = [];
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        const { query } = JSON.parse(raw) as { query: string };
        queries.push(query);
        const { status, body } = answer(query);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}/graphql`, queries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("reads the owner's field through _entities; none when the service is not configured; SUBGRAPH_UNAVAILABLE when it fails", async () => {
    const good = await subgraph(() => ({ status: 200, body: { data: { _entities: [{ groupReferrers: ['GroupSeat "seat-1"'] }] } } }));
    const bad = await subgraph(() => ({ status: 200, body: { data: null, errors: [{ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } }] } }));
    try {
      const checker = createReferenceChecker({ urls: { groups: good.url, planning: bad.url }, internalSecret: undefined, self: "organisations" });
      expect(await checker.referrers!("groups", "OrganisationCategory", "category-14-x", "groupReferrers")).toEqual(['GroupSeat "seat-1"']);
      expect(good.queries[0]).toContain("... on OrganisationCategory { groupReferrers }");
      expect(await createReferenceChecker({ urls: {}, internalSecret: undefined, self: "organisations" }).referrers!("groups", "OrganisationCategory", "x", "groupReferrers")).toEqual([]);
      await expect(checker.referrers!("planning", "Document", "doc-1", "planningProvenanceReferrers")).rejects.toMatchObject({ extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: "planning" } });
      const closed = createReferenceChecker({ urls: { groups: "http://127.0.0.1:9/graphql" }, internalSecret: undefined, self: "organisations" });
      await expect(closed.referrers!("groups", "OrganisationCategory", "x", "groupReferrers")).rejects.toMatchObject({ extensions: { code: "SUBGRAPH_UNAVAILABLE" } });
    } finally {
      await Promise.all([good.close(), bad.close()]);
    }
  });

  it("assertExist: an unknown key is the caller's; the owner's database down or slow is the owner's", async () => {
    const errors: Record<string, { message: string; extensions: { code: string } }[]> = {
      missing: [{ message: "no Person", extensions: { code: "NOT_FOUND" } }],
      down: [{ message: "db", extensions: { code: "DATABASE_UNAVAILABLE" } }],
      slow: [{ message: "db", extensions: { code: "DATABASE_TIMEOUT" } }],
    };
    let answer = "missing";
    const owner = await subgraph(() => ({ status: 200, body: { data: { _entities: [null] }, errors: errors[answer] } }));
    try {
      const checker = createReferenceChecker({ urls: { organisations: owner.url }, internalSecret: undefined, self: "groups" });
      const check = () => checker.assertExist([{ field: "input.personId", type: "Person", keys: ["p1"] }]);
      await expect(check()).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.personId" } });
      expect(owner.queries[0]).toContain("_entities(representations: $r) { __typename ... on Person { id } }");
      answer = "down";
      await expect(check()).rejects.toMatchObject({ extensions: { code: "DATABASE_UNAVAILABLE", serviceName: "organisations", fields: ["input.personId"] } });
      answer = "slow";
      await expect(check()).rejects.toThrow(/could not be reached to check input\.personId \(its database did not answer in time\); nothing was written/);
    } finally {
      await owner.close();
    }
  });
});
