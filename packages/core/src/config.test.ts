import { describe, expect, it, vi } from "vitest";
import { configEnv, DEFAULT_PORTS, readConfig, serviceDatabaseUrl, SERVICE_NAMES, subgraphUrl } from "./config.ts";

describe("configuration module", () => {
  it("gives every process its default port and local URL when nothing is set", () => {
    const config = readConfig({});
    expect(config.ports).toEqual({ gateway: 4000, organisations: 4001, groups: 4002, planning: 4003 });
    expect(config.gatewayUrl).toBe("http://127.0.0.1:4000/");
    expect(SERVICE_NAMES.map((name) => subgraphUrl(config, name))).toEqual([
      "http://127.0.0.1:4001/",
      "http://127.0.0.1:4002/",
      "http://127.0.0.1:4003/",
    ]);
    expect(config.subgraphUrls).toEqual({});
    expect(config.databaseUrls).toEqual({});
    expect(config.introspection).toBe(true);
  });

  it("derives each service's database from DATABASE_URL unless the service's own URL is set", () => {
    const env = { DATABASE_URL: "postgres://u:p@db:5432/yhdyspinta", GROUPS_DATABASE_URL: "postgres://u:p@other:5432/g" };
    expect(serviceDatabaseUrl("planning", env)).toBe("postgres://u:p@db:5432/yhdyspinta_planning");
    expect(readConfig(env).databaseUrls).toEqual({
      organisations: "postgres://u:p@db:5432/yhdyspinta_organisations",
      groups: "postgres://u:p@other:5432/g",
      planning: "postgres://u:p@db:5432/yhdyspinta_planning",
    });
    expect(serviceDatabaseUrl("planning", {})).toBeUndefined();
  });

  it("reads back in a child exactly what a parent hands over with configEnv", () => {
    const secret = "s".repeat(40);
    const env = configEnv({
      host: "::1",
      ports: { gateway: 5000, planning: 5003 },
      subgraphUrls: { groups: "http://groups.internal:80/" },
      databaseUrl: "postgresql://localhost/x",
      internalAuthSecret: secret,
      auth: { issuer: "https://idp.example/", jwtSecret: undefined },
      seedDemoData: false,
      debugStats: true,
    });
    const config = readConfig(env);
    expect(config.host).toBe("::1");
    expect(config.ports).toEqual({ ...DEFAULT_PORTS, gateway: 5000, planning: 5003 });
    expect(subgraphUrl(config, "groups")).toBe("http://groups.internal:80/");
    expect(config.internalAuthSecret).toBe(secret);
    expect(config.auth).toEqual({ jwtSecret: undefined, jwksUrl: undefined, issuer: "https://idp.example/", audience: undefined });
    expect(config.seedDemoData).toBe(false);
    expect(config.debugStats).toBe(true);
    expect(config.databaseUrls.planning).toBe("postgresql://localhost/x_planning");
  });

  it("turns introspection off in production unless allowed", () => {
    expect(readConfig({ NODE_ENV: "production" }).introspection).toBe(false);
    expect(readConfig({ NODE_ENV: "production", ALLOW_INTROSPECTION: "true" }).introspection).toBe(true);
  });

  it("reads the gateway's tunables with their defaults, and refuses every bad one at once", () => {
    const defaults = readConfig({}).gateway;
    expect(defaults).toMatchObject({ engine: "hive-router", subgraphTimeoutMs: 10_000, responseCacheMaxBytes: 64 * 1024 * 1024, limits: {}, registeredDocumentsOnly: false });
    const production = readConfig({ NODE_ENV: "production", GATEWAY_MAX_DEPTH: "7", GATEWAY_MAX_ALIASES: "0", TRUSTED_DOCUMENTS_FILES: " a.json, ,b.json" }).gateway;
    expect(production.limits).toEqual({ maxDepth: 7, maxAliases: 0 });
    expect(production.registeredDocumentsOnly).toBe(true);
    expect(production.trustedDocumentFiles).toEqual(["a.json", "b.json"]);
    expect(readConfig({ NODE_ENV: "production", REGISTERED_DOCUMENTS_ONLY: "false" }).gateway.registeredDocumentsOnly).toBe(false);
    const printed: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((line: string) => void printed.push(line));
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("exit");
    });
    try {
      expect(() => readConfig({ GATEWAY_ENGINE: "nginx", SUBGRAPH_TIMEOUT_MS: "5", HOST: "" as string, GATEWAY_PORT: "x" })).toThrow("exit");
    } finally {
      error.mockRestore();
      exit.mockRestore();
    }
    expect(printed.join("\n")).toMatch(/GATEWAY_ENGINE[\s\S]*SUBGRAPH_TIMEOUT_MS|SUBGRAPH_TIMEOUT_MS[\s\S]*GATEWAY_ENGINE/);
    expect(printed.join("\n")).toContain("GATEWAY_PORT");
  });
});
