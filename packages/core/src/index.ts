import "reflect-metadata";

export * from "./auth.ts";
export * from "./context.ts";
export * from "./database.ts";
export * from "./embedded-postgres.ts";
export * from "./env.ts";
export * from "./errors.ts";
export * from "./errors-format.ts";
export * from "./federation.ts";
export * from "./http.ts";
export * from "./loaders.ts";
export * from "./pagination.ts";
export * from "./stats.ts";
export * from "./subgraph.ts";
export * from "./service.ts";
export * from "./migration-cli.ts";
export * from "./demo-keys.ts";
export * from "./scalars.ts";
