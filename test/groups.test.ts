import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AreaKeys, GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { startTestStack, type TestStack } from "./support.ts";

let stack: TestStack;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

beforeAll(async () => {
  stack = await startTestStack("groups");
});

afterAll(async () => {
  await stack?.stop();
});

const AREA_OF: Record<string, string> = {
  "167": "KESKINEN", "276": "KESKINEN", "146": "KESKINEN",
  "176": "POHJOINEN", "422": "POHJOINEN", "541": "POHJOINEN",
  "090": "LÄNTINEN", "426": "LÄNTINEN", "309": "LÄNTINEN", "607": "LÄNTINEN",
  "260": "ETELÄINEN", "707": "ETELÄINEN", "848": "ETELÄINEN",
};

describe("groups through the gateway", () => {
  it("answers PartnershipGroupsByMunicipality for Pohjois-Karjala's 13 municipalities", async () => {
    // DESIGN.md's query, with the fields of subgraphs not yet built (people's and
    // organisations' names, themes) reduced to their keys.
    const res = await stack.query<Data>(`query PartnershipGroupsByMunicipality {
      county(code: "14") {
        nameFi
        municipalities {
          code nameFi
          cooperationGroups(kind: PARTNERSHIP_GROUP) {
            name area { id name }
            memberships { role person { id } organisation { id } }
          }
        }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const county = res.data.county;
    expect(county.nameFi).toBe("Pohjois-Karjalan hyvinvointialue");
    expect(county.municipalities).toHaveLength(13);
    for (const m of county.municipalities) {
      const regional = m.cooperationGroups.filter((g: Data) => g.area !== null);
      expect(regional, m.code).toHaveLength(1);
      expect(regional[0].area.name).toBe(AREA_OF[m.code]);
      expect(regional[0].name).toBe(`Alueellinen kumppanuusryhmä ${AREA_OF[m.code]}`);
      expect(m.cooperationGroups.map((g: Data) => g.name)).toContain("Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä");
    }
  });

  it("answers areas and a county's groups with Municipality fields from the organisations subgraph", async () => {
    const res = await stack.query<Data>(`{
      area(id: "${AreaKeys.pkLantinen}") { name county { code nameFi } municipalities { code nameFi } }
      cooperationGroup(id: "${GroupKeys.pirhaJyry}") { county { nameFi } meetings { kind startsAt endsAt } seats { constituency } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.area.municipalities.map((m: Data) => m.nameFi)).toEqual(["Heinävesi", "Liperi", "Outokumpu", "Polvijärvi"]);
    expect(res.data.area.county.nameFi).toBe("Pohjois-Karjalan hyvinvointialue");
    expect(res.data.cooperationGroup.meetings[0]).toEqual({ kind: "ORGANISING", startsAt: "2023-12-19T14:00:00+02:00", endsAt: "2023-12-19T16:00:00+02:00" });
    expect(res.data.cooperationGroup.seats.filter((s: Data) => s.constituency === "ASSOCIATION_CATEGORY")).toHaveLength(19);
  });

  it("keeps membership history: memberships(activeOn) differs before and after a recorded change", async () => {
    const token = await mintUserToken(stack.authSecret, { sub: "coordinator", scope: "data:write", role: "coordinator", counties: ["14"] });
    const auth = { authorization: `Bearer ${token}` };
    const record = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
    const common = { groupId: GroupKeys.pkKeskinen, organisationId: "org-municipality-167", role: "CHAIR" };
    const createPerson = async (name: string): Promise<string> => {
      const res = await stack.query<Data>(
        `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`,
        { input: { name, organisationId: "org-municipality-167" } },
        auth,
      );
      expect(res.errors).toBeUndefined();
      return res.data.createPerson.id;
    };
    const firstId = await createPerson("Ensimmäinen Puheenjohtaja");
    const secondId = await createPerson("Toinen Puheenjohtaja");

    const denied = await stack.query(record, { input: { ...common, personId: firstId, startsOn: "2024-01-01" } });
    expect(denied.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");

    const first = await stack.query<Data>(record, { input: { ...common, personId: firstId, startsOn: "2024-01-01" } }, auth);
    expect(first.errors).toBeUndefined();
    const ended = await stack.query<Data>(
      `mutation($id: ID!) { endMembership(input: { membershipId: $id, endsOn: "2024-06-30" }) { endsOn } }`,
      { id: first.data.recordMembership.id },
      auth,
    );
    expect(ended.data.endMembership.endsOn).toBe("2024-06-30");
    const second = await stack.query<Data>(record, { input: { ...common, personId: secondId, startsOn: "2024-07-01" } }, auth);
    expect(second.errors).toBeUndefined();

    const asOf = async (day: string) => {
      const res = await stack.query<Data>(
        `query($id: ID!, $day: Date) { cooperationGroup(id: $id) { memberships(activeOn: $day) { role person { id } organisation { id } } } }`,
        { id: GroupKeys.pkKeskinen, day },
      );
      expect(res.errors).toBeUndefined();
      return res.data.cooperationGroup.memberships;
    };
    expect(await asOf("2024-03-01")).toEqual([{ role: "CHAIR", person: { id: firstId }, organisation: { id: "org-municipality-167" } }]);
    expect(await asOf("2024-08-01")).toEqual([{ role: "CHAIR", person: { id: secondId }, organisation: { id: "org-municipality-167" } }]);
    expect(await asOf("2023-12-31")).toEqual([]);

    const history = await stack.query<Data>(
      `{ municipality(code: "167") { cooperationGroups(kind: PARTNERSHIP_GROUP, activeOn: "2024-03-01") { shortName memberships(history: true) { person { id } endsOn } } } }`,
    );
    expect(history.errors).toBeUndefined();
    const keskinen = history.data.municipality.cooperationGroups.find((g: Data) => g.shortName === "KESKINEN");
    expect(keskinen.memberships).toEqual([
      { person: { id: firstId }, endsOn: "2024-06-30" },
      { person: { id: secondId }, endsOn: null },
    ]);
  });
});
