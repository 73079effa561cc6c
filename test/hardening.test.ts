import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedViewerHeaders } from "@yhdyspinta/core/testing";
import { startTestStack, type TestStack } from "./support.ts";
import { aliasBomb, depthBomb } from "./attacks.ts";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack("hardening");
});

afterAll(async () => {
  await stack?.stop();
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
  ms: number;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Answer["body"], ms: performance.now() - started };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.["code"]);

describe("operation limits through the gateway", () => {
  it("refuses a 12-level depth bomb before any subgraph is asked", async () => {
    await stack.resetStats();
    const answer = await post(stack.gatewayUrl, { query: depthBomb(12) });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toContain("GRAPHQL_VALIDATION_FAILED");
    expect(answer.body.errors?.map((e) => e.message).join("\n")).toMatch(/depth 1[23] exceeds the limit of 10 \(maxDepth\)/);
    const stats = await stack.stats();
    for (const [name, s] of Object.entries(stats)) expect(s.operations, name).toBe(0);
  });

  it("refuses 500 aliases naming the limit and the count", async () => {
    await stack.resetStats();
    const answer = await post(stack.gatewayUrl, { query: aliasBomb(500) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.message)).toContain("Operation aliases 500 exceeds the limit of 30 (maxAliases)");
    const stats = await stack.stats();
    for (const [name, s] of Object.entries(stats)) expect(s.operations, name).toBe(0);
  });

  it("refuses a document over the token limit and a body over the size limit", async () => {
    const tokens = await post(stack.gatewayUrl, { query: `{ counties { ${"code ".repeat(4000)} } }` });
    expect(tokens.status).toBe(400);
    expect(codes(tokens)).toContain("GRAPHQL_PARSE_FAILED");
    expect(tokens.body.errors?.[0]?.message).toMatch(/3000 tokens/);
    const big = await post(stack.gatewayUrl, { query: "{ counties { code } }", variables: { pad: "x".repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    // The same client's next requests (fetch reuses its connections) are answered, not reset.
    const tooLarge = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(1024 * 1024) } }),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("connection")).toBe("close");
    await tooLarge.text();
    for (let i = 0; i < 5; i++) expect((await post(stack.gatewayUrl, { query: "{ __typename }" })).status).toBe(200);
  });

  it("a subgraph refuses the depth bomb unsigned (401) and signed (defence in depth)", async () => {
    const signed = await signedViewerHeaders(stack.internalAuthSecret);
    const answer = await post(stack.subgraphUrls.groups, { query: `{ _service { sdl } }` }, signed);
    expect(answer.status).toBe(200);
    const query = `{ municipalities: cooperationGroups(first: 500) { edges { node { ${"municipalities { cooperationGroups { id ".repeat(6)}id${" } }".repeat(6)} } } } }`;
    const unsigned = await post(stack.subgraphUrls.groups, { query });
    expect(unsigned.status).toBe(401);
    expect(codes(unsigned)).toEqual(["UNAUTHENTICATED"]);
    const bomb = await post(stack.subgraphUrls.groups, { query }, signed);
    expect(bomb.status).toBe(400);
    expect(bomb.body.errors?.map((e) => e.extensions?.["limit"])).toContain("maxDepth");
  });
});

describe("client mistakes are 4xx naming what was wrong", () => {
  const clientError = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
    expect(codes(answer), JSON.stringify(answer.body)).not.toContain("INTERNAL_SERVER_ERROR");
    expect(answer.body.errors?.length ?? 0).toBeGreaterThan(0);
  };

  it("invalid Date values in variables and arguments are BAD_USER_INPUT with the message", async () => {
    const query = `query($from: Date!) { meetings(countyCode: "12", from: $from, to: "2024-12-31") { id } }`;
    for (const from of ["2024-02-30", "1.1.2024"]) {
      const answer = await post(stack.gatewayUrl, { query, variables: { from } });
      clientError(answer);
      expect(codes(answer)).toContain("BAD_USER_INPUT");
    }
    const literal = await post(stack.gatewayUrl, { query: `{ meetings(countyCode: "12", from: "2024-02-30", to: "2024-12-31") { id } }` });
    clientError(literal);
    expect(JSON.stringify(literal.body.errors)).toMatch(/2024-02-30/);
  });

  it("NUL bytes and foreign cursors are BAD_USER_INPUT", async () => {
    const nul = await post(stack.gatewayUrl, { query: `query($code: ID!) { municipality(code: $code) { code } }`, variables: { code: "1\u00006" } });
    clientError(nul);
    expect(codes(nul)).toContain("BAD_USER_INPUT");
    const nulLiteral = await post(stack.gatewayUrl, { query: `{ county(code: "1\\u0000") { code } }` });
    clientError(nulLiteral);
    expect(codes(nulLiteral)).toContain("BAD_USER_INPUT");
    const cursor = await post(stack.gatewayUrl, { query: `{ cooperationGroups(first: 2, after: "WzEsMl0") { totalCount } }` });
    clientError(cursor);
    expect(codes(cursor)).toContain("BAD_USER_INPUT");
    expect(cursor.body.errors?.[0]?.message).toMatch(/after/);
  });

  it("subscriptions, ambiguous documents and unknown persisted queries are refused as client errors", async () => {
    clientError(await post(stack.gatewayUrl, { query: "subscription { x }" }));
    clientError(await post(stack.gatewayUrl, { query: "query A { counties { code } } query B { counties { code } }" }));
    const persisted = await post(stack.gatewayUrl, {
      query: "{ counties { code } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    clientError(persisted);
    expect(persisted.body.errors?.[0]?.message).not.toBe("Internal server error");
    clientError(await post(stack.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: "abc" } } }));
    clientError(await post(stack.gatewayUrl, "{not json"));
    clientError(await post(stack.gatewayUrl, { query: 42 }));
  });
});
