import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import { CHANGE_FEED_CHANNEL } from "./change-feed.ts";
import { logger } from "./logger.ts";

/**
 * A subgraph's commit notifications as a Server-Sent Events stream
 * (`GET /changes/notifications`, behind the internal signature like every
 * subgraph path): the gateway opens one per subgraph and process, and learns
 * of each commit of the change outbox without asking the database.
 *
 * The subgraph process holds one `LISTEN change_feed` connection, opened with
 * the first stream and shared by all; each stream first gets
 * `event: position` with the outbox's highest `seq` at the moment the
 * listener was up (every later commit is announced), then `event: commit`
 * with the `seq` of each commit, and a comment every 15 s so proxies keep it
 * open. When the listener's connection fails every stream is ended: a caller
 * that reconnects gets a fresh `position`, and whatever committed between is
 * below it (so it reads the feed from its own last position).
 */

/** Where a subgraph serves the stream. */
export const CHANGE_NOTIFICATIONS_PATH = "/changes/notifications";

const HEARTBEAT_MS = 15_000;

export interface ChangeNotificationsRoute {
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
  stop(): Promise<void>;
}

export function changeNotificationsRoute(databaseUrl: string): ChangeNotificationsRoute {
  const streams = new Set<ServerResponse>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let stopped = false;

  const endAll = () => {
    for (const res of streams) res.end();
    streams.clear();
  };
  const drop = (failed: pg.Client) => {
    if (client === failed) client = null;
    failed.end().catch(() => undefined);
    endAll();
  };
  const listener = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: databaseUrl });
      next.on("error", (error: Error) => {
        logger().warn({ err: error.message }, "change notifications: listener connection lost");
        drop(next);
      });
      next.on("end", () => {
        if (client === next) drop(next);
      });
      next.on("notification", (message) => {
        if (message.channel !== CHANGE_FEED_CHANNEL || !message.payload) return;
        const frame = `event: commit\ndata: ${message.payload}\n\n`;
        for (const res of streams) res.write(frame);
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${CHANGE_FEED_CHANNEL}`);
      } catch (error) {
        next.end().catch(() => undefined);
        throw error;
      }
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return await connecting;
  };

  return {
    async handler(req, res) {
      if (req.method !== "GET") {
        res.writeHead(405, { allow: "GET", "content-type": "application/json" }).end(JSON.stringify({ error: "The notifications are read with GET" }));
        return;
      }
      let position: string;
      let own: pg.Client;
      try {
        if (stopped) throw new Error("stopping");
        own = await listener();
        // After LISTEN: whatever commits from now on is announced, whatever committed before is at or below this.
        const result = await own.query<{ seq: string }>(`select coalesce(max(seq), 0)::text as seq from change_outbox`);
        position = result.rows[0]?.seq ?? "0";
      } catch (error) {
        logger().warn({ err: error instanceof Error ? error.message : String(error) }, "change notifications: no listener");
        res.writeHead(503, { "retry-after": "2", "content-type": "application/json" }).end(JSON.stringify({ error: "The database is unavailable" }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.flushHeaders();
      // A listener lost while the position was read has ended the others: this one goes too.
      if (client !== own) {
        res.end();
        return;
      }
      streams.add(res);
      res.write(`event: position\ndata: ${position}\n\n`);
      const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      const close = () => {
        clearInterval(heartbeat);
        streams.delete(res);
      };
      res.on("close", close);
      req.on("close", close);
    },
    async stop() {
      stopped = true;
      endAll();
      const open = client ?? (await connecting?.catch(() => null));
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
