import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserTokenVerifier, mintUserToken, ViewerRole, type RunningHttpServer } from "@yhdyspinta/core";
import { startGateway } from "../src/gateway.ts";

// The gateway on its own (no subgraph listens on the given URLs): what it
// decides before or instead of asking a subgraph.

const supergraphPath = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));
const secret = randomBytes(32).toString("hex");
const nowhere = { organisations: "http://127.0.0.1:9/", groups: "http://127.0.0.1:9/", planning: "http://127.0.0.1:9/" };
let open: RunningHttpServer;
let closed: RunningHttpServer;

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] } };
}

beforeAll(async () => {
  const common = { supergraphPath, subgraphUrls: nowhere, port: 0, auth: { jwtSecret: secret }, internalAuthSecret: secret, subgraphTimeoutMs: 2000 };
  open = await startGateway(common);
  closed = await startGateway({ ...common, introspection: false, fieldSuggestions: false, allowAnonymous: false });
});

afterAll(async () => {
  await open?.stop();
  await closed?.stop();
});

describe("production mode at the gateway", () => {
  it("turns introspection and field suggestions off", async () => {
    const token = { authorization: `Bearer ${await mintUserToken(secret, { sub: "u" })}` };
    expect((await post(open.url, "{ __schema { queryType { name } } }")).body.errors).toBeUndefined();
    const introspection = await post(closed.url, "{ __schema { queryType { name } } }", token);
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = "{ countys { code } }";
    expect((await post(open.url, typo)).body.errors?.[0]?.message).toMatch(/Did you mean/);
    const hidden = await post(closed.url, typo, token);
    expect(hidden.body.errors?.[0]?.message).toBe('Cannot query field "countys" on type "Query".');
  });

  it("refuses anonymous callers when configured", async () => {
    const anonymous = await post(closed.url, "{ counties { code } }");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
  });
});

describe("a subgraph that does not answer", () => {
  it("is an error of that service only, naming it", async () => {
    const res = await post(open.url, "{ counties { code } }");
    expect(res.status).toBe(200);
    const error = res.body.errors?.[0];
    expect(error?.extensions?.["code"]).toBe("SUBGRAPH_UNAVAILABLE");
    expect(error?.extensions?.["serviceName"]).toBe("organisations");
    expect(error?.message).toBe("The organisations service is unavailable");
  });
});

describe("token rules of production mode", () => {
  const verify = createUserTokenVerifier({ jwtSecret: secret, requireExpiry: true, maxLifetimeSeconds: 3600 });
  const key = new TextEncoder().encode(secret);

  it("accept a token that expires within the maximum", async () => {
    const viewer = await verify(`Bearer ${await mintUserToken(secret, { sub: "u", scope: "data:write" }, "30m")}`);
    expect(viewer.subject).toBe("u");
  });

  it("refuse a token without exp and one that lives too long", async () => {
    const noExp = await new SignJWT({ scope: "" }).setProtectedHeader({ alg: "HS256" }).setSubject("u").sign(key);
    await expect(verify(`Bearer ${noExp}`)).rejects.toThrow(/exp/);
    const year2100 = await new SignJWT({ scope: "" }).setProtectedHeader({ alg: "HS256" }).setSubject("u").setExpirationTime(4102444800).sign(key);
    await expect(verify(`Bearer ${year2100}`)).rejects.toThrow(/at most 3600 s/);
    // Without the production options both are accepted (development).
    const lenient = createUserTokenVerifier({ jwtSecret: secret });
    expect((await lenient(`Bearer ${noExp}`)).subject).toBe("u");
  });
});

describe("subjects reserved for the services", () => {
  it("refuse a user token whose subject is a service's, in development and production alike", async () => {
    for (const verifyWith of [createUserTokenVerifier({ jwtSecret: secret }), createUserTokenVerifier({ jwtSecret: secret, requireExpiry: true, maxLifetimeSeconds: 3600 })]) {
      for (const sub of ["service:organisations", "service:retention"]) {
        await expect(verifyWith(`Bearer ${await mintUserToken(secret, { sub, scope: "data:write", role: ViewerRole.Admin }, "30m")}`)).rejects.toThrow(
          `Token subject "${sub}" is refused`,
        );
      }
      // A subject that only contains the word is a user's.
      expect((await verifyWith(`Bearer ${await mintUserToken(secret, { sub: "user:service:x" }, "30m")}`)).subject).toBe("user:service:x");
    }
  });

  it("answers such a token at the gateway with 401 naming the rule", async () => {
    const token = await mintUserToken(secret, { sub: "service:organisations", role: ViewerRole.Admin }, "30m");
    const res = await fetch(open.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("the services' own");
  });
});

describe("request ids", () => {
  it("every response carries x-request-id: the caller's, or a new one", async () => {
    const given = await fetch(open.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "trace-123" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(given.headers.get("x-request-id")).toBe("trace-123");
    const created = await fetch(open.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(created.status).toBe(400);
    expect(created.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const health = await fetch(new URL("health", open.url));
    expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await fetch(new URL("nothing-here", open.url), { headers: { "x-request-id": "bad id with spaces" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
