import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, OrganisationKeys } from "@yhdyspinta/core";
import { bearer, seedPeople, serviceSql, startTestStack, totalStatements, type TestStack } from "./support.ts";

// Organisation lifecycle through the gateway: winding an agency up with
// several successors, and merging a duplicate record into the one that stays.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;
let nextPerson: () => string;

const WIND_UP = `mutation($input: WindUpOrganisationInput!) { windUpOrganisation(input: $input) { id validTo endNote successor { id } successors { ordinal tasks organisation { id } } provenance { url decisionBody } } }`;
const MERGE = `mutation($input: MergeOrganisationsInput!) { mergeOrganisations(input: $input) { id } }`;
const RECORD_MEMBERSHIP = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;

async function ok(query: string, variables: Record<string, unknown>, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function createOrganisation(name: string, countyCode: string | null, kind = "ASSOCIATION"): Promise<string> {
  return (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name, kind, countyCode } })).createOrganisation.id;
}

async function recordMembership(organisationId: string, startsOn = "2024-01-01"): Promise<string> {
  const input = { groupId: GroupKeys.pkKeskinen, personId: nextPerson(), organisationId, role: "MEMBER", startsOn };
  return (await ok(RECORD_MEMBERSHIP, { input })).recordMembership.id;
}

/** The error of a refused write: its code and the field it names. */
function refusal(res: { errors?: Data[] }): { code: string; field: unknown } {
  expect(res.errors).toHaveLength(1);
  return { code: res.errors![0].extensions.code, field: res.errors![0].extensions.field };
}

const changeCount = async (entityId: string) =>
  Number((await serviceSql<{ n: string }>(stack, "organisations", `select count(*) as n from change_record where entity_id = $1`, [entityId]))[0]!.n);

beforeAll(async () => {
  stack = await startTestStack("lifecycle");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "lifecycle-admin", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "lifecycle-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "lifecycle-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
  nextPerson = await seedPeople(stack, "lifecycle", 40);
});

afterAll(async () => {
  await stack?.stop();
});

describe("windUpOrganisation", () => {
  let agency: string;
  let elinvoimakeskus: string;
  let lupavirasto: string;
  let membership: string;

  beforeAll(async () => {
    agency = await createOrganisation("Testi-aluehallintovirasto", "14", "PUBLIC_AGENCY");
    elinvoimakeskus = await createOrganisation("Testi-elinvoimakeskus", null, "PUBLIC_AGENCY");
    lupavirasto = await createOrganisation("Testi-lupa- ja valvontavirasto", null, "PUBLIC_AGENCY");
    membership = await recordMembership(agency);
  });

  it("refuses another county's coordinator with FORBIDDEN and writes nothing", async () => {
    const before = await changeCount(agency);
    const res = await stack.query(WIND_UP, { input: { organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: elinvoimakeskus }] } }, coordinator08);
    expect(refusal(res).code).toBe("FORBIDDEN");
    // A national agency (no county) is wound up by an admin only.
    const national = await stack.query(WIND_UP, { input: { organisationId: elinvoimakeskus, endsOn: "2026-12-31", successors: [{ organisationId: lupavirasto }] } }, coordinator14);
    expect(refusal(national).code).toBe("FORBIDDEN");
    const data = await ok(`query($id: ID!) { organisation(id: $id) { validTo successors { tasks } } }`, { id: agency });
    expect(data.organisation).toEqual({ validTo: null, successors: [] });
    expect(await changeCount(agency)).toBe(before);
  });

  it("answers BAD_USER_INPUT naming the field, and nothing is written", async () => {
    const before = await changeCount(agency);
    const cases: [Record<string, unknown>, string][] = [
      [{ organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: elinvoimakeskus }, { organisationId: agency }] }, "input.successors[1].organisationId"],
      [{ organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: "org-no-such-agency" }] }, "input.successors[0].organisationId"],
      [{ organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: lupavirasto }, { organisationId: lupavirasto }] }, "input.successors[1].organisationId"],
      // A successor wound up before the day cannot take the tasks over.
      [{ organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: OrganisationKeys.pohjoisKarjalanTe }] }, "input.successors[0].organisationId"],
      [{ organisationId: agency, endsOn: "2025-12-31", successors: [] }, "input.successors"],
      // Already wound up (the seed ended the TE office on 2024-12-31).
      [{ organisationId: OrganisationKeys.pohjoisKarjalanTe, endsOn: "2025-12-31", successors: [{ organisationId: elinvoimakeskus }] }, "input.organisationId"],
      // The employment area began on 2025-01-01.
      [{ organisationId: "org-pohjois-karjalan-tyollisyysalue", endsOn: "2024-06-30", successors: [{ organisationId: elinvoimakeskus }] }, "input.endsOn"],
    ];
    for (const [input, field] of cases) {
      const res = await stack.query(WIND_UP, { input }, coordinator14);
      expect(refusal(res), JSON.stringify(input)).toEqual({ code: "BAD_USER_INPUT", field });
    }
    const data = await ok(`query($id: ID!) { organisation(id: $id) { validTo successors { tasks } } }`, { id: agency });
    expect(data.organisation).toEqual({ validTo: null, successors: [] });
    expect(await changeCount(agency)).toBe(before);
    const rows = await serviceSql(stack, "organisations", `select 1 from organisation_successor where organisation_id = $1`, [agency]);
    expect(rows).toHaveLength(0);
  });

  it("winds an agency up on 2025-12-31 with two successors: the days before and after read differently", async () => {
    const data = await ok(
      WIND_UP,
      {
        input: {
          organisationId: agency,
          endsOn: "2025-12-31",
          successors: [
            { organisationId: elinvoimakeskus, tasks: "alueellinen elinvoima" },
            { organisationId: lupavirasto, tasks: "luvat ja valvonta" },
          ],
          note: "Aluehallinnon uudistus",
          source: { url: "https://vm.fi/valtion-aluehallinnon-uudistus", decisionBody: "Eduskunta" },
        },
      },
      coordinator14,
    );
    expect(data.windUpOrganisation).toEqual({
      id: agency,
      validTo: "2025-12-31",
      endNote: "Aluehallinnon uudistus",
      successor: { id: elinvoimakeskus },
      successors: [
        { ordinal: 0, tasks: "alueellinen elinvoima", organisation: { id: elinvoimakeskus } },
        { ordinal: 1, tasks: "luvat ja valvonta", organisation: { id: lupavirasto } },
      ],
      provenance: { url: "https://vm.fi/valtion-aluehallinnon-uudistus", decisionBody: "Eduskunta" },
    });

    const read = await ok(
      `query($id: ID!, $lvv: ID!) {
        organisation(id: $id) {
          before: heldBy(date: "2025-06-01") { id }
          after: heldBy(date: "2026-01-02") { id }
          today: heldBy { id }
          split: asOn(date: "2026-01-02") { id }
          then: asOn(date: "2025-06-01") { id }
          history: memberships(history: true) { id }
          active: memberships(activeOn: "2025-06-01") { id }
          later: memberships(activeOn: "2026-06-01") { id }
        }
        lvv: organisation(id: $lvv) { predecessors { id } }
      }`,
      { id: agency, lvv: lupavirasto },
    );
    const o = read.organisation;
    expect(o.before).toEqual([{ id: agency }]);
    expect(o.after).toEqual([{ id: elinvoimakeskus }, { id: lupavirasto }]);
    expect(o.today).toEqual([{ id: elinvoimakeskus }, { id: lupavirasto }]);
    // Split tasks: no single organisation holds them, so a reference reads the agency itself.
    expect(o.split).toEqual({ id: agency });
    expect(o.then).toEqual({ id: agency });
    // Memberships held on its behalf keep their history.
    expect(o.history).toEqual([{ id: membership }]);
    expect(o.active).toEqual([{ id: membership }]);
    expect(read.lvv.predecessors).toEqual([{ id: agency }]);
  });

  it("audits the wind-up with before and after in the same transaction", async () => {
    const data = await ok(`query($id: ID!) { organisation(id: $id) { changes { edges { node { operation actorSubject before after changedFields } } } } }`, { id: agency });
    const update = data.organisation.changes.edges.map((e: Data) => e.node).find((n: Data) => n.operation === "UPDATE");
    expect(update.actorSubject).toBe("lifecycle-coord-14");
    expect(update.before).toMatchObject({ validTo: null, successorId: null, endNote: null });
    expect(update.after).toMatchObject({ validTo: "2025-12-31", successorId: elinvoimakeskus, endNote: "Aluehallinnon uudistus" });
    const successions = await serviceSql<{ n: string }>(
      stack,
      "organisations",
      `select count(*) as n from change_record c join organisation_successor s on s.id = c.entity_id where s.organisation_id = $1 and c.operation = 'CREATE' and c.entity_type = 'OrganisationSuccessor'`,
      [agency],
    );
    expect(Number(successions[0]!.n)).toBe(2);
  });

  it("refuses a second wind-up and a cycle of successions", async () => {
    const again = await stack.query(WIND_UP, { input: { organisationId: agency, endsOn: "2026-06-30", successors: [{ organisationId: lupavirasto }] } }, coordinator14);
    expect(refusal(again)).toEqual({ code: "BAD_USER_INPUT", field: "input.organisationId" });
    // The elinvoimakeskus took the agency's tasks; it cannot hand them back to an organisation whose tasks already pass to it.
    const first = await createOrganisation("Kiertotesti A", "14", "PUBLIC_AGENCY");
    const second = await createOrganisation("Kiertotesti B", "14", "PUBLIC_AGENCY");
    await ok(WIND_UP, { input: { organisationId: first, endsOn: "2027-12-31", successors: [{ organisationId: second }] } }, coordinator14);
    const cycle = await stack.query(WIND_UP, { input: { organisationId: second, endsOn: "2028-12-31", successors: [{ organisationId: first }] } }, coordinator14);
    expect(refusal(cycle)).toEqual({ code: "BAD_USER_INPUT", field: "input.successors[0].organisationId" });
  });

  it("keeps the seeded wind-ups reading as before", async () => {
    const data = await ok(
      `{ te: organisation(id: "${OrganisationKeys.pohjoisKarjalanTe}") { successor { id } successors { organisation { id } } current { id } asOn(date: "2024-06-01") { id } }
         avi: organisation(id: "${OrganisationKeys.itaSuomenAvi}") { successor { id } successors { organisation { id } } current { id } } }`,
      {},
    );
    expect(data.te).toEqual({
      successor: { id: "org-pohjois-karjalan-tyollisyysalue" },
      successors: [{ organisation: { id: "org-pohjois-karjalan-tyollisyysalue" } }],
      current: { id: "org-pohjois-karjalan-tyollisyysalue" },
      asOn: { id: OrganisationKeys.pohjoisKarjalanTe },
    });
    expect(data.avi).toEqual({
      successor: { id: "org-lupa-ja-valvontavirasto" },
      successors: [{ organisation: { id: "org-lupa-ja-valvontavirasto" } }],
      current: { id: "org-lupa-ja-valvontavirasto" },
    });
  });
});

describe("mergeOrganisations", () => {
  it("shows the memberships of both under the survivor, and the merged id reads the survivor", async () => {
    const duplicate = await createOrganisation("Tuplayhdistys ry", "14");
    const survivor = await createOrganisation("Tuplayhdistys ry.", "14");
    const onDuplicate = await recordMembership(duplicate);
    const onSurvivor = await recordMembership(survivor);

    const forbidden = await stack.query(MERGE, { input: { duplicateId: duplicate, survivorId: survivor } }, coordinator08);
    expect(refusal(forbidden).code).toBe("FORBIDDEN");
    expect(await changeCount(duplicate)).toBe(1); // its CREATE only

    expect((await ok(MERGE, { input: { duplicateId: duplicate, survivorId: survivor, note: "Sama yhdistys" } }, coordinator14)).mergeOrganisations).toEqual({ id: survivor });

    const data = await ok(
      `query($s: ID!, $d: ID!) {
        survivor: organisation(id: $s) { id allIds mergedIds memberships(history: true) { id organisation { id name allIds } } }
        duplicate: organisation(id: $d) { id name memberships(history: true) { id } }
        listed: organisations(filter: { search: "Tuplayhdistys" }) { totalCount edges { node { id } } }
      }`,
      { s: survivor, d: duplicate },
    );
    expect(data.survivor.allIds).toEqual([survivor, duplicate]);
    expect(data.survivor.mergedIds).toEqual([duplicate]);
    expect(data.survivor.memberships.map((m: Data) => m.id).sort()).toEqual([onDuplicate, onSurvivor].sort());
    // The membership stored under the duplicate's id resolves (as an entity reference) to the survivor: its
    // fields are the survivor's (the key field \`id\` is the one stored in the groups subgraph; \`allIds[0]\` is the survivor's).
    for (const m of data.survivor.memberships) expect(m.organisation).toMatchObject({ name: "Tuplayhdistys ry.", allIds: [survivor, duplicate] });
    expect(data.survivor.memberships.map((m: Data) => m.organisation.id).sort()).toEqual([duplicate, survivor].sort());
    expect(data.duplicate.id).toBe(survivor);
    expect(data.duplicate.memberships.map((m: Data) => m.id).sort()).toEqual([onDuplicate, onSurvivor].sort());
    expect(data.listed).toEqual({ totalCount: 1, edges: [{ node: { id: survivor } }] });

    const [change] = await serviceSql<Data>(stack, "organisations", `select before, after, actor_subject from change_record where entity_id = $1 and operation = 'UPDATE'`, [duplicate]);
    expect(change.actor_subject).toBe("lifecycle-coord-14");
    expect(change.before).toMatchObject({ mergedInto: null, endNote: null });
    expect(change.after).toMatchObject({ mergedInto: survivor, endNote: "Sama yhdistys" });
  });

  it("follows a chain of merges left in the data to the record that stays", async () => {
    // A merge re-points the duplicates merged earlier, so the API never leaves a chain; a hand-edited
    // or older row can. first → second → third: every id reads the third record.
    const [first, second, third] = [await createOrganisation("Ketjuyhdistys A ry", "14"), await createOrganisation("Ketjuyhdistys B ry", "14"), await createOrganisation("Ketjuyhdistys C ry", "14")];
    await serviceSql(stack, "organisations", `update organisation set merged_into = $2 where id = $1`, [first, second]);
    await serviceSql(stack, "organisations", `update organisation set merged_into = $2 where id = $1`, [second, third]);
    const data = await ok(
      `query($a: ID!, $b: ID!, $c: ID!) { a: organisation(id: $a) { id name } b: organisation(id: $b) { id name } c: organisation(id: $c) { id name } }`,
      { a: first, b: second, c: third },
    );
    expect(data).toEqual({ a: { id: third, name: "Ketjuyhdistys C ry" }, b: { id: third, name: "Ketjuyhdistys C ry" }, c: { id: third, name: "Ketjuyhdistys C ry" } });
    // Asked alone, the first needs both hops.
    expect((await ok(`query($a: ID!) { organisation(id: $a) { id } }`, { a: first })).organisation).toEqual({ id: third });
  });

  it("exports the memberships and measures of both under the survivor's id", async () => {
    const duplicate = await createOrganisation("Vientituplayhdistys ry", "14");
    const survivor = await createOrganisation("Vientituplayhdistys", "14");
    const onDuplicate = await recordMembership(duplicate);
    const onSurvivor = await recordMembership(survivor);
    const measure = (
      await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, {
        input: { countyCode: "14", title: "Vientitestin toimenpide", organisationIds: [duplicate, survivor] },
      })
    ).createMeasure.id as string;
    const csv = async (path: string): Promise<Record<string, string>[]> => {
      const res = await fetch(new URL(path, stack.gatewayUrl));
      const text = await res.text();
      expect(res.status, text).toBe(200);
      return parseCsv(text, { columns: true }) as Record<string, string>[];
    };
    const memberRows = async () =>
      (await csv("exports/partnership-groups-by-municipality.csv?countyCodes=14&activeOn=2024-06-01")).filter((r) => r.organisation_name?.startsWith("Vientituplayhdistys"));
    const measureRow = async () => (await csv("exports/plan-follow-up.csv?countyCode=14")).find((r) => r.measure_id === measure);

    // Before the merge: two organisations, each under its own id.
    expect(new Set((await memberRows()).map((r) => r.organisation_id))).toEqual(new Set([duplicate, survivor]));
    expect((await measureRow())?.responsible_organisation_ids?.split("; ").sort()).toEqual([duplicate, survivor].sort());

    await ok(MERGE, { input: { duplicateId: duplicate, survivorId: survivor } }, coordinator14);

    const rows = await memberRows();
    // The group covers several municipalities: every row of both members names the survivor.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(2);
    for (const row of rows) expect(row).toMatchObject({ organisation_id: survivor, organisation_name: "Vientituplayhdistys" });
    const people = (await ok(`query($id: ID!) { organisation(id: $id) { memberships(history: true) { id person { id } } } }`, { id: survivor })).organisation.memberships;
    expect(people.map((m: Data) => m.id).sort()).toEqual([onDuplicate, onSurvivor].sort());
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set(people.map((m: Data) => m.person.id)));
    // A measure that named both records names the survivor once.
    expect(await measureRow()).toMatchObject({ responsible_organisation_ids: survivor, responsible_organisation_names: "Vientituplayhdistys" });
  });

  it("gives one merge for 20 parallel merges of the same pair", async () => {
    const duplicate = await createOrganisation("Rinnakkaisyhdistys ry", "14");
    const survivor = await createOrganisation("Rinnakkaisyhdistys", "14");
    const answers = await Promise.all(Array.from({ length: 20 }, () => stack.query<Data>(MERGE, { input: { duplicateId: duplicate, survivorId: survivor } }, coordinator14)));
    for (const res of answers) {
      expect(res.errors).toBeUndefined();
      expect(res.data.mergeOrganisations).toEqual({ id: survivor });
    }
    const updates = await serviceSql(stack, "organisations", `select 1 from change_record where entity_id = $1 and operation = 'UPDATE'`, [duplicate]);
    expect(updates).toHaveLength(1);
    const rows = await serviceSql<Data>(stack, "organisations", `select merged_into from organisation where id = $1`, [duplicate]);
    expect(rows).toEqual([{ merged_into: survivor }]);
  });

  it("refuses merging into a merged or wound-up organisation with BAD_USER_INPUT", async () => {
    const merged = await createOrganisation("Yhdistetty ry", "14");
    const keeper = await createOrganisation("Pysyvä ry", "14");
    const other = await createOrganisation("Kolmas ry", "14");
    const ended = await createOrganisation("Lakannut ry", "14");
    await ok(MERGE, { input: { duplicateId: merged, survivorId: keeper } }, coordinator14);
    await ok(WIND_UP, { input: { organisationId: ended, endsOn: "2025-06-30", successors: [{ organisationId: keeper }] } }, coordinator14);
    const before = await changeCount(other);

    const intoMerged = await stack.query(MERGE, { input: { duplicateId: other, survivorId: merged } }, coordinator14);
    expect(refusal(intoMerged)).toEqual({ code: "BAD_USER_INPUT", field: "input.survivorId" });
    const intoEnded = await stack.query(MERGE, { input: { duplicateId: other, survivorId: ended } }, coordinator14);
    expect(refusal(intoEnded)).toEqual({ code: "BAD_USER_INPUT", field: "input.survivorId" });
    const intoItself = await stack.query(MERGE, { input: { duplicateId: other, survivorId: other } }, coordinator14);
    expect(refusal(intoItself)).toEqual({ code: "BAD_USER_INPUT", field: "input.survivorId" });
    const mergedAgain = await stack.query(MERGE, { input: { duplicateId: merged, survivorId: other } }, coordinator14);
    expect(refusal(mergedAgain)).toEqual({ code: "BAD_USER_INPUT", field: "input.duplicateId" });

    expect(await changeCount(other)).toBe(before);
    const rows = await serviceSql<Data>(stack, "organisations", `select merged_into from organisation where id = $1`, [other]);
    expect(rows).toEqual([{ merged_into: null }]);
  });
});

describe("the lifecycle lists stay batched", () => {
  it("keeps SQL statements constant for 1 versus 10 wound-up agencies with their successors and merged ids", { timeout: 120_000 }, async () => {
    const first = await createOrganisation("Tehokkuus-elinvoimakeskus", null, "PUBLIC_AGENCY");
    const second = await createOrganisation("Tehokkuus-lupavirasto", null, "PUBLIC_AGENCY");
    for (let i = 0; i < 10; i++) {
      const agency = await createOrganisation(`Tehokkuus-virasto ${String.fromCharCode(97 + i)}`, "14", "PUBLIC_AGENCY");
      const duplicate = await createOrganisation(`Tehokkuus-tupla ${i}`, "14");
      await recordMembership(duplicate);
      await ok(MERGE, { input: { duplicateId: duplicate, survivorId: agency } });
      await ok(WIND_UP, { input: { organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: first }, { organisationId: second, tasks: "valvonta" }] } });
    }
    const query = `query($first: Int!) { organisations(first: $first, filter: { search: "Tehokkuus-virasto" }) { edges { node {
      id successors { tasks organisation { name predecessors { id } } } heldBy(date: "2026-06-01") { id } current { id } asOn(date: "2025-06-01") { id }
      mergedIds allIds memberships(history: true) { id organisation { name } } grants { id } measures { id } } } } }`;
    const counts: Record<string, number>[] = [];
    for (const size of [1, 10]) {
      await stack.resetStats();
      const res = await stack.query<Data>(query, { first: size });
      expect(res.errors).toBeUndefined();
      expect(res.data.organisations.edges).toHaveLength(size);
      for (const { node } of res.data.organisations.edges) {
        expect(node.heldBy).toEqual([{ id: first }, { id: second }]);
        expect(node.mergedIds).toHaveLength(1);
        expect(node.memberships).toHaveLength(1);
      }
      const stats = await stack.stats();
      counts.push({ organisations: stats["organisations"]!.statements, total: totalStatements(stats) });
    }
    expect(counts[1]).toEqual(counts[0]);
  });
});
