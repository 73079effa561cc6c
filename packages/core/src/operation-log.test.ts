import { ApolloServer } from "@apollo/server";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { formatError } from "./errors-format.ts";
import { configureLogger } from "./logger.ts";
import { operationLogPlugin } from "./operation-log.ts";

describe("the operation log", () => {
  it("writes the error codes the caller was answered with, not the raw errors'", async () => {
    const lines: string[] = [];
    configureLogger("probe", { write: (line: string) => void lines.push(line) });
    const server = new ApolloServer({
      schema: buildSchema("type Query { invalid: String, broken: String, fine: String }"),
      rootValue: {
        // A value that does not fit its column (PostgreSQL class 22): no GraphQL code of its own;
        // formatError answers it BAD_USER_INPUT.
        invalid: () => {
          throw Object.assign(new Error("value too long for type character varying(300)"), { code: "22001" });
        },
        broken: () => {
          throw new Error("something unexpected");
        },
        fine: () => "ok",
      },
      formatError,
      plugins: [operationLogPlugin()],
    });
    await server.start();
    try {
      const answers = [];
      for (const query of ["query Invalid { invalid }", "query Broken { broken }", "query Both { invalid broken }", "query Fine { fine }"]) {
        const response = await server.executeOperation({ query });
        answers.push(response.body.kind === "single" ? (response.body.singleResult.errors ?? []).map((e) => e.extensions?.["code"]) : null);
      }
      expect(answers).toEqual([["BAD_USER_INPUT"], ["INTERNAL_SERVER_ERROR"], ["BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"], []]);
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; operation?: string; errorCodes?: string[] }).filter((l) => l.msg === "operation");
      expect(logged.map((l) => [l.operation, l.errorCodes ?? []])).toEqual([
        ["Invalid", ["BAD_USER_INPUT"]],
        ["Broken", ["INTERNAL_SERVER_ERROR"]],
        ["Both", ["BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"]],
        ["Fine", []],
      ]);
    } finally {
      await server.stop();
    }
  });
});
