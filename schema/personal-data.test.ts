import { buildSchema, isInputObjectType, isInterfaceType, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph, readCheckedIn, SUBGRAPHS } from "./compose.ts";
import { composePublicSupergraph, excludedCoordinates, publicApiSdl } from "./contract.ts";
import { unmarkedPersonalFields, undecidedPersonalFields } from "./personal-data.ts";

/** The checked-in subgraph SDLs (schema.test.ts checks that they are what the services print). */
async function checkedInSdls(): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, (await readCheckedIn(`${name}.graphql`))!] as const)));
}

/** The subgraphs with a field added to the organisations subgraph's `Person`. */
function withPersonField(sdls: Record<string, string>, field: string): Record<string, string> {
  const head = 'type Person @key(fields: "id") @tag(name: "personal") {';
  expect(sdls["organisations"]).toContain(head);
  return { ...sdls, organisations: sdls["organisations"]!.replace(head, `${head}\n  ${field}`) };
}

/** `Type.field` of every field and `Type` of every type in an API schema. */
function coordinatesOf(sdl: string): Set<string> {
  const schema = buildSchema(sdl);
  const found = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    found.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) for (const f of Object.keys(type.getFields())) found.add(`${type.name}.${f}`);
  }
  return found;
}

describe("personal data in the schema", () => {
  it("marks every field whose name or type suggests personal data, and decides how each is guarded", async () => {
    const supergraph = (await readCheckedIn("supergraph.graphql"))!;
    expect(unmarkedPersonalFields(supergraph)).toEqual([]);
    expect(undecidedPersonalFields(supergraph)).toEqual([]);
    // The marking reaches the composed supergraph (where the contract and this check read it).
    expect(excludedCoordinates(supergraph)).toEqual(expect.arrayContaining(["Person", "Person.email", "Person.phone", "Person.name", "MeetingAttendance", "Change"]));
  });

  it("fails on an unmarked homeAddress, and on a marked one nobody decided how to guard", async () => {
    const sdls = await checkedInSdls();
    const unmarked = composeSupergraph(withPersonField(sdls, "homeAddress: String"));
    expect(unmarkedPersonalFields(unmarked)).toEqual(["Person.homeAddress: its name suggests personal data"]);
    const birth = composeSupergraph({ ...sdls, groups: sdls["groups"]!.replace("type GroupSeat", "type BoardMember { id: ID! name: String birthDate: String }\n\ntype GroupSeat") });
    expect(unmarkedPersonalFields(birth).sort()).toEqual([
      "BoardMember.birthDate: its name suggests personal data",
      "BoardMember.name: names or describes a person",
      "BoardMember: a type about one person, not tagged personal as a whole",
    ]);
    const marked = composeSupergraph(withPersonField(sdls, 'homeAddress: String @tag(name: "personal")'));
    expect(unmarkedPersonalFields(marked)).toEqual([]);
    expect(undecidedPersonalFields(marked)).toEqual(["Person.homeAddress"]);
  });
});

describe("public contract", () => {
  it("is checked in as pnpm schema composes it", async () => {
    expect(await readCheckedIn("public-supergraph.graphql"), "schema/public-supergraph.graphql is stale: run pnpm schema").toBe(
      composePublicSupergraph(await checkedInSdls()),
    );
  });

  it("has no tagged type or field, no mutations and nothing about a person, while keeping the public graph", async () => {
    const sdls = await checkedInSdls();
    const supergraph = (await readCheckedIn("supergraph.graphql"))!;
    const api = coordinatesOf(publicApiSdl(sdls));
    const excluded = excludedCoordinates(supergraph);
    expect(excluded.length).toBeGreaterThan(5);
    expect(excluded.filter((c) => api.has(c))).toEqual([]);
    expect([...api].filter((c) => /^(Mutation|Subscription)\b|Person|MeetingAttendance|GroupContact|^Change|\.changes$|\.(email|phone|attendance|contacts|people|person|contactPerson)$/.test(c))).toEqual([]);
    for (const kept of ["Query.cooperationGroups", "CooperationGroup.seats", "GroupMembership.organisation", "GroupMeeting.startsAt", "Municipality.name", "NominationRound.nominations", "Query.wellbeingPlan"]) {
      expect(api, kept).toContain(kept);
    }
  });

  it("leaves out a newly tagged field, wherever it is", async () => {
    const api = coordinatesOf(publicApiSdl(withPersonField(await checkedInSdls(), "nickname: String")));
    expect(api.has("Person.nickname")).toBe(false);
    const sdls = await checkedInSdls();
    const tagged = { ...sdls, organisations: sdls["organisations"]!.replace(/^type Organisation @key\(fields: "id"\) \{$/m, 'type Organisation @key(fields: "id") {\n  ombudsmanHomeAddress: String @tag(name: "personal")\n  ombudsmanEmail: String') };
    expect(tagged["organisations"]).toContain("ombudsmanHomeAddress");
    const taggedApi = coordinatesOf(publicApiSdl(tagged));
    expect(taggedApi.has("Organisation.ombudsmanHomeAddress")).toBe(false);
    expect(taggedApi.has("Organisation.ombudsmanEmail")).toBe(true);
    expect(unmarkedPersonalFields(composeSupergraph(tagged))).toEqual(["Organisation.ombudsmanEmail: its name suggests personal data"]);
  });
});
