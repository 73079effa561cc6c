import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, rowsHolding, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Erasure removes every value a person ever had, not only the current ones
 * (docs/PERSONAL-DATA.md): a person renamed, with a new e-mail and phone,
 * whose former values were recorded in their own earlier changes, in another
 * record's change and in a webhook message kept for replay, is erased; then
 * the audit trail of both subgraphs, every table, the change feed, the
 * person's `changes` and a `knownAt` read before the rename are searched for
 * each former value.
 */

type Data = any;
type Service = "organisations" | "groups";
const SERVICES: Service[] = ["organisations", "groups"];
const ORG = "org-municipality-167";

let stack: TestStack;
let admin: Record<string, string>;
let dpo: Record<string, string>;

const sql = <T = Data>(service: Service, query: string, params: unknown[] = []) => serviceSql<T>(stack, service, query, params);

async function ok(query: string, variables: Record<string, unknown> = {}, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const search = (service: Service, needles: string[]) => rowsHolding(stack, service, needles);

const updatePerson = async (id: string, input: Record<string, unknown>) =>
  await ok(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id, input });

beforeAll(async () => {
  stack = await startTestStack("formervalues");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "fv-admin", scope: "data:write contacts:read", role: "admin" }));
  const county = (await ok(`query($id: ID!) { organisation(id: $id) { county { code } } }`, { id: ORG })).organisation.county.code;
  dpo = bearer(await mintUserToken(stack.authSecret, { sub: "fv-dpo", scope: "contacts:read", role: "data_protection", counties: [county] }));
});

afterAll(async () => {
  await stack?.stop();
});

describe("erasure of a renamed person", () => {
  it("leaves none of their former name, e-mail or phone in the trail, the feed, the tables or a knownAt read", async () => {
    const former = { name: "Aatu Qwerttinen", email: "aatu.qwerttinen@example.invalid", phone: "+358 40 1112223" };
    const current = { name: "Beata Zxcvinen", email: "beata.zxcvinen@example.invalid", phone: "+358 50 3332221" };
    const id = (await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { organisationId: ORG, ...former } })).createPerson.id;
    const membershipId = (
      await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
        input: { groupId: GroupKeys.pkKeskinen, personId: id, organisationId: ORG, role: "MEMBER", startsOn: "2023-01-01" },
      })
    ).recordMembership.id;
    await ok(`mutation($id: ID!, $endsOn: Date!) { endMembership(input: { membershipId: $id, endsOn: $endsOn }) { id } }`, { id: membershipId, endsOn: "2024-12-31" });

    // Another record's change names the person as they were (a colleague's title, since corrected).
    const colleague = (
      await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
        input: { organisationId: ORG, name: "Kollega Varahenkilö", title: `Sijainen: ${former.name}` },
      })
    ).createPerson.id;
    await updatePerson(colleague, { title: "Sijainen" });

    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeRename = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await updatePerson(id, { name: current.name, email: current.email, phone: current.phone });

    // The rename as a webhook message kept for replay (a receiver was down): its `before` holds the former name.
    const rename = (await sql("organisations", `select * from change_record where entity_type = 'Person' and entity_id = $1 and operation = 'UPDATE' order by changed_at desc limit 1`, [id]))[0];
    expect(rename.before.name).toBe(former.name);
    await sql("organisations", `insert into webhook_endpoint (id, url, secret, positions) values ('fv-endpoint', 'https://receiver.invalid/hook', 'x', '{}'::jsonb)`);
    await sql("organisations", `insert into webhook_dead_letter (id, endpoint_id, message_id, event_type, payload, attempts) values ('fv-letter', 'fv-endpoint', 'fv-message', 'change', $1, 5)`, [
      JSON.stringify({ change: { id: rename.id, entityType: "Person", entityId: id, operation: "UPDATE", before: rename.before, after: rename.after } }),
    ]);

    // Before the erasure the former values are in the trail (so the search below can find them).
    expect(Object.keys(await search("organisations", [former.name]))).toEqual(expect.arrayContaining(["change_record", "webhook_dead_letter"]));

    expect((await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-FV-1") { outcome } }`, { id }, dpo)).erasePersonalData.outcome).toBe("ERASED");

    // Every value the person ever had, and each part of each name. E-mail and phone are masked in the trail
    // (`***`) when recorded, so their former values are never there to find; the search shows it.
    const values = [former, current].flatMap((p) => [p.name, ...p.name.split(" "), p.email, p.phone]);
    const revealed = (answer: unknown) => values.filter((value) => JSON.stringify(answer).includes(value));

    // Not in the audit trail of either subgraph, nor in any other table (the outbox and dead letters included).
    for (const service of SERVICES) {
      const trail = await sql(service, `select id, entity_type, entity_id, before, after from change_record`);
      expect(revealed(trail), `${service} change_record`).toEqual([]);
      expect(await search(service, values), service).toEqual({});
    }
    const outbox = await sql("organisations", `select c.before, c.after from change_outbox o join change_record c on c.id = o.change_id`);
    expect(revealed(outbox), "outbox").toEqual([]);

    // Not in the change feed, nor in the person's (or the colleague's) `changes`.
    const feed = await ok(`{ organisationsChangeFeed(types: ["Person"], first: 500) { events { change { entityId operation before after } } } }`);
    expect(feed.organisationsChangeFeed.events.map((e: Data) => e.change.entityId)).toEqual(expect.arrayContaining([id, colleague]));
    expect(revealed(feed), "change feed").toEqual([]);
    for (const who of [id, colleague]) {
      const changes = await ok(`query($id: ID!) { person(id: $id) { changes(first: 50) { edges { node { operation before after } } } } }`, { id: who });
      expect(changes.person.changes.edges.length, who).toBeGreaterThan(0);
      expect(revealed(changes), `changes of ${who}`).toEqual([]);
    }
    // The colleague's change stays, with their own name; only the erased person's values went.
    const colleagueChanges = await sql("organisations", `select before, after from change_record where entity_type = 'Person' and entity_id = $1 order by changed_at, id`, [colleague]);
    expect(colleagueChanges.map((c: Data) => c.after?.name)).toEqual(["Kollega Varahenkilö", "Kollega Varahenkilö"]);

    // Read as known before the rename: anonymised, none of the former values.
    for (const headers of [admin, {}]) {
      const fields = headers === admin ? "id name title email phone" : "id name title";
      const res = await stack.query<Data>(`query($id: ID!) { person(id: $id) { ${fields} } }`, { id }, { ...headers, "known-at": beforeRename });
      expect(res.errors).toBeUndefined();
      expect(res.data.person).toMatchObject({ id, name: "(anonymised)" });
      expect(revealed(res)).toEqual([]);
      const people = await stack.query<Data>(`query($s: String!) { people(search: $s) { totalCount } }`, { s: "Qwerttinen" }, { ...headers, "known-at": beforeRename });
      expect(people.errors).toBeUndefined();
      expect(people.data.people.totalCount).toBe(0);
    }
  });
});
