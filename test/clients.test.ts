import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache, type TypePolicies } from "@apollo/client";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { __DEV__ } from "@apollo/client/utilities/environment";
import { cacheExchange, Client, fetchExchange } from "@urql/core";
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mintUserToken, type RunningHttpServer } from "@yhdyspinta/core";
import { VIEW_NAMES, viewDocument, type ViewName } from "../views/index.ts";
import { startGateway } from "../gateway/src/gateway.ts";
import manifest from "../views/trusted-documents.json" with { type: "json" };
import { bearer, gatewayOptionsFor, startTestStack, type TestStack } from "./support.ts";

// The popular clients with their defaults, and the trusted documents, against
// the gateway: README "For dashboard developers" and "Trusted documents".

/** The README's example variables of each view (packages/web/browser/views.ts). */
const VARIABLES: Record<ViewName, Record<string, unknown>> = {
  "partnership-groups-by-municipality": { countyCodes: ["14", "08"] },
  "coverage-matrix": { countyCode: "14" },
  "nomination-status": { countyCode: "14", closedSince: "2023-11-01" },
  "meeting-calendar": { countyCode: "08", from: "2023-12-01", to: "2024-12-31" },
  representation: { countyCode: "08", activeOn: "2024-03-01" },
  "plan-follow-up": { countyCode: "14" },
};

/** The type policies the README gives: the `code`-keyed types are normalised by their code. */
const TYPE_POLICIES: TypePolicies = {
  WellbeingServicesCounty: { keyFields: ["code"] },
  Municipality: { keyFields: ["code"] },
};

const viewEntry = (view: ViewName) => {
  const op = manifest.operations.find((o) => o.source === `views/${view}.graphql`);
  if (!op) throw new Error(`${view} is not in the manifest`);
  return op;
};

let stack: TestStack;
/** A gateway of the same subgraphs in production's document mode: registered documents only, except for analysts. */
let production: RunningHttpServer;
let dashboard: Record<string, string>;
let analyst: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack("clients");
  production = await startGateway({ ...gatewayOptionsFor(stack), registeredDocumentsOnly: true });
  dashboard = bearer(await mintUserToken(stack.authSecret, { sub: "dashboard" }));
  analyst = bearer(await mintUserToken(stack.authSecret, { sub: "analyst", role: "analyst" }));
});

afterAll(async () => {
  await production?.stop();
  await stack?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Console warnings and errors while `fn` runs (Apollo Client's development build reports cache problems there). */
async function consoleOutput(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const record = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  vi.spyOn(console, "warn").mockImplementation(record);
  vi.spyOn(console, "error").mockImplementation(record);
  await fn();
  vi.restoreAllMocks();
  return lines;
}

function apolloClient(uri: string, link: ApolloLink | null, typePolicies?: TypePolicies, headers: Record<string, string> = {}) {
  const http = new HttpLink({ uri: new URL("graphql", uri).href, headers });
  return new ApolloClient({ link: link ? link.concat(http) : http, cache: new InMemoryCache(typePolicies ? { typePolicies } : {}) });
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL("graphql", url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe("Apollo Client (InMemoryCache, development build)", () => {
  it("runs the six views with the README's type policies and warns of nothing", async () => {
    expect(__DEV__).toBe(true);
    const client = apolloClient(stack.gatewayUrl, null, TYPE_POLICIES);
    const output = await consoleOutput(async () => {
      // Twice each: the second answer is written over the first, where unnormalised objects warn.
      for (const round of [1, 2]) {
        for (const view of VIEW_NAMES) {
          const result = await client.query({ query: gql(viewDocument(view)), variables: VARIABLES[view], fetchPolicy: "network-only" });
          expect(result.error, `${view} (round ${round})`).toBeUndefined();
          expect(result.data, view).toBeTruthy();
        }
      }
    });
    expect(output).toEqual([]);
    // Normalised: the county read by view 2 is one cache object, keyed by its code.
    expect((client.cache.extract() as Record<string, unknown>)['WellbeingServicesCounty:{"code":"14"}']).toBeTruthy();
  });

  it("warns without them (the type policies are what the README says they are for)", async () => {
    const client = apolloClient(stack.gatewayUrl, null);
    const output = await consoleOutput(async () => {
      for (const round of [1, 2]) {
        for (const view of VIEW_NAMES) await client.query({ query: gql(viewDocument(view)), variables: VARIABLES[view], fetchPolicy: "network-only" });
      }
    });
    expect(output.join("\n")).toMatch(/Cache data may be lost when replacing/);
  });

  it("automatic persisted queries: hash only, PERSISTED_QUERY_NOT_FOUND, hash and query, then hash only answered", async () => {
    const sent: { method: string; url: string; body: string }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      sent.push({ method: init?.method ?? "GET", url: String(input), body: typeof init?.body === "string" ? init.body : "" });
      return await fetch(input, init);
    };
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const link = createPersistedQueryLink({ sha256 });
    const make = () =>
      new ApolloClient({
        link: link.concat(new HttpLink({ uri: new URL("graphql", stack.gatewayUrl).href, fetch: recordingFetch })),
        cache: new InMemoryCache({ typePolicies: TYPE_POLICIES }),
      });
    // An operation of its own, registered nowhere before this test.
    const query = gql`query ApqProbe${Date.now()} { county(code: "14") { code nameFi } }`;
    const first = await make().query({ query });
    expect(first.error).toBeUndefined();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body).not.toContain('"query"');
    expect(sent[1]!.body).toContain('"query"');
    sent.length = 0;
    const second = await make().query({ query });
    expect(second.data).toEqual(first.data);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).not.toContain('"query"');
  });

  it("sends a view by its manifest id and is answered in production mode with a dashboard token, without sending the text", async () => {
    const sent: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      sent.push(`${init?.method ?? "GET"} ${String(input)} ${typeof init?.body === "string" ? init.body : ""}`);
      return await fetch(input, init);
    };
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const client = new ApolloClient({
      link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
        new HttpLink({ uri: new URL("graphql", production.url).href, headers: dashboard, fetch: recordingFetch }),
      ),
      cache: new InMemoryCache({ typePolicies: TYPE_POLICIES }),
    });
    for (const view of VIEW_NAMES) {
      const result = await client.query({ query: gql(viewDocument(view)), variables: VARIABLES[view] });
      expect(result.error, view).toBeUndefined();
      expect(sent.at(-1), view).toContain(viewEntry(view).id);
    }
    expect(sent).toHaveLength(VIEW_NAMES.length);
    expect(sent.every((line) => line.startsWith("GET ") && !line.includes("query="))).toBe(true);
  });
});

describe("urql (@urql/core, default exchanges and fetch options)", () => {
  it("runs the six views, short ones as GET", async () => {
    const methods: string[] = [];
    const client = new Client({
      url: new URL("graphql", stack.gatewayUrl).href,
      exchanges: [cacheExchange, fetchExchange],
      fetch: async (input, init) => {
        methods.push(init?.method ?? "GET");
        return await fetch(input, init);
      },
    });
    for (const view of VIEW_NAMES) {
      const result = await client.query(viewDocument(view), VARIABLES[view]).toPromise();
      expect(result.error, view).toBeUndefined();
      expect(result.data, view).toBeTruthy();
    }
    expect(methods).toContain("GET");
  });
});

describe("trusted documents", () => {
  it("answers each view by text, by hash and by GET id alike", async () => {
    for (const view of VIEW_NAMES) {
      const { id, body } = viewEntry(view);
      const variables = VARIABLES[view];
      const byText = await post(stack.gatewayUrl, { query: body, variables });
      expect(byText.body.errors, view).toBeUndefined();
      const byHash = await post(stack.gatewayUrl, { variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
      expect(byHash.body, view).toEqual(byText.body);
      const res = await fetch(new URL(`graphql/${id}?variables=${encodeURIComponent(JSON.stringify(variables))}`, stack.gatewayUrl));
      expect(res.status, view).toBe(200);
      expect(await res.json(), view).toEqual(byText.body);
      expect(res.headers.get("cache-control"), view).toBe("public, max-age=60");
    }
  });

  it("lets only the caller's own cache keep an answer read with a token", async () => {
    const { id } = viewEntry("coverage-matrix");
    const res = await fetch(new URL(`graphql/${id}?variables=${encodeURIComponent(JSON.stringify(VARIABLES["coverage-matrix"]))}`, stack.gatewayUrl), { headers: dashboard });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(res.headers.get("vary")).toMatch(/authorization/i);
    // An answer with errors is not cacheable.
    const bad = await fetch(new URL(`graphql/${id}?variables=${encodeURIComponent(JSON.stringify({}))}`, stack.gatewayUrl));
    expect(bad.headers.get("cache-control")).toBeNull();
  });

  it("answers an unknown or malformed id clearly", async () => {
    const unknown = await fetch(new URL(`graphql/${"0".repeat(64)}`, stack.gatewayUrl));
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const malformed = await fetch(new URL("graphql/not-a-hash", stack.gatewayUrl));
    expect(malformed.status).toBe(404);
  });

  it("in production mode refuses an unregistered document from a dashboard token and runs it for an analyst", async () => {
    const unregistered = `query Unregistered { county(code: "14") { code nameFi } }`;
    const refused = await post(production.url, { query: unregistered }, dashboard);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_REGISTERED");
    expect(refused.body.data).toBeUndefined();
    const anonymous = await post(production.url, { query: unregistered });
    expect(anonymous.status).toBe(403);
    const accepted = await post(production.url, { query: unregistered }, analyst);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ data: { county: { code: "14", nameFi: expect.any(String) } } });
    // Registering it by APQ as an analyst does not make it registered for others.
    const hash = createHash("sha256").update(unregistered).digest("hex");
    await post(production.url, { query: unregistered, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, analyst);
    const byHash = await post(production.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, dashboard);
    expect(byHash.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_REGISTERED");
  });

  it("in production mode runs the views as committed, reformatted, and the exports and calendar feeds, for a dashboard token", async () => {
    for (const view of VIEW_NAMES) {
      const asCommitted = await post(production.url, { query: viewDocument(view), variables: VARIABLES[view] }, dashboard);
      expect(asCommitted.body.errors, view).toBeUndefined();
    }
    const reformatted = viewDocument("coverage-matrix").replace(/#.*$/gm, "").replace(/\s+/g, " ");
    expect((await post(production.url, { query: reformatted, variables: VARIABLES["coverage-matrix"] }, dashboard)).body.errors).toBeUndefined();
    // The exports and calendar feeds ask the gateway's GraphQL endpoint as the caller: their documents are registered too.
    const paged = await fetch(new URL("exports/partnership-groups-by-municipality.csv?countyCodes=14", production.url), { headers: dashboard });
    expect(paged.status, await paged.clone().text()).toBe(200);
    const contacts = bearer(await mintUserToken(stack.authSecret, { sub: "dashboard", scope: "contacts:read" }));
    for (const view of VIEW_NAMES) {
      const query = new URLSearchParams(Object.entries(VARIABLES[view]).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]])));
      const res = await fetch(new URL(`exports/${view}.json?${query}`, production.url), { headers: contacts });
      expect(res.status, `${view}: ${await res.clone().text()}`).toBe(200);
    }
    const feed = await fetch(new URL("calendar/county/14.ics", production.url), { headers: dashboard });
    expect(feed.status, await feed.clone().text()).toBe(200);
  });
});
