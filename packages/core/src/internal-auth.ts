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

/** Most callers whose signature the gateway keeps (oldest dropped first). */
const SIGNED_VIEWERS_KEPT = 1000;
const signedViewers = new Map<string, Map<string, { token: Promise<string>; at: number }>>();

/** Who the caller is, as far as a signature says: equal for callers the subgraphs cannot tell apart. */
function viewerIdentity(viewer: Viewer): string {
  return JSON.stringify([viewer.subject ?? null, viewer.role ?? null, [...viewer.scopes].sort(), [...viewer.counties].sort()]);
}

/**
 * The gateway's signature of one request's caller, re-signed once it is
 * `refreshAfterMs` old: a signature lives 60 s, and a long operation's later
 * subgraph fetches must not carry an expired one. A signature is shared by
 * every request of the same caller (same subject, role, scopes and counties)
 * while it is fresh, and the subgraphs check a token they have seen once
 * only: signing every request was about 4 % of the gateway's CPU on the
 * meeting calendar view.
 */
export function viewerSigner(viewer: Viewer, internalSecret: string, refreshAfterMs = 30_000): () => Promise<string> {
  const identity = viewerIdentity(viewer);
  let signed = signedViewers.get(internalSecret);
  if (!signed) signedViewers.set(internalSecret, (signed = new Map()));
  const signedViewersOfSecret = signed;
  return () => {
    const now = performance.now();
    let current = signedViewersOfSecret.get(identity);
    if (!current || now - current.at > refreshAfterMs) {
      const token = signViewer(viewer, internalSecret);
      current = { token, at: now };
      signedViewersOfSecret.delete(identity);
      signedViewersOfSecret.set(identity, current);
      if (signedViewersOfSecret.size > SIGNED_VIEWERS_KEPT) signedViewersOfSecret.delete(signedViewersOfSecret.keys().next().value!);
      // A failed signature is not kept: the next request signs again.
      token.catch(() => {
        if (signedViewersOfSecret.get(identity)?.token === token) signedViewersOfSecret.delete(identity);
      });
    }
    return current.token;
  };
}
