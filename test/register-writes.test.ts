import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AreaKeys, GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, seedPeople, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Issue 25, groups subgraph: the write paths of areas, cooperation levels,
 * liaison roles and their holders, a group's municipalities checked against
 * its county, and re-confirming a record's provenance in each subgraph. For
 * each mutation, through the gateway: the outcome, FORBIDDEN for another
 * county's coordinator, BAD_USER_INPUT naming the field with no row changed,
 * and the audit entry with before and after. Municipalities: 837 Tampere,
 * 211 Kangasala, 604 Pirkkala (county 08); 167 Joensuu, 276 Kontiolahti
 * (county 14, both in area KESKINEN); 233 Kauhava (county 16).
 */

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;
let coordinator16: Record<string, string>;
let coordinator0814: Record<string, string>;
let person: () => string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
interface Result {
  data?: Data;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

beforeAll(async () => {
  stack = await startTestStack("registers");
  const token = async (sub: string, role: "admin" | "coordinator", counties?: string[]) =>
    bearer(await mintUserToken(stack.authSecret, { sub, scope: "data:write", role, ...(counties ? { counties } : {}) }));
  admin = await token("register-admin", "admin");
  coordinator14 = await token("register-coord-14", "coordinator", ["14"]);
  coordinator08 = await token("register-coord-08", "coordinator", ["08"]);
  coordinator16 = await token("register-coord-16", "coordinator", ["16"]);
  coordinator0814 = await token("register-coord-08-14", "coordinator", ["08", "14"]);
  person = await seedPeople(stack, "registers", 60);
});

afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Result> => stack.query<Data>(query, variables, headers);

async function ok(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const res = await q(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

function expectForbidden(res: Result, county: string): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  expect(res.errors![0]!.message).toContain(`county ${county}`);
}

function expectBadInput(res: Result, field: string, rule: string | RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  expect(res.errors![0]!.extensions!["field"]).toBe(field);
  if (typeof rule === "string") expect(res.errors![0]!.message).toContain(rule);
  else expect(res.errors![0]!.message).toMatch(rule);
}

const sql = <T = Data>(query: string, params: unknown[] = []) => serviceSql<T>(stack, "groups", query, params);

/** The recorded changes of one record, oldest first, read from the groups database. */
const changeRows = async (entityType: string, entityId: string) =>
  await sql(`select operation, before, after, changed_fields, actor_subject from change_record where entity_type = $1 and entity_id = $2 order by changed_at, id`, [entityType, entityId]);

const CHANGES = `changes { edges { node { operation actorSubject before after changedFields } } }`;
/** The one change of `operation` in a `changes` connection. */
function only(changes: Data, operation: string): Data {
  const nodes = changes.edges.map((e: Data) => e.node).filter((n: Data) => n.operation === operation);
  expect(nodes).toHaveLength(1);
  return nodes[0];
}

const CREATE_AREA = `mutation($input: CreateAreaInput!) { createArea(input: $input) { id name county { code } municipalities { code } provenance { section decisionBody lastConfirmedOn } } }`;
const EDIT_AREA = `mutation($input: EditAreaInput!) { editArea(input: $input) { id name municipalities { code } } }`;
const REMOVE_AREA = `mutation($id: ID!) { removeArea(areaId: $id) }`;
const AREA = `query($id: ID!) { area(id: $id) { id name municipalities { code } ${CHANGES} } }`;

describe("areas", () => {
  it("createArea: a county's area with its municipalities in order and its provenance; audited with the list", async () => {
    const input = {
      countyCode: "08",
      name: "Läntinen testialue",
      municipalityCodes: ["837", "604"],
      provenance: { section: "Alueet", decisionBody: "Aluehallitus", lastConfirmedOn: "2026-11-02" },
    };
    expectForbidden(await q(CREATE_AREA, { input }, coordinator14), "08");
    expect(await sql(`select id from area where name = $1`, [input.name])).toHaveLength(0);

    const area = (await ok(CREATE_AREA, { input }, coordinator08)).createArea;
    expect(area).toMatchObject({ name: input.name, county: { code: "08" }, municipalities: [{ code: "837" }, { code: "604" }] });
    expect(area.provenance).toEqual({ section: "Alueet", decisionBody: "Aluehallitus", lastConfirmedOn: "2026-11-02" });
    expect((await ok(`{ areas(countyCode: "08") { id } }`, {}, coordinator08)).areas.map((a: Data) => a.id)).toContain(area.id);

    const created = only((await ok(AREA, { id: area.id }, coordinator08)).area.changes, "CREATE");
    expect(created).toMatchObject({ actorSubject: "register-coord-08", before: null });
    expect(created.after).toMatchObject({ name: input.name, countyCode: "08", municipalityCodes: ["837", "604"] });
    expect(created.changedFields).toContain("municipalityCodes");
  });

  it("createArea: BAD_USER_INPUT naming the field for another county's municipality, a municipality of another area, a taken name, a future confirmation; nothing written", async () => {
    const name = "Virheellinen alue";
    const base = { countyCode: "08", name, municipalityCodes: ["211"] };
    // A coordinator of both counties may refer to Joensuu, but an area of 08 holds only 08's municipalities (an admin too).
    expectBadInput(await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["211", "167"] } }, coordinator0814), "input.municipalityCodes", "municipality 167 belongs to county 14, not 08");
    expectBadInput(await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["167"] } }, admin), "input.municipalityCodes", "belongs to county 14");
    // Another county's municipality is out of a single-county coordinator's scope.
    expect((await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["167"] } }, coordinator08)).errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", field: "input.municipalityCodes" });
    expectBadInput(await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["998"] } }, coordinator08), "input.municipalityCodes", "998");
    expectBadInput(await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["211", "211"] } }, coordinator08), "input.municipalityCodes", "listed twice");
    expectBadInput(await q(CREATE_AREA, { input: { ...base, municipalityCodes: ["12"] } }, coordinator08), "input.municipalityCodes", "3-digit");
    // Joensuu is in KESKINEN already.
    expectBadInput(
      await q(CREATE_AREA, { input: { countyCode: "14", name, municipalityCodes: ["167"] } }, coordinator14),
      "input.municipalityCodes",
      `municipality 167 already belongs to area ${AreaKeys.pkKeskinen}`,
    );
    expectBadInput(await q(CREATE_AREA, { input: { countyCode: "14", name: "keskinen", municipalityCodes: [] } }, coordinator14), "input.name", `existing: area ${AreaKeys.pkKeskinen}`);
    expectBadInput(await q(CREATE_AREA, { input: { ...base, provenance: { lastConfirmedOn: "2999-01-01" } } }, coordinator08), "input.provenance.lastConfirmedOn", "future");
    expectBadInput(await q(CREATE_AREA, { input: { ...base, provenance: { url: "ftp://x" } } }, coordinator08), "input.provenance.url", "http");
    expect(await sql(`select id from area where name = $1`, [name])).toHaveLength(0);
    expect(await sql(`select id from area where county_code = '14'`)).toHaveLength(4);
  });

  it("editArea: renames and replaces the list in order, audited with before and after; refused across counties and on overlaps", async () => {
    const area = (await ok(CREATE_AREA, { input: { countyCode: "08", name: "Itäinen testialue", municipalityCodes: ["211"] } }, coordinator08)).createArea;
    expectForbidden(await q(EDIT_AREA, { input: { areaId: area.id, name: "Vallattu" } }, coordinator14), "08");
    expectForbidden(await q(EDIT_AREA, { input: { areaId: area.id, municipalityCodes: ["211"] } }, coordinator14), "08");
    // Tampere is in the first test's area.
    expectBadInput(await q(EDIT_AREA, { input: { areaId: area.id, municipalityCodes: ["211", "837"] } }, coordinator08), "input.municipalityCodes", "municipality 837 already belongs to area");
    expectBadInput(await q(EDIT_AREA, { input: { areaId: "area-none", name: "X" } }, coordinator08), "input.areaId", "no area");
    expectBadInput(await q(EDIT_AREA, { input: { areaId: area.id, name: "Läntinen TESTIALUE" } }, coordinator08), "input.name", "already has an area with this name");
    expect((await ok(AREA, { id: area.id }, coordinator08)).area).toMatchObject({ name: "Itäinen testialue", municipalities: [{ code: "211" }] });

    const edited = (await ok(EDIT_AREA, { input: { areaId: area.id, name: "Itäinen alue", municipalityCodes: ["418", "211"] } }, coordinator08)).editArea;
    expect(edited).toMatchObject({ name: "Itäinen alue", municipalities: [{ code: "418" }, { code: "211" }] });
    const update = only((await ok(AREA, { id: area.id }, coordinator08)).area.changes, "UPDATE");
    expect(update.before).toMatchObject({ name: "Itäinen testialue", municipalityCodes: ["211"] });
    expect(update.after).toMatchObject({ name: "Itäinen alue", municipalityCodes: ["418", "211"] });
    expect(update.changedFields).toEqual(expect.arrayContaining(["name", "municipalityCodes"]));
  });

  it("removeArea: removes an area entered by mistake (audited), not one a group works in, not another county's", async () => {
    const area = (await ok(CREATE_AREA, { input: { countyCode: "08", name: "Vahinkoalue", municipalityCodes: ["980"] } }, coordinator08)).createArea;
    expectForbidden(await q(REMOVE_AREA, { id: area.id }, coordinator14), "08");
    expectBadInput(await q(REMOVE_AREA, { id: AreaKeys.pkKeskinen }, coordinator14), "areaId", `group ${GroupKeys.pkKeskinen} works in the area`);
    expect(await sql(`select area_id from area_municipality where area_id = $1`, [AreaKeys.pkKeskinen])).toHaveLength(3);

    expect((await ok(REMOVE_AREA, { id: area.id }, coordinator08)).removeArea).toBe(area.id);
    expect((await ok(AREA, { id: area.id }, coordinator08)).area).toBeNull();
    expect(await sql(`select 1 from area_municipality where area_id = $1`, [area.id])).toHaveLength(0);
    const deleted = (await changeRows("Area", area.id)).find((c: Data) => c.operation === "DELETE");
    expect(deleted).toMatchObject({ actor_subject: "register-coord-08", after: null });
    expect(deleted.before).toMatchObject({ name: "Vahinkoalue", countyCode: "08" });
    // Ylöjärvi is free for another area again once its area is gone.
    expect((await ok(CREATE_AREA, { input: { countyCode: "08", name: "Uusi alue", municipalityCodes: ["980"] } }, coordinator08)).createArea.municipalities).toEqual([{ code: "980" }]);
  });

  it("parallel creates of areas naming one municipality: one area gets it", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => q(CREATE_AREA, { input: { countyCode: "08", name: `Rinnakkaisalue ${i}`, municipalityCodes: ["536"] } }, coordinator08)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.municipalityCodes" });
    expect(await sql(`select area_id from area_municipality where municipality_code = '536'`)).toHaveLength(1);
  });
});

const CREATE_LEVEL = `mutation($input: CreateCooperationLevelInput!) { createCooperationLevel(input: $input) { id name level ordinal forums description county { code } } }`;
const EDIT_LEVEL = `mutation($input: EditCooperationLevelInput!) { editCooperationLevel(input: $input) { id name forums ordinal } }`;
const REMOVE_LEVEL = `mutation($id: ID!) { removeCooperationLevel(levelId: $id) }`;
const LEVELS = `query($county: ID!) { cooperationLevels(countyCode: $county) { id name forums ${CHANGES} } }`;

describe("cooperation levels", () => {
  it("createCooperationLevel, editCooperationLevel, removeCooperationLevel: outcome, scope, rules and audit", async () => {
    const input = { countyCode: "08", level: "MUNICIPALITY", name: "Kuntataso", forums: ["Kuntien järjestöfoorumit"], provenance: { section: "Rakenne" } };
    expectForbidden(await q(CREATE_LEVEL, { input }, coordinator14), "08");
    const level = (await ok(CREATE_LEVEL, { input }, coordinator08)).createCooperationLevel;
    expect(level).toMatchObject({ name: "Kuntataso", level: "MUNICIPALITY", ordinal: 1, forums: ["Kuntien järjestöfoorumit"], county: { code: "08" } });
    expectBadInput(await q(CREATE_LEVEL, { input: { ...input, name: "KUNTATASO" } }, coordinator08), "input.name", `existing: level ${level.id}`);
    expectBadInput(await q(CREATE_LEVEL, { input: { ...input, name: "Toinen", forums: [""] } }, coordinator08), "input.forums", /./);
    expect(await sql(`select id from cooperation_level where county_code = '08'`)).toHaveLength(1);

    expectForbidden(await q(EDIT_LEVEL, { input: { levelId: level.id, name: "Vallattu" } }, coordinator14), "08");
    expectBadInput(await q(EDIT_LEVEL, { input: { levelId: "level-none", name: "X" } }, coordinator08), "input.levelId", "no cooperation level");
    const edited = (await ok(EDIT_LEVEL, { input: { levelId: level.id, name: "Kuntien taso", forums: ["A", "B"] } }, coordinator08)).editCooperationLevel;
    expect(edited).toMatchObject({ name: "Kuntien taso", forums: ["A", "B"] });

    const [listed] = (await ok(LEVELS, { county: "08" }, coordinator08)).cooperationLevels;
    expect(only(listed.changes, "CREATE").after).toMatchObject({ name: "Kuntataso", countyCode: "08" });
    const update = only(listed.changes, "UPDATE");
    expect(update.before).toMatchObject({ name: "Kuntataso", forums: ["Kuntien järjestöfoorumit"] });
    expect(update.after).toMatchObject({ name: "Kuntien taso", forums: ["A", "B"] });

    expectForbidden(await q(REMOVE_LEVEL, { id: level.id }, coordinator14), "08");
    expect((await ok(REMOVE_LEVEL, { id: level.id }, coordinator08)).removeCooperationLevel).toBe(level.id);
    expect((await ok(LEVELS, { county: "08" }, coordinator08)).cooperationLevels).toEqual([]);
    expect((await changeRows("CooperationLevel", level.id)).map((c: Data) => c.operation)).toEqual(["CREATE", "UPDATE", "DELETE"]);
  });
});

const CREATE_ROLE = `mutation($input: CreateLiaisonRoleInput!) { createLiaisonRole(input: $input) {
  id title level sector tasks endsOn municipality { code } organisation { id } network { id } pairedWith { id } county { code }
} }`;
const EDIT_ROLE = `mutation($input: EditLiaisonRoleInput!) { editLiaisonRole(input: $input) { id title tasks pairedWith { id } } }`;
const END_ROLE = `mutation($input: EndLiaisonRoleInput!) { endLiaisonRole(input: $input) { id endsOn } }`;
const REMOVE_ROLE = `mutation($id: ID!) { removeLiaisonRole(roleId: $id) }`;
const ADD = `mutation($input: AddLiaisonInput!) { addLiaison(input: $input) { id startsOn endsOn person { id } role { id title } } }`;
const END = `mutation($input: EndLiaisonInput!) { endLiaison(input: $input) { id startsOn endsOn } }`;
const ROLES = `query($county: ID!, $municipality: ID, $history: Boolean = false) {
  liaisonRoles(countyCode: $county, municipalityCode: $municipality, history: $history) {
    id title endsOn ${CHANGES}
    holders { id person { id } startsOn endsOn }
    history: holders(history: true) { id endsOn ${CHANGES} }
  }
}`;
const KAUHAVA_ROLE = "liaison-16-233-jarjesto";

describe("natural keys under parallel creates", () => {
  it("20 parallel creates of one level or one role keep one; the unique index answers the rest as BAD_USER_INPUT naming the field", async () => {
    const expectOne = async (results: Result[], field: string, table: string, column: string, value: string) => {
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of results.filter((r) => r.errors)) {
        expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
        expect(JSON.stringify(r.errors)).not.toMatch(/duplicate key|23505/);
      }
      expect(await sql(`select id from ${table} where county_code = '19' and lower(${column}) = lower($1)`, [value])).toHaveLength(1);
    };
    const level = { countyCode: "19", level: "REGIONAL", name: "Rinnakkainen taso" };
    await expectOne(await Promise.all(Array.from({ length: 20 }, () => q(CREATE_LEVEL, { input: level }, admin))), "input.name", "cooperation_level", "name", level.name);
    const role = { countyCode: "19", level: "REGIONAL", sector: "RESCUE", title: "Rinnakkainen yhdyshenkilö" };
    await expectOne(await Promise.all(Array.from({ length: 20 }, () => q(CREATE_ROLE, { input: role }, admin))), "input.title", "liaison_role", "title", role.title);
  });
});

describe("liaison roles", () => {
  it("createLiaisonRole: a municipality's role of the county, links checked; audited", async () => {
    const input = {
      countyCode: "14", level: "MUNICIPALITY", sector: "HEALTH_PROMOTION", title: "Hyte-yhdyshenkilö", municipalityCode: "276",
      organisationId: "org-municipality-276", networkGroupId: GroupKeys.pkKeskinen, tasks: ["Kokoaa kunnan hyte-työn"],
    };
    expectForbidden(await q(CREATE_ROLE, { input }, coordinator08), "14");
    expect((await q(CREATE_ROLE, { input: { ...input, organisationId: "org-municipality-837" } }, coordinator14)).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN", county: "08", field: "input.organisationId",
    });
    expectBadInput(await q(CREATE_ROLE, { input: { ...input, municipalityCode: "837" } }, admin), "input.municipalityCode", "municipality 837 belongs to county 08, not 14");
    expectBadInput(await q(CREATE_ROLE, { input: { ...input, networkGroupId: GroupKeys.epJarjestoyhdyshenkiloverkosto } }, admin), "input.networkGroupId", "belongs to county 16, not 14");
    expectBadInput(await q(CREATE_ROLE, { input: { ...input, pairedWithId: KAUHAVA_ROLE } }, admin), "input.pairedWithId", "belongs to county 16, not 14");
    expectBadInput(await q(CREATE_ROLE, { input: { ...input, organisationId: "org-none" } }, coordinator14), "input.organisationId", "org-none");
    expect(await sql(`select id from liaison_role where county_code = '14'`)).toHaveLength(0);

    const role = (await ok(CREATE_ROLE, { input }, coordinator14)).createLiaisonRole;
    expect(role).toMatchObject({
      title: "Hyte-yhdyshenkilö", level: "MUNICIPALITY", sector: "HEALTH_PROMOTION", tasks: input.tasks, endsOn: null,
      municipality: { code: "276" }, organisation: { id: "org-municipality-276" }, network: { id: GroupKeys.pkKeskinen }, pairedWith: null, county: { code: "14" },
    });
    expectBadInput(await q(CREATE_ROLE, { input: { ...input, title: "HYTE-yhdyshenkilö" } }, coordinator14), "input.title", `existing: role ${role.id}`);
    const [listed] = (await ok(ROLES, { county: "14", municipality: "276" }, coordinator14)).liaisonRoles;
    expect(only(listed.changes, "CREATE").after).toMatchObject({ title: "Hyte-yhdyshenkilö", municipalityCode: "276", countyCode: "14" });
  });

  it("editLiaisonRole: title, tasks and pair, audited; refused across counties and for a role paired with itself", async () => {
    const base = { countyCode: "14", level: "MUNICIPALITY", municipalityCode: "167" };
    const a = (await ok(CREATE_ROLE, { input: { ...base, title: "Järjestöyhdyshenkilö" } }, coordinator14)).createLiaisonRole;
    const b = (await ok(CREATE_ROLE, { input: { ...base, title: "Hyte-yhdyshenkilö", sector: "HEALTH_PROMOTION" } }, coordinator14)).createLiaisonRole;
    expectForbidden(await q(EDIT_ROLE, { input: { roleId: a.id, title: "X" } }, coordinator08), "14");
    expectBadInput(await q(EDIT_ROLE, { input: { roleId: a.id, pairedWithId: a.id } }, coordinator14), "input.pairedWithId", "not its own pair");
    expectBadInput(await q(EDIT_ROLE, { input: { roleId: a.id, pairedWithId: KAUHAVA_ROLE } }, coordinator14), "input.pairedWithId", "county 16");
    expectBadInput(await q(EDIT_ROLE, { input: { roleId: "liaison-none", title: "X" } }, coordinator14), "input.roleId", "no liaison role");
    expect((await sql(`select title, paired_with_id from liaison_role where id = $1`, [a.id]))[0]).toEqual({ title: "Järjestöyhdyshenkilö", paired_with_id: null });

    const edited = (await ok(EDIT_ROLE, { input: { roleId: a.id, title: "Järjestöjen yhdyshenkilö", tasks: ["Kutsuu järjestöt koolle"], pairedWithId: b.id } }, coordinator14)).editLiaisonRole;
    expect(edited).toMatchObject({ title: "Järjestöjen yhdyshenkilö", tasks: ["Kutsuu järjestöt koolle"], pairedWith: { id: b.id } });
    const roles = (await ok(ROLES, { county: "14", municipality: "167" }, coordinator14)).liaisonRoles;
    const update = only(roles.find((r: Data) => r.id === a.id).changes, "UPDATE");
    expect(update.before).toMatchObject({ title: "Järjestöyhdyshenkilö", pairedWithId: null, tasks: [] });
    expect(update.after).toMatchObject({ title: "Järjestöjen yhdyshenkilö", pairedWithId: b.id, tasks: ["Kutsuu järjestöt koolle"] });

    // Paired with: not removable until the pair is unlinked; a fresh role is.
    expectBadInput(await q(REMOVE_ROLE, { id: b.id }, coordinator14), "roleId", `role ${a.id} pairs with it`);
    const stray = (await ok(CREATE_ROLE, { input: { ...base, title: "Väärin kirjattu" } }, coordinator14)).createLiaisonRole;
    expectForbidden(await q(REMOVE_ROLE, { id: stray.id }, coordinator08), "14");
    expect((await ok(REMOVE_ROLE, { id: stray.id }, coordinator14)).removeLiaisonRole).toBe(stray.id);
    expect(await sql(`select 1 from liaison_role where id = $1`, [stray.id])).toHaveLength(0);
    expect((await changeRows("LiaisonRole", stray.id)).map((c: Data) => c.operation)).toEqual(["CREATE", "DELETE"]);
  });
});

describe("liaisons: who holds a role", () => {
  it("addLiaison names Kauhava's järjestöyhdyshenkilö, by role id or by municipality and title; audited", async () => {
    const holder = person();
    const input = { municipalityCode: "233", title: "järjestöyhdyshenkilö", personId: holder, startsOn: "2025-01-01" };
    expectForbidden(await q(ADD, { input }, coordinator14), "16");
    expectBadInput(await q(ADD, { input: { ...input, personId: "person-none" } }, coordinator16), "input.personId", "person-none");
    expectBadInput(await q(ADD, { input: { ...input, title: "Kunnanjohtaja" } }, coordinator16), "input.title", "no liaison role");
    expectBadInput(await q(ADD, { input: { ...input, roleId: KAUHAVA_ROLE } }, coordinator16), "input.roleId", "not both");
    expectBadInput(await q(ADD, { input: { ...input, endsOn: "2024-12-31" } }, coordinator16), "input.endsOn", "before startsOn");
    expect(await sql(`select 1 from liaison_holder where role_id = $1`, [KAUHAVA_ROLE])).toHaveLength(0);

    const added = (await ok(ADD, { input }, coordinator16)).addLiaison;
    expect(added).toMatchObject({ startsOn: "2025-01-01", endsOn: null, person: { id: holder }, role: { id: KAUHAVA_ROLE, title: "Järjestöyhdyshenkilö" } });
    expectBadInput(await q(ADD, { input: { roleId: KAUHAVA_ROLE, personId: holder, startsOn: "2025-06-01" } }, coordinator16), "input.personId", "already holds the role from 2025-01-01");

    const [role] = (await ok(ROLES, { county: "16", municipality: "233" }, coordinator16)).liaisonRoles;
    expect(role.holders).toEqual([{ id: added.id, person: { id: holder }, startsOn: "2025-01-01", endsOn: null }]);
    const created = only(role.history[0].changes, "CREATE");
    expect(created).toMatchObject({ actorSubject: "register-coord-16", before: null });
    expect(created.after).toMatchObject({ roleId: KAUHAVA_ROLE, personId: holder, startsOn: "2025-01-01", endsOn: null });
  });

  it("endLiaison ends a term (history kept, audited); parallel adds of one person give one term", async () => {
    const holder = person();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => q(ADD, { input: { roleId: "liaison-16-301-jarjesto", personId: holder, startsOn: "2024-03-01" } }, coordinator16)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.personId" });
    const id = results.find((r) => !r.errors)!.data.addLiaison.id as string;

    expectForbidden(await q(END, { input: { holderId: id, endsOn: "2025-02-28" } }, coordinator14), "16");
    expectBadInput(await q(END, { input: { holderId: id, endsOn: "2024-01-01" } }, coordinator16), "input.endsOn", "before startsOn");
    expectBadInput(await q(END, { input: { holderId: "liaison-holder-none", endsOn: "2025-01-01" } }, coordinator16), "input.holderId", "no liaison holder");
    expect((await sql(`select ends_on from liaison_holder where id = $1`, [id]))[0].ends_on).toBeNull();

    expect((await ok(END, { input: { holderId: id, endsOn: "2025-02-28" } }, coordinator16)).endLiaison).toMatchObject({ id, startsOn: "2024-03-01", endsOn: "2025-02-28" });
    const [role] = (await ok(ROLES, { county: "16", municipality: "301" }, coordinator16)).liaisonRoles.filter((r: Data) => r.id === "liaison-16-301-jarjesto");
    expect(role.holders).toEqual([]);
    const [term] = role.history;
    expect(term.endsOn).toBe("2025-02-28");
    const update = only(term.changes, "UPDATE");
    expect(update.before).toMatchObject({ endsOn: null });
    expect(update.after).toMatchObject({ endsOn: "2025-02-28" });
    // A later term of the same person is fine.
    expect((await ok(ADD, { input: { roleId: "liaison-16-301-jarjesto", personId: holder, startsOn: "2025-03-01" } }, coordinator16)).addLiaison.startsOn).toBe("2025-03-01");
  });

  it("endLiaisonRole ends the role and its continuing holders; no holder is added to an ended role; audited", async () => {
    const roleId = "liaison-16-300-jarjesto";
    const holder = person();
    await ok(ADD, { input: { roleId, personId: holder, startsOn: "2025-01-01" } }, coordinator16);
    expectForbidden(await q(END_ROLE, { input: { roleId, endsOn: "2025-12-31" } }, coordinator14), "16");
    expectBadInput(await q(END_ROLE, { input: { roleId, endsOn: "2024-12-31" } }, coordinator16), "input.endsOn", "starts on 2025-01-01");
    expect((await sql(`select ends_on from liaison_role where id = $1`, [roleId]))[0].ends_on).toBeNull();

    expect((await ok(END_ROLE, { input: { roleId, endsOn: "2025-12-31" } }, coordinator16)).endLiaisonRole).toEqual({ id: roleId, endsOn: "2025-12-31" });
    // Ended before today: out of the roles the county has (at every level too), still in its history.
    expect((await ok(ROLES, { county: "16", municipality: "300" }, coordinator16)).liaisonRoles.map((r: Data) => r.id)).not.toContain(roleId);
    const listedAt = async (history: boolean) => {
      const data = await ok(
        `query($history: Boolean!) {
          county(code: "16") { liaisonRoles(history: $history) { id } cooperationLevels { liaisonRoles(history: $history) { id } } }
        }`,
        { history },
        coordinator16,
      );
      return [data.county.liaisonRoles, ...data.county.cooperationLevels.map((l: Data) => l.liaisonRoles)].map((roles: Data[]) => roles.some((r) => r.id === roleId));
    };
    expect(await listedAt(false)).not.toContain(true);
    expect((await listedAt(true))[0]).toBe(true);
    const [role] = (await ok(ROLES, { county: "16", municipality: "300", history: true }, coordinator16)).liaisonRoles.filter((r: Data) => r.id === roleId);
    expect(role.endsOn).toBe("2025-12-31");
    expect(role.history.map((h: Data) => h.endsOn)).toEqual(["2025-12-31"]);
    const update = only(role.changes, "UPDATE");
    expect(update).toMatchObject({ before: { endsOn: null }, after: { endsOn: "2025-12-31" }, changedFields: ["endsOn"] });
    expectBadInput(await q(ADD, { input: { roleId, personId: person(), startsOn: "2026-01-01" } }, coordinator16), "input.roleId", "ended on 2025-12-31");
    expectBadInput(await q(REMOVE_ROLE, { id: roleId }, coordinator16), "roleId", "has holders");
  });

  it("lists holders with equal SQL statements per subgraph at 1× and 10× the holders", { timeout: 120_000 }, async () => {
    const codes = (await sql<{ id: string }>(`select id from liaison_role where county_code = '16' and sector = 'health_promotion' order by id`)).map((r) => r.id);
    expect(codes.length).toBeGreaterThanOrEqual(11);
    const query = `{ liaisonRoles(countyCode: "16") { id holders { id startsOn person { id name } } } }`;
    const hold = async (roleIds: string[]) => {
      for (const roleId of roleIds) await sql(`insert into liaison_holder (id, role_id, person_id, starts_on) values ($1, $2, $3, '2024-01-01')`, [`liaison-holder-nplus1-${roleId}`, roleId, person()]);
    };
    const cost = async () => {
      await stack.resetStats();
      const res = await q(query, {}, coordinator16);
      expect(res.errors).toBeUndefined();
      const held = res.data.liaisonRoles.flatMap((r: Data) => r.holders).filter((h: Data) => h.id.startsWith("liaison-holder-nplus1-"));
      return { stats: await stack.stats(), held: held.length, named: held.every((h: Data) => h.person.name) };
    };
    await hold(codes.slice(0, 1));
    const small = await cost();
    await hold(codes.slice(1, 10));
    const large = await cost();
    expect([small.held, large.held]).toEqual([1, 10]);
    expect(small.named && large.named).toBe(true);
    expect(large.stats).toEqual(small.stats);
  });
});

describe("a group's municipalities are of its county", () => {
  const CREATE_GROUP = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id municipalities { code } } }`;
  const EDIT_GROUP = `mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id municipalities { code } } }`;

  it("refuses a coordinator of both counties a county-14 group covering Tampere, on creation and on edits", async () => {
    const name = "Kahden maakunnan ryhmä";
    expectBadInput(
      await q(CREATE_GROUP, { input: { countyCode: "14", name, kind: "PARTNERSHIP_GROUP", municipalityCodes: ["167", "837"] } }, coordinator0814),
      "input.municipalityCodes",
      "municipality 837 belongs to county 08, not 14",
    );
    expect(await sql(`select id from cooperation_group where name = $1`, [name])).toHaveLength(0);
    const group = (await ok(CREATE_GROUP, { input: { countyCode: "14", name, kind: "PARTNERSHIP_GROUP", municipalityCodes: ["167"] } }, coordinator0814)).createCooperationGroup;
    expectBadInput(await q(EDIT_GROUP, { input: { groupId: group.id, municipalityCodes: ["837"] } }, coordinator0814), "input.municipalityCodes", "belongs to county 08, not 14");
    expect(await sql(`select municipality_code from group_municipality where group_id = $1`, [group.id])).toEqual([{ municipality_code: "167" }]);
    expect((await ok(EDIT_GROUP, { input: { groupId: group.id, municipalityCodes: ["276", "167"] } }, coordinator0814)).editCooperationGroup.municipalities.map((m: Data) => m.code).sort()).toEqual(["167", "276"]);
  });
});

describe("re-confirming a record's provenance", () => {
  const CONFIRM_GROUP = `mutation($type: String!, $id: ID!, $on: Date) { confirmGroupRecord(recordType: $type, id: $id, on: $on) { recordType recordId lastConfirmedOn section } }`;
  const CONFIRM_ORG = `mutation($type: String!, $id: ID!, $on: Date) { confirmOrganisationRecord(recordType: $type, id: $id, on: $on) { recordType recordId lastConfirmedOn } }`;
  const CONFIRM_PLANNING = `mutation($type: String!, $id: ID!, $on: Date) { confirmPlanningRecord(recordType: $type, id: $id, on: $on) { recordType recordId lastConfirmedOn } }`;
  const provenanceChanges = async (service: "groups" | "organisations" | "planning", type: string, id: string) =>
    await serviceSql<Data>(stack, service, `select operation, before, after, actor_subject from change_record where entity_type = 'Provenance' and coalesce(after->>'recordId', before->>'recordId') = $1 and coalesce(after->>'recordType', before->>'recordType') = $2 order by changed_at, id`, [id, type]);

  it("confirmGroupRecord: a group's provenance confirmed on a day, nothing else changed; scope and input checked; audited", async () => {
    const id = GroupKeys.pkKeskinen;
    const before = (await sql(`select * from record_source where record_type = 'CooperationGroup' and record_id = $1`, [id]))[0];
    expectForbidden(await q(CONFIRM_GROUP, { type: "CooperationGroup", id, on: "2026-12-01" }, coordinator08), "14");
    expectBadInput(await q(CONFIRM_GROUP, { type: "Nope", id, on: null }, coordinator14), "recordType", "must be one of");
    expectBadInput(await q(CONFIRM_GROUP, { type: "Area", id, on: null }, coordinator14), "id", `no Area "${id}"`);
    expectBadInput(await q(CONFIRM_GROUP, { type: "CooperationGroup", id, on: "2999-01-01" }, coordinator14), "on", "future");
    expect((await sql(`select * from record_source where record_type = 'CooperationGroup' and record_id = $1`, [id]))[0]).toEqual(before);

    const confirmed = (await ok(CONFIRM_GROUP, { type: "CooperationGroup", id, on: "2026-12-01" }, coordinator14)).confirmGroupRecord;
    expect(confirmed).toEqual({ recordType: "CooperationGroup", recordId: id, lastConfirmedOn: "2026-12-01", section: before?.section ?? null });
    const group = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { provenance { lastConfirmedOn } } }`, { id }, coordinator14)).cooperationGroup;
    expect(group.provenance.lastConfirmedOn).toBe("2026-12-01");
    const [change] = (await provenanceChanges("groups", "CooperationGroup", id)).slice(-1);
    expect(change).toMatchObject({ actor_subject: "register-coord-14", after: { lastConfirmedOn: "2026-12-01" } });
    expect(change.before?.lastConfirmedOn ?? null).not.toBe("2026-12-01");

    // A record without provenance gets one with only the date (an area created without it).
    const area = (await ok(CREATE_AREA, { input: { countyCode: "08", name: "Vahvistettava alue", municipalityCodes: [] } }, coordinator08)).createArea;
    expect(area.provenance).toBeNull();
    expect((await ok(CONFIRM_GROUP, { type: "Area", id: area.id, on: null }, coordinator08)).confirmGroupRecord).toMatchObject({ recordType: "Area", recordId: area.id, section: null });
  });

  it("confirmOrganisationRecord: an organisation of the county, or national ones by an admin; audited", async () => {
    const id = "org-municipality-167";
    expectForbidden(await q(CONFIRM_ORG, { type: "Organisation", id, on: null }, coordinator08), "14");
    expectBadInput(await q(CONFIRM_ORG, { type: "CooperationGroup", id, on: null }, coordinator14), "recordType", "must be one of");
    expectBadInput(await q(CONFIRM_ORG, { type: "Organisation", id: "org-none", on: null }, coordinator14), "id", "no Organisation");
    expectBadInput(await q(CONFIRM_ORG, { type: "Organisation", id, on: "2999-01-01" }, coordinator14), "on", "future");
    expect(await serviceSql(stack, "organisations", `select 1 from record_source where record_type = 'Organisation' and record_id = $1 and last_confirmed_on = '2026-11-30'`, [id])).toHaveLength(0);

    expect((await ok(CONFIRM_ORG, { type: "Organisation", id, on: "2026-11-30" }, coordinator14)).confirmOrganisationRecord).toEqual({ recordType: "Organisation", recordId: id, lastConfirmedOn: "2026-11-30" });
    expect((await ok(`query($id: ID!) { organisation(id: $id) { provenance { lastConfirmedOn } } }`, { id }, coordinator14)).organisation.provenance.lastConfirmedOn).toBe("2026-11-30");
    const [change] = (await provenanceChanges("organisations", "Organisation", id)).slice(-1);
    expect(change).toMatchObject({ actor_subject: "register-coord-14", after: { recordId: id, lastConfirmedOn: "2026-11-30" } });
  });

  it("confirmPlanningRecord: a grant programme of the county; audited", async () => {
    const id = "grant-programme-16-jarjestoavustukset";
    expectForbidden(await q(CONFIRM_PLANNING, { type: "GrantProgramme", id, on: null }, coordinator14), "16");
    expectBadInput(await q(CONFIRM_PLANNING, { type: "Measure", id, on: null }, coordinator16), "recordType", "must be one of");
    expectBadInput(await q(CONFIRM_PLANNING, { type: "GrantProgramme", id: "grant-none", on: null }, coordinator16), "id", "no GrantProgramme");
    expectBadInput(await q(CONFIRM_PLANNING, { type: "GrantProgramme", id, on: "2999-01-01" }, coordinator16), "on", "future");

    expect((await ok(CONFIRM_PLANNING, { type: "GrantProgramme", id, on: "2026-11-29" }, coordinator16)).confirmPlanningRecord).toEqual({ recordType: "GrantProgramme", recordId: id, lastConfirmedOn: "2026-11-29" });
    const [change] = (await provenanceChanges("planning", "GrantProgramme", id)).slice(-1);
    expect(change).toMatchObject({ actor_subject: "register-coord-16", after: { recordId: id, lastConfirmedOn: "2026-11-29" } });
  });
});
