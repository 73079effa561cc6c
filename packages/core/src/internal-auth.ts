import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  anonymousViewer,
  createUserTokenVerifier,
  InternalSignatureError,
  signViewer,
  verifyViewer,
  VIEWER_HEADER,
  type UserTokenVerifierOptions,
  type Viewer,
} from "./auth.ts";
import { sendJson } from "./http.ts";

/**
 * Header a router other than ours adds to every subgraph request from its own
 * configuration (a static header): one of the subgraphs' `ROUTER_CREDENTIALS`.
 * With it, the caller's own bearer token (the router propagates
 * `authorization`) is verified here as our gateway verifies it.
 */
export const ROUTER_CREDENTIAL_HEADER = "x-yhdyspinta-router";

/** How a subgraph accepts routers other than ours (docs/OPERATIONS.md, "The supergraph on other routers"). */
export interface RouterAuthOptions {
  /** Accepted router credentials (`ROUTER_CREDENTIALS`); none: only the gateway's signed statement is accepted. */
  credentials: readonly string[];
  /** How the forwarded caller token is verified: the gateway's settings (`AUTH_*`, expiry rules in production). */
  auth: UserTokenVerifierOptions;
  /** Serve a router's callers without a token (`ALLOW_ANONYMOUS`, default true), as the gateway does. */
  allowAnonymous?: boolean | undefined;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether `presented` is one of `credentials`, in time that does not depend on
 * where the texts differ: both sides are compared as SHA-256 digests (equal
 * lengths) with `timingSafeEqual`, and every credential is compared.
 */
export function routerCredentialMatches(presented: string, credentials: readonly string[]): boolean {
  const got = digest(presented);
  let found = false;
  for (const credential of credentials) found = timingSafeEqual(got, digest(credential)) || found;
  return found;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The caller of a request that does not carry the gateway's signed statement:
 * a router's request (its credential, and the caller's bearer token or none),
 * or `InternalSignatureError` saying why it is refused.
 */
async function routerViewer(
  req: IncomingMessage,
  router: RouterAuthOptions | undefined,
  verify: ((authorization: string | undefined) => Promise<Viewer>) | undefined,
): Promise<Viewer> {
  const credential = single(req.headers[ROUTER_CREDENTIAL_HEADER]);
  const authorization = single(req.headers.authorization);
  if (credential === undefined) {
    throw new InternalSignatureError(
      `A forwarded bearer token is accepted only from a configured router: the request carries no ${ROUTER_CREDENTIAL_HEADER} credential (nor a signed ${VIEWER_HEADER} header)`,
    );
  }
  if (!router || router.credentials.length === 0 || !verify) {
    throw new InternalSignatureError(`This subgraph accepts no router credentials (ROUTER_CREDENTIALS is not set): only the gateway's signed ${VIEWER_HEADER}`);
  }
  if (!routerCredentialMatches(credential, router.credentials)) {
    throw new InternalSignatureError(`The ${ROUTER_CREDENTIAL_HEADER} credential is not one this subgraph accepts (ROUTER_CREDENTIALS)`);
  }
  if (!authorization) {
    if (router.allowAnonymous === false) throw new InternalSignatureError("This service requires a token (ALLOW_ANONYMOUS=false): the router forwarded no authorization header");
    return anonymousViewer;
  }
  try {
    return await verify(authorization);
  } catch (error) {
    throw new InternalSignatureError(`The forwarded token is refused: ${error instanceof Error ? error.message : "verification failed"}`);
  }
}

/**
 * The only subgraph paths served without the gateway's signature: probes and
 * Prometheus scrapes come from the platform, not through the gateway. Every
 * other path (GraphQL included) needs a valid signed `x-yhdyspinta-viewer`.
 */
export const OPEN_SUBGRAPH_ROUTES: readonly string[] = ["/health", "/ready", "/metrics"];

/**
 * Guard in front of a subgraph's HTTP server: answers 401 with the reason for
 * any request to a path outside `open` that has neither a valid internal
 * signature (our gateway) nor a configured router's credential with a valid
 * (or no) caller token (any other router, see `routerViewer`), and remembers
 * the verified viewer for the request's context. A signed statement, when
 * present, decides alone: a router's credential never rescues a bad one.
 */
export function internalSignatureGuard(options: { internalSecret: string | undefined; open: readonly string[]; router?: RouterAuthOptions | undefined }) {
  const open = new Set(options.open);
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  const router = options.router;
  const verify = router && router.credentials.length > 0 ? createUserTokenVerifier(router.auth) : undefined;
  return {
    /** For `serveApollo({ pages })`: true when it has answered (refused) the request. */
    async refuse(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (open.has(path)) return false;
      const header = single(req.headers[VIEWER_HEADER]);
      try {
        // Neither a statement nor anything a router sends: the gateway's refusal, as before routers were accepted.
        const fromRouter = header === undefined && (req.headers[ROUTER_CREDENTIAL_HEADER] !== undefined || req.headers.authorization !== undefined);
        viewers.set(req, fromRouter ? await routerViewer(req, router, verify) : await verifyViewer(header, options.internalSecret));
        return false;
      } catch (error) {
        if (!(error instanceof InternalSignatureError)) throw error;
        res.setHeader("www-authenticate", `Signed header="${VIEWER_HEADER}", Bearer realm="yhdyspinta-subgraphs"`);
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
