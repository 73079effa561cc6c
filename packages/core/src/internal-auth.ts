import type { IncomingMessage, ServerResponse } from "node:http";
import { InternalSignatureError, signViewer, verifyViewer, VIEWER_HEADER, type Viewer } from "./auth.ts";
import { sendJson } from "./http.ts";

/**
 * The only subgraph paths served without the gateway's signature: probes and
 * Prometheus scrapes come from the platform, not through the gateway. Every
 * other path (GraphQL included) needs a valid signed `x-yhdyspinta-viewer`.
 */
export const OPEN_SUBGRAPH_ROUTES: readonly string[] = ["/health", "/ready", "/metrics"];

/**
 * Guard in front of a subgraph's HTTP server: answers 401 with the reason for
 * any request to a path outside `open` that lacks a valid internal signature,
 * and remembers the verified viewer for the request's context.
 */
export function internalSignatureGuard(options: { internalSecret: string | undefined; open: readonly string[] }) {
  const open = new Set(options.open);
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  return {
    /** For `serveApollo({ pages })`: true when it has answered (refused) the request. */
    async refuse(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (open.has(path)) return false;
      const header = req.headers[VIEWER_HEADER];
      try {
        viewers.set(req, await verifyViewer(Array.isArray(header) ? header[0] : header, options.internalSecret));
        return false;
      } catch (error) {
        if (!(error instanceof InternalSignatureError)) throw error;
        res.setHeader("www-authenticate", `Signed header="${VIEWER_HEADER}"`);
        sendJson(res, 401, { errors: [{ message: error.message, extensions: { code: "UNAUTHENTICATED" } }] });
        return true;
      }
    },
    /** The viewer the guard verified for `req`. */
    viewerOf(req: IncomingMessage): Viewer {
      const viewer = viewers.get(req);
      if (!viewer) throw new Error("internalSignatureGuard: request was not checked");
      return viewer;
    },
  };
}

/**
 * The gateway's signature of one request's caller, re-signed once it is
 * `refreshAfterMs` old: a signature lives 60 s, and a long operation's later
 * subgraph fetches must not carry an expired one.
 */
export function viewerSigner(viewer: Viewer, internalSecret: string, refreshAfterMs = 30_000): () => Promise<string> {
  let current: { token: Promise<string>; at: number } | undefined;
  return () => {
    if (!current || performance.now() - current.at > refreshAfterMs) current = { token: signViewer(viewer, internalSecret), at: performance.now() };
    return current.token;
  };
}
