import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, totalStatements, type TestStack } from "./support.ts";

// The organisations subgraph's coordinator write paths through the gateway:
// source documents, contact points, county categories and their assignment.
// Each mutation: its outcome, FORBIDDEN for another county's coordinator,
// BAD_USER_INPUT naming the field with nothing written, and its audit entry.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let admin: Record<string, string>;
let coordinator16: Record<string, string>;
let coordinator08: Record<string, string>;

const CREATE_DOCUMENT = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  id title kind publisherName publishedOn publishedYear language url description county { code } publisher { id } provenance { documentId url section decisionBody lastConfirmedOn } } }`;
const UPDATE_DOCUMENT = `mutation($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { id title url publishedYear provenance { url section } } }`;
const CREATE_CONTACT = `mutation($input: CreateContactPointInput!) { createContactPoint(input: $input) { id label visitingAddress postalAddress registryEmail website validFrom validTo provenance { documentId section } } }`;
const UPDATE_CONTACT = `mutation($id: ID!, $input: UpdateContactPointInput!) { updateContactPoint(id: $id, input: $input) { id label visitingAddress validTo } }`;
const END_CONTACT = `mutation($input: EndContactPointInput!) { endContactPoint(input: $input) { id validTo } }`;
const REMOVE_CONTACT = `mutation($id: ID!) { removeContactPoint(contactPointId: $id) }`;
const CREATE_CATEGORY = `mutation($input: CreateOrganisationCategoryInput!) { createOrganisationCategory(input: $input) { id name position county { code } provenance { url } } }`;
const UPDATE_CATEGORY = `mutation($id: ID!, $input: UpdateOrganisationCategoryInput!) { updateOrganisationCategory(id: $id, input: $input) { id name position } }`;
const ASSIGN = `mutation($input: OrganisationCategoryAssignmentInput!) { assignOrganisationCategory(input: $input) { id categories { id } } }`;
const UNASSIGN = `mutation($input: OrganisationCategoryAssignmentInput!) { unassignOrganisationCategory(input: $input) { id categories { id } } }`;

async function ok(query: string, variables: Record<string, unknown>, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

/** The error of a refused write: its code and the field it names. */
async function refused(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<{ code: string; field: unknown }> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors, JSON.stringify(variables)).toHaveLength(1);
  const error = res.errors![0] as Data;
  expect(error.message).not.toMatch(/duplicate key|unique constraint|insert into|select |23505/i);
  return { code: error.extensions.code, field: error.extensions.field };
}

const sql = <T = Data>(query: string, params: unknown[] = []) => serviceSql<T>(stack, "organisations", query, params);

/** Every change recorded for one record, oldest first. */
const changesOf = (entityType: string, entityId: string) =>
  sql(`select operation, before, after, actor_subject from change_record where entity_type = $1 and entity_id = $2 order by changed_at, id`, [entityType, entityId]);

/** A snapshot of the tables a refused write must leave alone. */
const snapshot = async () =>
  await sql(
    `select (select count(*) from document) as documents, (select count(*) from document_subject) as subjects, (select count(*) from contact_point) as contacts,
            (select count(*) from organisation_category) as categories, (select count(*) from organisation_category_assignment) as assignments,
            (select count(*) from record_source) as sources, (select count(*) from change_record) as changes,
            (select md5(string_agg(row_to_json(c)::text, ',' order by id)) from contact_point c) as contact_rows,
            (select md5(string_agg(row_to_json(d)::text, ',' order by id)) from document d) as document_rows,
            (select md5(string_agg(row_to_json(k)::text, ',' order by id)) from organisation_category k) as category_rows`,
  );

async function createOrganisation(name: string, countyCode: string | null): Promise<string> {
  return (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name, kind: "ASSOCIATION", countyCode } })).createOrganisation.id;
}

beforeAll(async () => {
  stack = await startTestStack("org_writes");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "org-writes-admin", scope: "data:write", role: "admin" }));
  coordinator16 = bearer(await mintUserToken(stack.authSecret, { sub: "org-writes-coord-16", scope: "data:write", role: "coordinator", counties: ["16"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "org-writes-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
});

afterAll(async () => {
  await stack?.stop();
});

describe("documents: createDocument and updateDocument", () => {
  let association: string;
  let handbook: string;

  beforeAll(async () => {
    association = await createOrganisation("Käsikirjayhdistys ry", "16");
  });

  it("publishes a county's handbook with its publisher, subjects and provenance", async () => {
    const data = await ok(
      CREATE_DOCUMENT,
      {
        input: {
          title: "Järjestöyhteistyön käsikirja 2026",
          kind: "HANDBOOK",
          publisherName: "Etelä-Pohjanmaan hyvinvointialue",
          publisherId: "org-county-16",
          publishedOn: "2026-03-15",
          url: "https://example.invalid/kasikirja-2026.pdf",
          countyCode: "16",
          description: "Kunta-järjestöyhteistyön käytännöt.",
          organisationIds: [association, association],
          provenance: { url: "https://example.invalid/kasikirja-2026.pdf", section: "Johdanto", decisionBody: "Aluehallitus", lastConfirmedOn: "2026-03-20" },
        },
      },
      coordinator16,
    );
    const doc = data.createDocument;
    handbook = doc.id;
    expect(doc).toMatchObject({
      title: "Järjestöyhteistyön käsikirja 2026",
      kind: "HANDBOOK",
      publishedYear: 2026,
      language: "fi",
      county: { code: "16" },
      publisher: { id: "org-county-16" },
      provenance: { documentId: null, url: "https://example.invalid/kasikirja-2026.pdf", section: "Johdanto", decisionBody: "Aluehallitus", lastConfirmedOn: "2026-03-20" },
    });
    const read = await ok(`query($id: ID!) { organisation(id: $id) { documents { id } } county(code: "16") { documents { id } } }`, { id: association });
    expect(read.organisation.documents).toEqual([{ id: handbook }]);
    expect(read.county.documents.map((d: Data) => d.id)).toContain(handbook);

    const [created] = await changesOf("Document", handbook);
    expect(created).toMatchObject({ operation: "CREATE", before: null, actor_subject: "org-writes-coord-16" });
    expect(created.after).toMatchObject({ title: "Järjestöyhteistyön käsikirja 2026", countyCode: "16", organisationIds: [association] });
  });

  it("corrects a document, audited with before and after", async () => {
    const data = await ok(UPDATE_DOCUMENT, { id: handbook, input: { title: "Järjestöyhteistyön käsikirja 2026 (päivitetty)", url: null, organisationIds: [], provenance: { section: "Luku 2" } } }, coordinator16);
    expect(data.updateDocument).toEqual({ id: handbook, title: "Järjestöyhteistyön käsikirja 2026 (päivitetty)", url: null, publishedYear: 2026, provenance: { url: "https://example.invalid/kasikirja-2026.pdf", section: "Luku 2" } });
    const update = (await changesOf("Document", handbook)).find((c: Data) => c.operation === "UPDATE");
    expect(update.before).toMatchObject({ title: "Järjestöyhteistyön käsikirja 2026", url: "https://example.invalid/kasikirja-2026.pdf", organisationIds: [association] });
    expect(update.after).toMatchObject({ title: "Järjestöyhteistyön käsikirja 2026 (päivitetty)", url: null, organisationIds: [] });
    // The same history through the API, for the county's coordinator only.
    const CHANGES = `query($id: ID!) { document(id: $id) { changes { edges { node { operation actorSubject before after } } } } }`;
    const api = await ok(CHANGES, { id: handbook }, coordinator16);
    expect(api.document.changes.edges.map((e: Data) => [e.node.operation, e.node.actorSubject, e.node.after.title])).toEqual([
      ["UPDATE", "org-writes-coord-16", "Järjestöyhteistyön käsikirja 2026 (päivitetty)"],
      ["CREATE", "org-writes-coord-16", "Järjestöyhteistyön käsikirja 2026"],
    ]);
    const foreign = await stack.query<Data>(CHANGES, { id: handbook }, coordinator08);
    expect(foreign.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("refuses another county's coordinator with FORBIDDEN and writes nothing", async () => {
    const before = await snapshot();
    const input = { title: "Vieras käsikirja", kind: "HANDBOOK", publisherName: "Pirkanmaa", countyCode: "16" };
    expect((await refused(CREATE_DOCUMENT, { input }, coordinator08)).code).toBe("FORBIDDEN");
    expect((await refused(UPDATE_DOCUMENT, { id: handbook, input: { title: "Kaapattu" } }, coordinator08)).code).toBe("FORBIDDEN");
    // Moving the county's document into one the caller may not write, or naming another county's organisation.
    expect((await refused(UPDATE_DOCUMENT, { id: handbook, input: { countyCode: "08" } }, coordinator16)).code).toBe("FORBIDDEN");
    expect((await refused(CREATE_DOCUMENT, { input: { ...input, title: "Toinen", publisherId: "org-county-08" } }, coordinator16))).toEqual({ code: "FORBIDDEN", field: "input.publisherId" });
    // A document of no county: admin only.
    expect((await refused(CREATE_DOCUMENT, { input: { ...input, countyCode: null } }, coordinator16)).code).toBe("FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });

  it("answers BAD_USER_INPUT naming the field, and nothing is written", async () => {
    const before = await snapshot();
    const base = { title: "Virheellinen muistio", kind: "MEMO", publisherName: "Etelä-Pohjanmaa", countyCode: "16" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, title: "   " }, "input.title"],
      [{ ...base, language: "FIN" }, "input.language"],
      [{ ...base, url: "ftp://example.invalid/x" }, "input.url"],
      [{ ...base, publishedYear: 1700 }, "input.publishedYear"],
      [{ ...base, publishedOn: "2025-05-01", publishedYear: 2024 }, "input.publishedYear"],
      [{ ...base, publisherId: "org-no-such-publisher" }, "input.publisherId"],
      [{ ...base, organisationIds: ["org-no-such-subject"] }, "input.organisationIds"],
      [{ ...base, provenance: { url: "not a url" } }, "input.provenance.url"],
      [{ ...base, provenance: { lastConfirmedOn: "2999-01-01" } }, "input.provenance.lastConfirmedOn"],
      // The natural key: the title is taken in the county for the year (letter case aside).
      [{ ...base, title: "JÄRJESTÖYHTEISTYÖN KÄSIKIRJA 2026 (PÄIVITETTY)", publishedYear: 2026 }, "input.title"],
    ];
    for (const [input, field] of cases) expect(await refused(CREATE_DOCUMENT, { input }, coordinator16), JSON.stringify(input)).toEqual({ code: "BAD_USER_INPUT", field });
    expect(await refused(CREATE_DOCUMENT, { input: { ...base, countyCode: "99" } }, admin)).toEqual({ code: "BAD_USER_INPUT", field: "input.countyCode" });
    expect(await refused(UPDATE_DOCUMENT, { id: handbook, input: { title: null } }, coordinator16)).toEqual({ code: "BAD_USER_INPUT", field: "input.title" });
    expect(await refused(UPDATE_DOCUMENT, { id: handbook, input: { publishedYear: 2020 } }, coordinator16)).toEqual({ code: "BAD_USER_INPUT", field: "input.publishedYear" });
    expect(await snapshot()).toEqual(before);
  });

  it("keeps one document when the same one is published 10 times in parallel", async () => {
    const input = { title: "Rinnakkainen raportti", kind: "REPORT", publisherName: "Etelä-Pohjanmaa", countyCode: "16", publishedYear: 2025 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.query<Data>(CREATE_DOCUMENT, { input }, coordinator16)));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const a of answers.filter((x) => x.errors)) expect(a.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.title" } });
    expect(await sql(`select id from document where title = $1`, [input.title])).toHaveLength(1);
  });
});

describe("contact points: create, update, end and remove", () => {
  let neuvola: string;
  let contact: string;

  beforeAll(async () => {
    neuvola = await createOrganisation("Testineuvola", "16");
  });

  it("adds a contact point such as \"Joupin neuvola, Hallituskatu 20\"", async () => {
    const data = await ok(
      CREATE_CONTACT,
      { input: { organisationId: neuvola, label: "Testineuvolan toimipiste", visitingAddress: "Hallituskatu 20", validFrom: "2026-01-01", provenance: { documentId: "doc-ep-yhteistyo-verkkosivu", section: "Ota yhteyttä" } } },
      coordinator16,
    );
    contact = data.createContactPoint.id;
    expect(data.createContactPoint).toEqual({
      id: contact,
      label: "Testineuvolan toimipiste",
      visitingAddress: "Hallituskatu 20",
      postalAddress: null,
      registryEmail: null,
      website: null,
      validFrom: "2026-01-01",
      validTo: null,
      provenance: { documentId: "doc-ep-yhteistyo-verkkosivu", section: "Ota yhteyttä" },
    });
    const read = await ok(`query($id: ID!) { organisation(id: $id) { contactPoints(asOn: "2026-06-01") { id } } }`, { id: neuvola });
    expect(read.organisation.contactPoints).toEqual([{ id: contact }]);
    const [created] = await changesOf("ContactPoint", contact);
    expect(created).toMatchObject({ operation: "CREATE", before: null, actor_subject: "org-writes-coord-16" });
    expect(created.after).toMatchObject({ organisationId: neuvola, visitingAddress: "Hallituskatu 20" });
  });

  it("corrects and ends it, audited with before and after", async () => {
    expect((await ok(UPDATE_CONTACT, { id: contact, input: { visitingAddress: "Hallituskatu 22" } }, coordinator16)).updateContactPoint).toMatchObject({ visitingAddress: "Hallituskatu 22", validTo: null });
    expect((await ok(END_CONTACT, { input: { contactPointId: contact, endsOn: "2026-12-31" } }, coordinator16)).endContactPoint).toEqual({ id: contact, validTo: "2026-12-31" });
    const updates = (await changesOf("ContactPoint", contact)).filter((c: Data) => c.operation === "UPDATE");
    expect(updates.map((c: Data) => [c.before.visitingAddress, c.after.visitingAddress, c.before.validTo, c.after.validTo])).toEqual([
      ["Hallituskatu 20", "Hallituskatu 22", null, null],
      ["Hallituskatu 22", "Hallituskatu 22", null, "2026-12-31"],
    ]);
    const read = await ok(`query($id: ID!) { organisation(id: $id) { now: contactPoints(asOn: "2027-01-01") { id } all: contactPoints(all: true) { id changes { totalCount } } } }`, { id: neuvola }, coordinator16);
    expect(read.organisation).toEqual({ now: [], all: [{ id: contact, changes: { totalCount: 3 } }] });
    // The label is free again once the old contact point has ended.
    const next = await ok(CREATE_CONTACT, { input: { organisationId: neuvola, label: "TESTINEUVOLAN TOIMIPISTE", postalAddress: "PL 1" } }, coordinator16);
    expect(next.createContactPoint.label).toBe("TESTINEUVOLAN TOIMIPISTE");
  });

  it("refuses another county's coordinator with FORBIDDEN and writes nothing", async () => {
    const before = await snapshot();
    expect((await refused(CREATE_CONTACT, { input: { organisationId: neuvola, label: "Vieras", website: "https://example.invalid" } }, coordinator08)).code).toBe("FORBIDDEN");
    expect((await refused(UPDATE_CONTACT, { id: contact, input: { label: "Vieras" } }, coordinator08)).code).toBe("FORBIDDEN");
    expect((await refused(END_CONTACT, { input: { contactPointId: "contact-ep-joupin-neuvola", endsOn: "2026-12-31" } }, coordinator08)).code).toBe("FORBIDDEN");
    expect((await refused(REMOVE_CONTACT, { id: contact }, coordinator08)).code).toBe("FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });

  it("answers BAD_USER_INPUT naming the field, and nothing is written", async () => {
    const fresh = (await ok(CREATE_CONTACT, { input: { organisationId: neuvola, label: "Uusi toimipiste", visitingAddress: "Uusikatu 1", validFrom: "2026-01-01" } }, coordinator16)).createContactPoint.id;
    const before = await snapshot();
    const base = { organisationId: neuvola, label: "Virheellinen", visitingAddress: "Jokin katu 1" };
    const cases: [string, Record<string, unknown>, string][] = [
      [CREATE_CONTACT, { input: { ...base, organisationId: "org-no-such" } }, "input.organisationId"],
      [CREATE_CONTACT, { input: { ...base, label: "" } }, "input.label"],
      [CREATE_CONTACT, { input: { organisationId: neuvola, label: "Tyhjä" } }, "input.visitingAddress"],
      [CREATE_CONTACT, { input: { ...base, registryEmail: "not-an-address" } }, "input.registryEmail"],
      [CREATE_CONTACT, { input: { ...base, validFrom: "2026-05-01", validTo: "2026-04-30" } }, "input.validTo"],
      [CREATE_CONTACT, { input: { ...base, provenance: { decisionDate: "2999-01-01" } } }, "input.provenance.decisionDate"],
      // The seeded "Joupin neuvola" of the same organisation is still valid (natural key, letter case aside).
      [CREATE_CONTACT, { input: { organisationId: "org-ep-joupin-neuvola", label: "joupin NEUVOLA", visitingAddress: "Hallituskatu 20" } }, "input.label"],
      [UPDATE_CONTACT, { id: contact, input: { validFrom: "2027-06-01" } }, "input.validFrom"],
      [END_CONTACT, { input: { contactPointId: contact, endsOn: "2027-06-30" } }, "input.contactPointId"],
      [END_CONTACT, { input: { contactPointId: "contact-no-such", endsOn: "2027-06-30" } }, "input.contactPointId"],
      [END_CONTACT, { input: { contactPointId: fresh, endsOn: "2025-12-31" } }, "input.endsOn"],
      [UPDATE_CONTACT, { id: fresh, input: { label: "testineuvolan toimipiste" } }, "input.label"],
      [REMOVE_CONTACT, { id: "contact-no-such" }, "contactPointId"],
    ];
    for (const [query, variables, field] of cases) expect(await refused(query, variables, coordinator16), JSON.stringify(variables)).toEqual({ code: "BAD_USER_INPUT", field });
    expect(await snapshot()).toEqual(before);
  });

  it("removes a contact point entered by mistake, with its provenance, audited", async () => {
    const mistake = (await ok(CREATE_CONTACT, { input: { organisationId: neuvola, label: "Väärä", website: "https://example.invalid/vaara", provenance: { section: "Virhe" } } }, coordinator16)).createContactPoint.id;
    expect((await ok(REMOVE_CONTACT, { id: mistake }, coordinator16)).removeContactPoint).toBe(mistake);
    expect(await sql(`select 1 from contact_point where id = $1`, [mistake])).toHaveLength(0);
    expect(await sql(`select 1 from record_source where record_type = 'ContactPoint' and record_id = $1`, [mistake])).toHaveLength(0);
    const removed = (await changesOf("ContactPoint", mistake)).find((c: Data) => c.operation === "DELETE");
    expect(removed).toMatchObject({ actor_subject: "org-writes-coord-16", after: null });
    expect(removed.before).toMatchObject({ label: "Väärä", website: "https://example.invalid/vaara" });
  });
});

describe("categories: create, update, assign and unassign", () => {
  let category: string;
  let association: string;

  beforeAll(async () => {
    association = await createOrganisation("Kategoriayhdistys ry", "08");
  });

  it("adds a category after Pirkanmaa's last one", async () => {
    const last = (await ok(`{ organisationCategories(countyCode: "08") { position } }`, {})).organisationCategories.at(-1).position as number;
    const data = await ok(CREATE_CATEGORY, { input: { countyCode: "08", name: "Testikategoria", provenance: { url: "https://example.invalid/kategoriat" } } }, coordinator08);
    category = data.createOrganisationCategory.id;
    expect(data.createOrganisationCategory).toEqual({ id: category, name: "Testikategoria", position: last + 1, county: { code: "08" }, provenance: { url: "https://example.invalid/kategoriat" } });
    const [created] = await changesOf("OrganisationCategory", category);
    expect(created).toMatchObject({ operation: "CREATE", before: null, actor_subject: "org-writes-coord-08" });
    expect(created.after).toMatchObject({ name: "Testikategoria", countyCode: "08", position: last + 1 });
  });

  it("renames and moves it, audited with before and after", async () => {
    expect((await ok(UPDATE_CATEGORY, { id: category, input: { name: "Testikategoria (uusi)", position: 500 } }, coordinator08)).updateOrganisationCategory).toEqual({ id: category, name: "Testikategoria (uusi)", position: 500 });
    const update = (await changesOf("OrganisationCategory", category)).find((c: Data) => c.operation === "UPDATE");
    expect(update.before).toMatchObject({ name: "Testikategoria", nameNormalised: "testikategoria" });
    expect(update.after).toMatchObject({ name: "Testikategoria (uusi)", position: 500 });
  });

  it("gives parallel new categories of a county different positions", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ok(CREATE_CATEGORY, { input: { countyCode: "08", name: `Rinnakkaiskategoria ${i}` } }, coordinator08)));
    const positions = answers.map((a) => a.createOrganisationCategory.position as number);
    expect(new Set(positions).size).toBe(8);
  });

  it("assigns and unassigns an organisation's category, each audited on the organisation", async () => {
    const assigned = await ok(ASSIGN, { input: { organisationId: association, categoryId: category } }, coordinator08);
    expect(assigned.assignOrganisationCategory).toEqual({ id: association, categories: [{ id: category }] });
    // Again: nothing more is written.
    await ok(ASSIGN, { input: { organisationId: association, categoryId: category } }, coordinator08);
    const updates = (await changesOf("Organisation", association)).filter((c: Data) => c.operation === "UPDATE");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actor_subject: "org-writes-coord-08", before: { categoryIds: [] }, after: { categoryIds: [category] } });

    const unassigned = await ok(UNASSIGN, { input: { organisationId: association, categoryId: category } }, coordinator08);
    expect(unassigned.unassignOrganisationCategory).toEqual({ id: association, categories: [] });
    const after = (await changesOf("Organisation", association)).filter((c: Data) => c.operation === "UPDATE");
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ before: { categoryIds: [category] }, after: { categoryIds: [] } });
  });

  it("refuses another county's coordinator with FORBIDDEN and writes nothing", async () => {
    const before = await snapshot();
    expect((await refused(CREATE_CATEGORY, { input: { countyCode: "08", name: "Vieras" } }, coordinator16)).code).toBe("FORBIDDEN");
    expect((await refused(UPDATE_CATEGORY, { id: category, input: { name: "Vieras" } }, coordinator16)).code).toBe("FORBIDDEN");
    expect((await refused(ASSIGN, { input: { organisationId: association, categoryId: category } }, coordinator16)).code).toBe("FORBIDDEN");
    expect((await refused(UNASSIGN, { input: { organisationId: association, categoryId: category } }, coordinator16)).code).toBe("FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });

  it("answers BAD_USER_INPUT naming the field, and nothing is written", async () => {
    const nuoriso = (await ok(`{ organisationCategories(countyCode: "08") { id name } }`, {})).organisationCategories.find((c: Data) => c.name === "Nuoriso");
    expect(nuoriso).toBeDefined();
    const ep = (await ok(`{ organisationCategories(countyCode: "16") { id } }`, {})).organisationCategories;
    const epCategory = ep[0]?.id ?? (await ok(CREATE_CATEGORY, { input: { countyCode: "16", name: "EP-testikategoria" } })).createOrganisationCategory.id;
    const before = await snapshot();
    const cases: [string, Record<string, unknown>, string, Record<string, string>][] = [
      [CREATE_CATEGORY, { input: { countyCode: "08", name: "  " } }, "input.name", coordinator08],
      [CREATE_CATEGORY, { input: { countyCode: "08", name: "Toinen", position: 0 } }, "input.position", coordinator08],
      // The natural key: Pirkanmaa has "Nuoriso" (letter case and diacritics aside).
      [CREATE_CATEGORY, { input: { countyCode: "08", name: "NUORISÖ" } }, "input.name", coordinator08],
      [CREATE_CATEGORY, { input: { countyCode: "99", name: "Ei maakuntaa" } }, "input.countyCode", admin],
      [UPDATE_CATEGORY, { id: category, input: { name: "nuoriso" } }, "input.name", coordinator08],
      [UPDATE_CATEGORY, { id: category, input: { position: null } }, "input.position", coordinator08],
      [ASSIGN, { input: { organisationId: association, categoryId: epCategory } }, "input.categoryId", coordinator08],
      [ASSIGN, { input: { organisationId: association, categoryId: "category-no-such" } }, "input.categoryId", coordinator08],
      [ASSIGN, { input: { organisationId: "org-no-such", categoryId: nuoriso.id } }, "input.organisationId", coordinator08],
      [UNASSIGN, { input: { organisationId: association, categoryId: "category-no-such" } }, "input.categoryId", coordinator08],
    ];
    for (const [query, variables, field, headers] of cases) expect(await refused(query, variables, headers), JSON.stringify(variables)).toEqual({ code: "BAD_USER_INPUT", field });
    expect(await snapshot()).toEqual(before);
  });
});

describe("the organisation's lists stay batched", () => {
  it("keeps SQL statements constant for 1 versus 10 organisations with contact points, documents and categories", { timeout: 120_000 }, async () => {
    const category = (await ok(CREATE_CATEGORY, { input: { countyCode: "16", name: "Tehokkuuskategoria", provenance: { section: "Luettelo" } } }, coordinator16)).createOrganisationCategory.id;
    for (let i = 0; i < 10; i++) {
      const id = await createOrganisation(`Tehokkuuskirjoitus ${String.fromCharCode(97 + i)}`, "16");
      await ok(CREATE_CONTACT, { input: { organisationId: id, label: "Toimisto", visitingAddress: `Katu ${i}`, provenance: { section: "Yhteystiedot" } } }, coordinator16);
      await ok(CREATE_DOCUMENT, { input: { title: `Tehokkuusmuistio ${i}`, kind: "MEMO", publisherName: "Testi", publisherId: id, countyCode: "16", organisationIds: [id] } }, coordinator16);
      await ok(ASSIGN, { input: { organisationId: id, categoryId: category } }, coordinator16);
    }
    const query = `query($first: Int!) { organisations(first: $first, filter: { search: "Tehokkuuskirjoitus" }) { edges { node {
      id contactPoints { id label provenance { section } } documents { id title publisher { id } county { code } provenance { lastConfirmedOn } }
      categories { id name provenance { section } county { code } } } } } }`;
    const counts: Record<string, number>[] = [];
    for (const size of [1, 10]) {
      await stack.resetStats();
      const res = await stack.query<Data>(query, { first: size });
      expect(res.errors).toBeUndefined();
      expect(res.data.organisations.edges).toHaveLength(size);
      for (const { node } of res.data.organisations.edges) {
        expect(node.contactPoints).toHaveLength(1);
        expect(node.documents).toHaveLength(1);
        expect(node.categories).toEqual([expect.objectContaining({ id: category, provenance: { section: "Luettelo" } })]);
      }
      const stats = await stack.stats();
      counts.push({ organisations: stats["organisations"]!.statements, total: totalStatements(stats) });
    }
    expect(counts[1]).toEqual(counts[0]);
  });
});
