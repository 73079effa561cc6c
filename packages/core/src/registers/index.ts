export * from "./http-client.ts";
export * from "./provenance.ts";
export * from "./sync.ts";
export * from "./sync-report.ts";
export * from "./cli.ts";
