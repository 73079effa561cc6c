import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KNOWN_AT_HEADER,
  OrganisationKeys,
  organisationCategoryKey,
  PersonKeys,
  Scope,
  signViewer,
  startService,
  VIEWER_HEADER,
  type RunningService,
} from "@yhdyspinta/core";
import { countStatements, createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { isValidBusinessId } from "../src/business-id.ts";
import { normaliseSearch } from "../src/search.ts";
import { organisationsService } from "../src/service.ts";

let db: TestDatabase;
let service: RunningService;
const internalSecret = randomBytes(32).toString("hex");

/** Headers of a caller the gateway verified, with the given scopes. */
async function as(...scopes: string[]): Promise<Record<string, string>> {
  return { [VIEWER_HEADER]: await signViewer({ subject: "tester", scopes: new Set(scopes), role: "admin", counties: new Set<string>() }, internalSecret) };
}

/** A request to the subgraph as the gateway sends it (anonymous unless `headers` sign another caller). */
const ask = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, internalSecret, query, variables, headers);

beforeAll(async () => {
  db = await createTestDatabase("organisations");
  service = await startService(organisationsService, {
    databaseUrl: db.url,
    port: 0,
    seed: true,
    createDatabase: false,
    internalAuthSecret: internalSecret,
  });
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe("places", () => {
  it("lists the 21 counties and Helsinki, never Åland", async () => {
    const res = await ask<{ counties: { code: string; kind: string }[] }>("{ counties { code kind } }");
    expect(res.errors).toBeUndefined();
    const codes = res.data!.counties.map((c) => c.code);
    expect(codes).toHaveLength(22);
    expect(codes).toContain("90");
    expect(codes).not.toContain("91");
  });

  it("answers a municipality with its county", async () => {
    const res = await ask('{ municipality(code:"167"){ nameFi nameSv county { code nameFi } } }');
    expect(res.data).toEqual({
      municipality: { nameFi: "Joensuu", nameSv: "Joensuu", county: { code: "14", nameFi: "Pohjois-Karjalan hyvinvointialue" } },
    });
  });

  it("keeps each year's classification: Pertunmaa until 2024, then part of Mäntyharju", async () => {
    const res = await ask<Record<string, { code: string; county: { code: string } | null }[] | { nameFi: string; county: { nameFi: string } } | null>>(`{ y2023: municipalities(year: 2023) { code } y2024: municipalities(year: 2024) { code }
         y2025: municipalities(year: 2025) { code } y2026: municipalities(year: 2026) { code }
         pertunmaa2024: municipality(code: "588", year: 2024) { nameFi county { nameFi } }
         pertunmaa2026: municipality(code: "588", year: 2026) { nameFi } }`,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data as Record<string, unknown>;
    expect([d["y2023"], d["y2024"], d["y2025"], d["y2026"]].map((l) => (l as unknown[]).length)).toEqual([309, 309, 308, 308]);
    expect(d["pertunmaa2024"]).toEqual({ nameFi: "Pertunmaa", county: { nameFi: "Etelä-Savon hyvinvointialue" } });
    expect(d["pertunmaa2026"]).toBeNull();
  });

  it("searches municipality names ignoring case and diacritics, Finnish and Swedish", async () => {
    const res = await ask<Record<string, { nameFi: string }[]>>(`{ a: municipalities(search: "raakkyla") { nameFi } b: municipalities(search: "JAKOBSTAD") { nameFi }
         c: municipalities(search: "narpes", countyCode: "17") { nameFi } d: municipalities(search: "Rääkkylä", year: 2023) { nameFi } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!["a"]!.map((m) => m.nameFi)).toEqual(["Rääkkylä"]);
    expect(res.data!["b"]!.map((m) => m.nameFi)).toEqual(["Pietarsaari"]);
    expect(res.data!["c"]!.map((m) => m.nameFi)).toEqual(["Närpiö"]);
    expect(res.data!["d"]!.map((m) => m.nameFi)).toEqual(["Rääkkylä"]);
  });

  it("rejects a year without classification as BAD_USER_INPUT", async () => {
    const res = await ask("{ municipalities(year: 1999) { code } }");
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.extensions?.["field"]).toBe("year");
  });

  it("resolves municipality references in one statement whatever their number", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Municipality { code nameFi county { nameFi } } } }`;
    const few = ["167", "276"].map((code) => ({ __typename: "Municipality", code }));
    const all = await ask<{ municipalities: { code: string }[] }>("{ municipalities { code } }");
    const many = all.data!.municipalities.map(({ code }) => ({ __typename: "Municipality", code }));
    expect(many.length).toBeGreaterThan(300);
    const a = await countStatements(() => ask(query, { reps: few }));
    const b = await countStatements(() => ask(query, { reps: many }));
    expect(a.result.errors).toBeUndefined();
    expect(b.result.errors).toBeUndefined();
    expect((b.result.data as { _entities: unknown[] })._entities).toHaveLength(many.length);
    expect(b.statements).toBe(a.statements);
    // Municipalities and their counties: one statement each.
    expect(a.statements).toBe(2);
  });
});

describe("demo organisations", () => {
  it("has every county and municipality as an actor, Helsinki as one city record", async () => {
    const res = await ask<Record<string, { id: string; name: string; kind: string; county: { code: string } | null } | null>>(`{ pohde: organisation(id: "${OrganisationKeys.pohde}") { id name kind otherNames county { code } }
         joensuu: organisation(id: "org-municipality-167") { id name kind county { code } }
         helsinki: organisation(id: "org-county-90") { id name kind county { code } }
         helsinkiAlias: organisation(id: "org-municipality-091") { id name kind county { code } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!["pohde"]).toMatchObject({ name: "Pohjois-Pohjanmaan hyvinvointialue", kind: "WELLBEING_SERVICES_COUNTY", otherNames: expect.arrayContaining(["Pohde"]) });
    expect(res.data!["joensuu"]).toMatchObject({ name: "Joensuu", kind: "MUNICIPALITY", county: { code: "14" } });
    expect(res.data!["helsinki"]).toMatchObject({ name: "Helsingin kaupunki", kind: "MUNICIPALITY", county: { code: "90" } });
    expect(res.data!["helsinkiAlias"]).toEqual(res.data!["helsinki"]);
    const counts = await ask<{ counties: { organisation: { kind: string } | null }[]; municipalities: { organisation: { kind: string } | null }[] }>("{ counties { organisation { kind } } municipalities { organisation { kind } } }",
    );
    expect(counts.data!.counties.every((c) => c.organisation !== null)).toBe(true);
    expect(counts.data!.municipalities.every((m) => m.organisation?.kind === "MUNICIPALITY")).toBe(true);
  });

  it("has the organisations the seeds name, with their units", async () => {
    const ids = Object.values(OrganisationKeys);
    const res = await ask<{ _entities: ({ id: string; name: string } | null)[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organisation { id name } } }`,
      { reps: ids.map((id) => ({ __typename: "Organisation", id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((o) => o?.id)).toEqual(ids);
    const names = res.data!._entities.map((o) => o!.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Pohjois-Karjalan hyvinvointialue",
        "Pohjois-Karjalan maakuntaliitto",
        "Artteli-kumppanuusyhdistys ry",
        "Sosiaali- ja terveysalan Järjestötalo",
        "Kela",
        "Itä-Suomen poliisilaitos",
      ]),
    );
    const byOtherName = await ask<{ organisations: { edges: { node: { id: string } }[] } }>(`{ organisations(filter: { search: "SIUN SOTE" }) { edges { node { id } } } }`,
    );
    expect(byOtherName.data!.organisations.edges.map((e) => e.node.id)).toEqual([OrganisationKeys.siunSote]);
    const units = await ask<{ organisation: { units: { name: string; units: { name: string }[] }[] } }>(`{ organisation(id: "${OrganisationKeys.pohde}") { units { name units { name } } } }`,
    );
    expect(units.data!.organisation.units.map((u) => u.name)).toEqual(
      expect.arrayContaining(["Sote-keskukset", "Sote-toimialueet", "Pelastustoimi", "Yhdyspintalautakunta"]),
    );
    const sola = await ask<{ person: { name: string; title: string; organisation: { name: string; parent: { name: string; parent: { name: string } } } } }>(`{ person(id: "${PersonKeys.johannaSola}") { name title organisation { name parent { name parent { name } } } } }`,
    );
    expect(sola.data!.person).toEqual({
      name: "Johanna Sola",
      title: "suunnittelupäällikkö",
      organisation: {
        name: "Jatkuvan kehittämisen vastuuyksikkö",
        parent: { name: "Integraation toimialue", parent: { name: "Pirkanmaan hyvinvointialue" } },
      },
    });
  });

  it("lists Pirkanmaa's 19 association categories in the county's order", async () => {
    const res = await ask<{ organisationCategories: { id: string; name: string; position: number }[]; county: { organisationCategories: unknown[] } }>(`{ organisationCategories(countyCode: "08") { id name position } county(code: "08") { organisationCategories { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    const list = res.data!.organisationCategories;
    expect(list).toHaveLength(19);
    expect(list[0]).toEqual({ id: organisationCategoryKey("08", "Asukas- ja kylätoiminta"), name: "Asukas- ja kylätoiminta", position: 1 });
    expect(list.at(-1)!.name).toBe("Vanhustyö");
    expect(res.data!.county.organisationCategories).toHaveLength(19);
  });
});

describe("personal data", () => {
  const query = `{ people(search: "mannelin") { totalCount edges { node { id name title email phone } } } }`;

  it("gives anonymous callers names and titles, and null contact fields with FORBIDDEN", async () => {
    const res = await ask<{ people: { edges: { node: Record<string, unknown> }[] } }>(query);
    expect(res.data!.people.edges[0]!.node).toEqual({
      id: PersonKeys.maaritaMannelin,
      name: "Maarita Mannelin",
      title: "Kumppanuuspäällikkö",
      email: null,
      phone: null,
    });
    expect(res.errors?.map((e) => e.extensions?.["code"])).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    expect(JSON.stringify(res)).not.toContain("siunsote");
    const noContacts = await ask(`{ people(search: "Mannelin") { edges { node { name } } } }`);
    expect(noContacts.errors).toBeUndefined();
  });

  it("gives contact fields to a caller with contacts:read only", async () => {
    const withScope = await ask<{ people: { edges: { node: { email: string; phone: string } }[] } }>(query, {}, await as(Scope.ContactsRead));
    expect(withScope.errors).toBeUndefined();
    expect(withScope.data!.people.edges[0]!.node).toMatchObject({ email: "maarita.mannelin@siunsote.fi", phone: "050 591 2580" });
    const withoutScope = await ask(query, {}, await as(Scope.DataWrite));
    expect(withoutScope.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("protects contact fields reached through entity references too", async () => {
    const res = await ask<{ _entities: { name: string; email: string | null }[] }>(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { name email } } }`,
      { reps: [{ __typename: "Person", id: PersonKeys.iirisAholainen }] },
    );
    expect(res.data!._entities).toEqual([{ name: "Iiris Aholainen", email: null }]);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("records and changes a person with data:write, validating contact fields", async () => {
    const writer = await as(Scope.DataWrite, Scope.ContactsRead);
    const created = await ask<{ createPerson: { id: string; organisation: { id: string } } }>(`mutation { createPerson(input: { name: "Testi Henkilö", title: "koordinaattori", organisationId: "${OrganisationKeys.artteli}", email: "testi@example.org" }) { id organisation { id } } }`,
      {},
      writer,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPerson.id;
    const bad = await ask(`mutation($id: ID!) { updatePerson(id: $id, input: { email: "not an address" }) { id } }`, { id }, writer);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.email" });
    const updated = await ask<{ updatePerson: { name: string; email: string | null; phone: string } }>(`mutation($id: ID!) { updatePerson(id: $id, input: { email: null, phone: "+358 40 123 4567" }) { name email phone } }`,
      { id },
      writer,
    );
    expect(updated.data!.updatePerson).toEqual({ name: "Testi Henkilö", email: null, phone: "+358 40 123 4567" });
    const found = await ask<{ people: { totalCount: number } }>(`{ people(search: "henkilo") { totalCount } }`);
    expect(found.data!.people.totalCount).toBe(1);
  });

  it("refuses forged viewer headers with 401", async () => {
    const claims = { scope: Scope.ContactsRead };
    const wrongSecret = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("mallory")
      .setIssuer("yhdyspinta-gateway")
      .setAudience("yhdyspinta-subgraphs")
      .setExpirationTime("60s")
      .sign(new TextEncoder().encode(randomBytes(32).toString("hex")));
    const unsigned = new UnsecuredJWT(claims).setSubject("mallory").setIssuer("yhdyspinta-gateway").setAudience("yhdyspinta-subgraphs").encode();
    for (const forged of [wrongSecret, unsigned, "contacts:read"]) {
      const res = await ask(query, {}, { [VIEWER_HEADER]: forged });
      expect(res.data).toBeUndefined();
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
      expect(res.errors?.[0]?.message).toMatch(/signature is invalid/);
    }
  });
});

describe("only the gateway may ask", () => {
  it("refuses a GraphQL request without the internal signature, anonymous or not, with 401 and the reason", async () => {
    for (const path of ["", "graphql"]) {
      const res = await fetch(new URL(path, service.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ counties { code } }" }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
      expect(body.errors[0]!.message).toMatch(/carries no signed x-yhdyspinta-viewer header/);
    }
    const get = await fetch(new URL("?query=%7Bcounties%7Bcode%7D%7D", service.url));
    expect(get.status).toBe(401);
    // The same request signed as the gateway signs an anonymous caller is answered.
    const signed = await ask<{ counties: unknown[] }>("{ counties { code } }");
    expect(signed.data?.counties.length).toBe(22);
  });

  it("keeps the platform's probes open", async () => {
    const health = await fetch(new URL("health", service.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "organisations" });
  });
});

describe("organisation mutations", () => {
  const create = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name kind businessId county { code } municipalities { code } categories { name } } }`;

  it("validates the business ID check digit", () => {
    expect(isValidBusinessId("0112038-9")).toBe(true);
    expect(isValidBusinessId("0112038-8")).toBe(false);
    expect(isValidBusinessId("112038-9")).toBe(false);
    expect(normaliseSearch("  Rääkkylä  Åbo ")).toBe("raakkyla abo");
  });

  it("needs data:write", async () => {
    const res = await ask(create, { input: { name: "Testiyhdistys", kind: "ASSOCIATION" } });
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const readOnly = await ask(create, { input: { name: "Testiyhdistys", kind: "ASSOCIATION" } }, await as(Scope.ContactsRead));
    expect(readOnly.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("rejects a wrong Y-tunnus check digit with BAD_USER_INPUT naming the field", async () => {
    const res = await ask(create, { input: { name: "Testiyhdistys", kind: "ASSOCIATION", businessId: "0112038-8" } }, await as(Scope.DataWrite));
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.businessId" });
    const update = await ask(`mutation { updateOrganisation(id: "${OrganisationKeys.artteli}", input: { businessId: "1234567-8" }) { id } }`,
      {},
      await as(Scope.DataWrite),
    );
    expect(update.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.businessId" });
  });

  it("creates and updates an organisation in a county's category", async () => {
    const headers = await as(Scope.DataWrite);
    const created = await ask<{ createOrganisation: { id: string } }>(create,
      {
        input: {
          name: "Tampereen Testinuoret ry",
          kind: "ASSOCIATION",
          businessId: "0112038-9",
          countyCode: "08",
          municipalityCodes: ["837"],
          categoryIds: [organisationCategoryKey("08", "Nuoriso")],
        },
      },
      headers,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createOrganisation).toMatchObject({
      name: "Tampereen Testinuoret ry",
      businessId: "0112038-9",
      county: { code: "08" },
      municipalities: [{ code: "837" }],
      categories: [{ name: "Nuoriso" }],
    });
    const id = created.data!.createOrganisation.id;
    const duplicate = await ask(create, { input: { name: "Toinen", kind: "ASSOCIATION", businessId: "0112038-9" } }, headers);
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.businessId" });
    const foreignCategory = await ask(create,
      { input: { name: "Joensuun nuoret", kind: "ASSOCIATION", countyCode: "14", categoryIds: [organisationCategoryKey("08", "Nuoriso")] } },
      headers,
    );
    expect(foreignCategory.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.categoryIds" });
    const updated = await ask<{ updateOrganisation: { name: string; website: string; parent: { id: string } } }>(`mutation($id: ID!) { updateOrganisation(id: $id, input: { name: "Tampereen Testinuoret", website: "https://example.org/", parentId: "${OrganisationKeys.artteli}" }) { name website parent { id } } }`,
      { id },
      headers,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateOrganisation).toEqual({ name: "Tampereen Testinuoret", website: "https://example.org/", parent: { id: OrganisationKeys.artteli } });
    const cycle = await ask(`mutation { updateOrganisation(id: "${OrganisationKeys.pirha}", input: { parentId: "${OrganisationKeys.pirhaJatkuvanKehittamisenVastuuyksikko}" }) { id } }`,
      {},
      headers,
    );
    expect(cycle.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.parentId" });
    const found = await ask<{ organisations: { edges: { node: { id: string } }[] } }>(`{ organisations(filter: { search: "testinuoret", countyCode: "08", category: "nuoriso", municipalityCode: "837" }) { edges { node { id } } } }`,
    );
    expect(found.data!.organisations.edges.map((e) => e.node.id)).toEqual([id]);
  });

  it("read as known before a change of its municipalities alone, an organisation is whole as it was", async () => {
    const headers = await as(Scope.DataWrite);
    const created = await ask<{ createOrganisation: { id: string } }>(create,
      { input: { name: "Oriveden Testikuoro ry", kind: "ASSOCIATION", countyCode: "08", website: "https://kuoro.example/", municipalityCodes: ["562"] } },
      headers,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createOrganisation.id;
    const fields = "id name kind website county { code }";
    const asItWas = await ask<{ organisation: unknown }>(`{ organisation(id: "${id}") { ${fields} } }`);
    expect(asItWas.errors).toBeUndefined();
    const beforeChange = new Date().toISOString();
    const moved = await ask<{ updateOrganisation: unknown }>(`mutation { updateOrganisation(id: "${id}", input: { municipalityCodes: ["562", "837"] }) { name municipalities { code } } }`, {}, headers);
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateOrganisation).toEqual({ name: "Oriveden Testikuoro ry", municipalities: [{ code: "562" }, { code: "837" }] });
    const known = await ask<{ organisation: unknown }>(`{ organisation(id: "${id}") { ${fields} } }`, {}, { [KNOWN_AT_HEADER]: beforeChange });
    expect(known.errors).toBeUndefined();
    expect(known.data!.organisation).toEqual(asItWas.data!.organisation);
    expect(known.data!.organisation).toMatchObject({ id, name: "Oriveden Testikuoro ry", website: "https://kuoro.example/", county: { code: "08" } });
  });
});

describe("loaders keep SQL statements constant", () => {
  const entityQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) {
    ... on Organisation { id name parent { name } county { nameFi } municipalities { code nameFi } categories { name } units { id } people { name } } } }`;

  it("for Organisation references: 2 versus 300", async () => {
    const all = await ask<{ organisations: { edges: { node: { id: string } }[] } }>("{ organisations(first: 300) { edges { node { id } } } }");
    const ids = all.data!.organisations.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(300);
    const reps = (list: string[]) => list.map((id) => ({ __typename: "Organisation", id }));
    const a = await countStatements(() => ask(entityQuery, { reps: reps(ids.slice(0, 2)) }));
    const b = await countStatements(() => ask(entityQuery, { reps: reps(ids) }));
    expect(a.result.errors).toBeUndefined();
    expect(b.result.errors).toBeUndefined();
    expect(b.statements).toBe(a.statements);
    // The references, then one batch each for parent, county, municipalities, categories, units, people.
    expect(a.statements).toBeLessThanOrEqual(7);
  });

  it("for a connection of 5 versus 50 organisations with their links", async () => {
    // Same shape of rows in both pages (municipality actors), so that the
    // comparison is about the number of rows, not about which loaders fire.
    const query = `query($first: Int!) { organisations(first: $first, filter: { kind: MUNICIPALITY }) { totalCount edges { node { id parent { name } county { nameFi }
      municipalities { nameFi } categories { name county { code } } units { name } people { name organisation { id } } } } } }`;
    const a = await countStatements(() => ask(query, { first: 5 }));
    const b = await countStatements(() => ask(query, { first: 50 }));
    expect(a.result.errors).toBeUndefined();
    expect((b.result.data as { organisations: { edges: unknown[] } }).organisations.edges).toHaveLength(50);
    expect(b.statements).toBe(a.statements);
    // Page + total, then one batch each for county, municipalities, categories (+ their county), units, people.
    expect(a.statements).toBeLessThanOrEqual(8);
  });

  it("for Person and OrganisationCategory references", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Person { name title organisation { name } } ... on OrganisationCategory { name county { code } } } }`;
    const people = Object.values(PersonKeys).map((id) => ({ __typename: "Person", id }));
    const categories = ["Nuoriso", "Liikunta", "Vanhustyö"].map((n) => ({ __typename: "OrganisationCategory", id: organisationCategoryKey("08", n) }));
    const a = await countStatements(() => ask(query, { reps: [people[0], categories[0]] }));
    const b = await countStatements(() => ask(query, { reps: [...people, ...categories] }));
    expect(b.result.errors).toBeUndefined();
    expect((b.result.data as { _entities: unknown[] })._entities).toHaveLength(6);
    expect(b.statements).toBe(a.statements);
    expect(a.statements).toBeLessThanOrEqual(5);
  });
});
