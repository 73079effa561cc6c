import pg from "pg";

/**
 * A mirror for reporting tools: keeps a PostgreSQL schema current from the
 * gateway's change feed (`GET /changes`), and nothing else. See
 * docs/API.md, "Mirroring the register from the feed".
 *
 * The schema has three tables:
 *   - `records (record_type, record_id, data, subgraph, position, committed_at)`:
 *     each record's values as its last change left them (`data`, JSON as the
 *     feed gives it, contact values masked); a deletion removes the row;
 *   - `change_log (change_id, record_type, record_id, operation, committed_at, cursor)`:
 *     every change applied, in the order applied;
 *   - `state (cursor)`: the feed cursor after the last change applied.
 * Each page of the feed is applied and its cursor stored in one transaction,
 * so a mirror killed at any point (or whose database connection drops)
 * resumes exactly where its last commit left it: no change lost, none twice.
 */

export interface MirrorOptions {
  /** The gateway's base URL, e.g. http://localhost:4000/. */
  gatewayUrl: string;
  /** Bearer token of an admin (every county) or a coordinator (its counties). */
  token: string;
  /** The mirror's own PostgreSQL database. */
  databaseUrl: string;
  /** Schema of the mirror's tables (default `mirror`). */
  schema?: string;
  /** Only these counties / record types (as `GET /changes` takes them). */
  countyCodes?: readonly string[];
  types?: readonly string[];
  /** Changes per page (1–500, default 500). */
  pageSize?: number;
  /** Called inside each page's transaction before it commits (tests use it to break the connection). */
  beforeCommit?: (client: pg.ClientBase, applied: number) => Promise<void>;
}

export interface MirrorRun {
  applied: number;
  pages: number;
  cursor: string | null;
}

interface FeedNode {
  subgraph: string;
  position: string;
  committedAt: string;
  countyCode: string | null;
  change: { id: string; entityType: string; entityId: string; operation: "CREATE" | "UPDATE" | "DELETE"; before: unknown; after: unknown };
}
interface FeedAnswer {
  edges: { cursor: string; node: FeedNode }[];
  pageInfo: { endCursor: string; hasNextPage: boolean };
}

function schemaName(options: MirrorOptions): string {
  const schema = options.schema ?? "mirror";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`mirror: schema "${schema}" is not a plain lower-case identifier`);
  return schema;
}

/** Creates the mirror's tables if they are not there. */
export async function prepareMirror(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`create schema if not exists ${schema}`);
  await client.query(`create table if not exists ${schema}.records (
    record_type text not null, record_id text not null, data jsonb, subgraph text not null,
    position bigint not null, committed_at timestamptz not null, primary key (record_type, record_id))`);
  await client.query(`create table if not exists ${schema}.change_log (
    seq bigserial primary key, change_id text not null, record_type text not null, record_id text not null,
    operation text not null, committed_at timestamptz not null, cursor text not null)`);
  await client.query(`create table if not exists ${schema}.state (id int primary key default 1 check (id = 1), cursor text)`);
}

/** Reads the feed from the stored cursor to its end, applying each page in a transaction with its cursor. */
export async function runMirror(options: MirrorOptions): Promise<MirrorRun> {
  const schema = schemaName(options);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  // A dropped connection is reported by the query in flight; the idle error event must not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await prepareMirror(client, schema);
    const stored = await client.query<{ cursor: string | null }>(`select cursor from ${schema}.state where id = 1`);
    let cursor = stored.rows[0]?.cursor ?? null;
    let applied = 0;
    let pages = 0;
    for (;;) {
      const url = new URL("changes", options.gatewayUrl);
      url.searchParams.set("first", String(options.pageSize ?? 500));
      if (cursor) url.searchParams.set("after", cursor);
      if (options.countyCodes?.length) url.searchParams.set("countyCodes", options.countyCodes.join(","));
      if (options.types?.length) url.searchParams.set("types", options.types.join(","));
      const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, signal: AbortSignal.timeout(60_000) });
      const body = (await response.json()) as FeedAnswer & { error?: string };
      if (!response.ok) throw new Error(`GET /changes answered ${response.status}: ${body.error ?? "no reason given"}`);
      pages += 1;
      if (body.edges.length > 0) {
        await client.query("begin");
        try {
          for (const { cursor: after, node } of body.edges) {
            const { change } = node;
            if (change.operation === "DELETE") {
              await client.query(`delete from ${schema}.records where record_type = $1 and record_id = $2`, [change.entityType, change.entityId]);
            } else {
              await client.query(
                `insert into ${schema}.records (record_type, record_id, data, subgraph, position, committed_at) values ($1, $2, $3, $4, $5, $6)
                 on conflict (record_type, record_id) do update set data = excluded.data, subgraph = excluded.subgraph, position = excluded.position, committed_at = excluded.committed_at`,
                [change.entityType, change.entityId, JSON.stringify(change.after), node.subgraph, node.position, node.committedAt],
              );
            }
            await client.query(`insert into ${schema}.change_log (change_id, record_type, record_id, operation, committed_at, cursor) values ($1, $2, $3, $4, $5, $6)`, [
              change.id, change.entityType, change.entityId, change.operation, node.committedAt, after,
            ]);
            applied += 1;
          }
          const next = body.pageInfo.endCursor;
          await client.query(`insert into ${schema}.state (id, cursor) values (1, $1) on conflict (id) do update set cursor = excluded.cursor`, [next]);
          await options.beforeCommit?.(client, applied);
          await client.query("commit");
          cursor = next;
        } catch (error) {
          await client.query("rollback").catch(() => undefined);
          throw error;
        }
      }
      if (!body.pageInfo.hasNextPage) return { applied, pages, cursor };
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `pnpm mirror`: one run from the stored cursor to the feed's end (schedule it, e.g. nightly or every minute). */
async function main(): Promise<void> {
  const env = process.env;
  const gatewayUrl = env["MIRROR_GATEWAY_URL"] ?? "http://localhost:4000/";
  const token = env["MIRROR_TOKEN"];
  const databaseUrl = env["MIRROR_DATABASE_URL"];
  if (!token || !databaseUrl) {
    console.error("pnpm mirror needs MIRROR_TOKEN (an admin's or a coordinator's bearer token) and MIRROR_DATABASE_URL (the mirror's PostgreSQL); see docs/API.md");
    process.exit(2);
  }
  const list = (name: string) => env[name]?.split(",").map((v) => v.trim()).filter(Boolean);
  const run = await runMirror({
    gatewayUrl,
    token,
    databaseUrl,
    ...(env["MIRROR_SCHEMA"] ? { schema: env["MIRROR_SCHEMA"] } : {}),
    ...(list("MIRROR_COUNTY_CODES") ? { countyCodes: list("MIRROR_COUNTY_CODES")! } : {}),
    ...(list("MIRROR_TYPES") ? { types: list("MIRROR_TYPES")! } : {}),
  });
  console.log(`mirror: ${run.applied} changes applied in ${run.pages} pages; cursor ${run.cursor ?? "(start)"}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`mirror: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
