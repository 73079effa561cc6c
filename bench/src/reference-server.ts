import { createServer } from "node:http";
import pg from "pg";
import { REFERENCE_QUERIES } from "./reference-queries.ts";
import type { ViewName } from "../../views/index.ts";

/**
 * The benchmark's lower bound as an HTTP server: POST /<view> with
 * `{ "variables": … }` runs that view's one SQL query and answers
 * `{"data": …}`. argv: <database url> <port> <classification year>
 */
const [databaseUrl, portArg, yearArg] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const year = Number(yearArg);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    void (async () => {
      const view = (req.url ?? "/").slice(1) as ViewName;
      const query = REFERENCE_QUERIES[view];
      if (!query) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { variables?: Record<string, unknown> };
      const today = new Date().toISOString().slice(0, 10);
      const result = await pool.query<{ data: unknown }>(query.sql, query.params(body.variables ?? {}, { year, today }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: result.rows[0]?.data ?? null }));
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
    });
  });
});
server.listen(Number(portArg), "127.0.0.1", () => console.log(`reference server ready at http://127.0.0.1:${portArg}/`));
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
