import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, signViewer, VIEWER_HEADER, type Viewer } from "./auth.ts";
import { internalSignatureGuard, OPEN_SUBGRAPH_ROUTES, ROUTER_CREDENTIAL_HEADER, routerCredentialMatches, type RouterAuthOptions } from "./internal-auth.ts";

/**
 * The subgraph guard as another router meets it: a router credential header
 * from the router's configuration plus the caller's own bearer token, verified
 * with the gateway's settings. A small HTTP server runs the guard in front of
 * an answer that shows the viewer it verified.
 */
const internalSecret = "router-auth-test-internal-secret-0123456789";
const authSecret = "router-auth-test-user-token-secret-0123456789";
const credential = "router-auth-test-router-credential-0123456789";
const rotated = "router-auth-test-second-credential-9876543210";

interface Answer {
  status: number;
  body: { viewer?: { subject: string | null; scopes: string[]; role: string | null; counties: string[] }; errors?: { message: string; extensions: { code: string } }[] };
  authenticate: string | null;
}

const servers: Server[] = [];

async function guarded(router: RouterAuthOptions | undefined): Promise<(headers: Record<string, string>, path?: string) => Promise<Answer>> {
  const guard = internalSignatureGuard({ internalSecret, open: OPEN_SUBGRAPH_ROUTES, ...(router ? { router } : {}) });
  const server = createServer((req, res) => {
    void guard.refuse(req, res).then((refused) => {
      if (refused) return;
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const viewer: Viewer | null = OPEN_SUBGRAPH_ROUTES.includes(path) ? null : guard.viewerOf(req);
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify(
          viewer ? { viewer: { subject: viewer.subject, scopes: [...viewer.scopes], role: viewer.role, counties: [...viewer.counties] } } : { open: path },
        ),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (headers, path = "/graphql") => {
    const response = await fetch(`${url}${path}`, { method: "POST", headers });
    return { status: response.status, body: (await response.json()) as Answer["body"], authenticate: response.headers.get("www-authenticate") };
  };
}

let request: Awaited<ReturnType<typeof guarded>>;
let withoutRouters: Awaited<ReturnType<typeof guarded>>;

beforeAll(async () => {
  request = await guarded({ credentials: [credential, rotated], auth: { jwtSecret: authSecret, issuer: "https://idp.example", audience: "yhdyspinta" } });
  withoutRouters = await guarded(undefined);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const token = (claims: Partial<Parameters<typeof mintUserToken>[1]> = {}, expiresIn = "10m") =>
  mintUserToken(authSecret, { sub: "analyst-7", scope: "contacts:read", role: "analyst", issuer: "https://idp.example", audience: "yhdyspinta", ...claims }, expiresIn);

const refusal = (answer: Answer) => {
  expect(answer.status).toBe(401);
  expect(answer.body.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  return answer.body.errors?.[0]?.message ?? "";
};

describe("a router's credential and the caller's forwarded token", () => {
  it("gives the viewer of the token's claims with a good credential", async () => {
    const answer = await request({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await token({ counties: ["08", "14"], role: "coordinator" })}` });
    expect(answer.status).toBe(200);
    expect(answer.body.viewer).toEqual({ subject: "analyst-7", scopes: ["contacts:read"], role: "coordinator", counties: ["08", "14"] });
    // The second configured credential (rotation) is as good as the first.
    const second = await request({ [ROUTER_CREDENTIAL_HEADER]: rotated, authorization: `Bearer ${await token()}` });
    expect(second.body.viewer?.subject).toBe("analyst-7");
  });

  it("gives an anonymous viewer with a good credential and no token", async () => {
    const answer = await request({ [ROUTER_CREDENTIAL_HEADER]: credential });
    expect(answer.status).toBe(200);
    expect(answer.body.viewer).toEqual({ subject: null, scopes: [], role: null, counties: [] });
  });

  it("refuses a forwarded token without a router credential", async () => {
    const message = refusal(await request({ authorization: `Bearer ${await token()}` }));
    expect(message).toContain(ROUTER_CREDENTIAL_HEADER);
  });

  it("refuses a wrong credential, with a token and without one", async () => {
    const good = `Bearer ${await token()}`;
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: `${credential}x`, authorization: good }))).toContain("not one this subgraph accepts");
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: credential.slice(0, -1) }))).toContain("not one this subgraph accepts");
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: "" }))).toContain("not one this subgraph accepts");
  });

  it("refuses an expired token, a token of another issuer or audience, and one signed with another secret", async () => {
    const expired = await new SignJWT({ scope: "contacts:read" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("analyst-7")
      .setIssuer("https://idp.example")
      .setAudience("yhdyspinta")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(authSecret));
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${expired}` }))).toMatch(/forwarded token is refused.*exp/);
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await token({ issuer: "https://other.example" })}` }))).toContain("iss");
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await token({ audience: "other" })}` }))).toContain("aud");
    const foreign = await mintUserToken(`${authSecret}-other`, { sub: "analyst-7", issuer: "https://idp.example", audience: "yhdyspinta" });
    expect(refusal(await request({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${foreign}` }))).toContain("signature");
  });

  it("lets the gateway's signed statement decide alone when present", async () => {
    const signed = await signViewer({ subject: "via-gateway", scopes: new Set(), role: null, counties: new Set() }, internalSecret);
    const answer = await request({ [VIEWER_HEADER]: signed, [ROUTER_CREDENTIAL_HEADER]: "wrong", authorization: "Bearer nonsense" });
    expect(answer.body.viewer?.subject).toBe("via-gateway");
    // A bad statement is not rescued by a good router credential and token.
    const bad = await request({ [VIEWER_HEADER]: `${signed}x`, [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await token()}` });
    expect(refusal(bad)).toContain(VIEWER_HEADER);
  });

  it("refuses any router credential where none is configured, and keeps the old refusal and open probes", async () => {
    expect(refusal(await withoutRouters({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await token()}` }))).toContain("ROUTER_CREDENTIALS is not set");
    expect(refusal(await withoutRouters({}))).toContain(`no signed ${VIEWER_HEADER}`);
    const nothing = await request({});
    expect(refusal(nothing)).toContain(`no signed ${VIEWER_HEADER}`);
    expect(nothing.authenticate).toContain(VIEWER_HEADER);
    for (const path of OPEN_SUBGRAPH_ROUTES) expect((await request({}, path)).status).toBe(200);
  });

  it("refuses a router's anonymous caller where anonymous callers are not served", async () => {
    const strict = await guarded({ credentials: [credential], auth: { jwtSecret: authSecret }, allowAnonymous: false });
    expect(refusal(await strict({ [ROUTER_CREDENTIAL_HEADER]: credential }))).toContain("ALLOW_ANONYMOUS=false");
    expect((await strict({ [ROUTER_CREDENTIAL_HEADER]: credential, authorization: `Bearer ${await mintUserToken(authSecret, { sub: "analyst-7" })}` })).status).toBe(200);
  });
});

describe("routerCredentialMatches", () => {
  it("matches only a configured credential exactly", () => {
    expect(routerCredentialMatches(credential, [rotated, credential])).toBe(true);
    expect(routerCredentialMatches(credential.toUpperCase(), [credential])).toBe(false);
    expect(routerCredentialMatches(`${credential} `, [credential])).toBe(false);
    expect(routerCredentialMatches(credential, [])).toBe(false);
  });
});
