import { SignJWT, jwtVerify, createRemoteJWKSet, type JWTPayload } from "jose";
import type { AuthChecker } from "type-graphql";
import type { AuthSettings } from "./config.ts";
import { ForbiddenError } from "./errors.ts";

/** Header that carries the gateway-verified caller to the subgraphs. */
export const VIEWER_HEADER = "x-yhdyspinta-viewer";
const INTERNAL_AUDIENCE = "yhdyspinta-subgraphs";
const INTERNAL_ISSUER = "yhdyspinta-gateway";

/** Scopes a caller's token may carry. */
export const Scope = {
  /** Read people's e-mail and phone (personal data). */
  ContactsRead: "contacts:read",
  /** Create and change records. */
  DataWrite: "data:write",
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/**
 * What a caller may do, from the token's `role` claim: an analyst reads, a
 * coordinator changes the data of the counties in its `counties` claim, an
 * admin changes every county's data.
 */
export const ViewerRole = {
  Analyst: "analyst",
  Coordinator: "coordinator",
  Admin: "admin",
  /** Data protection officer: answers data-subject requests (access, erasure) for the counties in its `counties` claim. */
  DataProtection: "data_protection",
} as const;
export type ViewerRole = (typeof ViewerRole)[keyof typeof ViewerRole];
const ROLES: ReadonlySet<string> = new Set(Object.values(ViewerRole));

/** Who is calling, as verified by the gateway. */
export interface Viewer {
  subject: string | null;
  scopes: ReadonlySet<string>;
  /** The `role` claim; null when the token carries none or an unknown one. */
  role: ViewerRole | null;
  /** The `counties` claim (county codes such as "14"); meaningful for a coordinator. */
  counties: ReadonlySet<string>;
}

export const anonymousViewer: Viewer = Object.freeze({
  subject: null,
  scopes: new Set<string>(),
  role: null,
  counties: new Set<string>(),
});

function roleOf(payload: JWTPayload): ViewerRole | null {
  const raw = payload["role"];
  return typeof raw === "string" && ROLES.has(raw) ? (raw as ViewerRole) : null;
}

/**
 * The `counties` claim: absent, or an array of two-digit county codes. Any
 * other shape (a string such as "08", a number, codes of another form) is
 * refused, in development and production alike, rather than read as a guess.
 */
function countiesOf(payload: JWTPayload): Set<string> {
  const raw = payload["counties"];
  if (raw === undefined) return new Set();
  if (Array.isArray(raw) && raw.every((c) => typeof c === "string" && /^\d{2}$/.test(c))) return new Set(raw as string[]);
  const got = Array.isArray(raw) ? "an array holding something else" : raw === null ? "null" : typeof raw === "string" ? "a string" : `a ${typeof raw}`;
  throw new Error(`The "counties" claim must be an array of two-digit county codes, e.g. ["08"]; this token's is ${got}`);
}

function viewerOf(payload: JWTPayload): Viewer {
  return { subject: payload.sub ?? null, scopes: scopesOf(payload), role: roleOf(payload), counties: countiesOf(payload) };
}

/** Whether the caller may change data of `countyCode` (null: data of no county, which only an admin changes). */
export function canWriteCounty(viewer: Viewer, countyCode: string | null): boolean {
  if (!viewer.subject || !viewer.scopes.has(Scope.DataWrite)) return false;
  if (viewer.role === ViewerRole.Admin) return true;
  return viewer.role === ViewerRole.Coordinator && countyCode !== null && viewer.counties.has(countyCode);
}

/**
 * Refuses a change to a county's data unless the caller's role allows that
 * county: `FORBIDDEN` naming the county. Every mutation calls it for each
 * county the change touches (before and after).
 */
export function assertCanWriteCounty(viewer: Viewer, countyCode: string | null): void {
  if (canWriteCounty(viewer, countyCode)) return;
  const what = countyCode === null ? "data of no county (admin only)" : `county ${countyCode}`;
  const who = viewer.role ? `role ${viewer.role}${viewer.role === ViewerRole.Coordinator ? ` of counties [${[...viewer.counties].join(", ")}]` : ""}` : "a caller without a role";
  const error = new ForbiddenError(`Not authorised to change ${what}: ${who}${viewer.scopes.has(Scope.DataWrite) ? "" : " without scope data:write"}`);
  error.extensions["county"] = countyCode;
  throw error;
}

function scopesOf(payload: JWTPayload): Set<string> {
  const raw = payload["scope"] ?? payload["scp"];
  if (typeof raw === "string") return new Set(raw.split(/\s+/).filter(Boolean));
  if (Array.isArray(raw)) return new Set(raw.filter((s): s is string => typeof s === "string"));
  return new Set();
}

export interface UserTokenVerifierOptions extends AuthSettings {
  /** Refuse tokens without `exp` (production). */
  requireExpiry?: boolean | undefined;
  /** Refuse tokens that expire further ahead than this many seconds (production). */
  maxLifetimeSeconds?: number | undefined;
}

/**
 * Verifies callers' bearer tokens at the gateway. A missing token is an
 * anonymous caller; a present but invalid token is an error, so a client with
 * an expired token learns why it sees less.
 */
export function createUserTokenVerifier(options: UserTokenVerifierOptions) {
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : null;
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : null;
  return async function verify(authorization: string | undefined | null): Promise<Viewer> {
    if (!authorization) return anonymousViewer;
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new Error("Authorization header must be 'Bearer <token>'");
    const token = match[1];
    const verifyOptions = {
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
    };
    let payload: JWTPayload;
    if (jwks) {
      ({ payload } = await jwtVerify(token, jwks, verifyOptions));
    } else if (secret) {
      ({ payload } = await jwtVerify(token, secret, { ...verifyOptions, algorithms: ["HS256"] }));
    } else {
      throw new Error("This gateway accepts no tokens: neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set");
    }
    if (options.requireExpiry && typeof payload.exp !== "number") throw new Error('Token must carry an expiry ("exp")');
    if (options.maxLifetimeSeconds !== undefined && typeof payload.exp === "number") {
      const lifetime = payload.exp - Math.floor(Date.now() / 1000);
      if (lifetime > options.maxLifetimeSeconds) {
        throw new Error(`Token lives too long: it expires in ${lifetime} s, at most ${options.maxLifetimeSeconds} s are accepted`);
      }
    }
    if (typeof payload.sub === "string" && payload.sub.startsWith(SERVICE_SUBJECT_PREFIX)) {
      throw new Error(`Token subject "${payload.sub}" is refused: subjects starting with "${SERVICE_SUBJECT_PREFIX}" are the services' own, not a user's`);
    }
    return viewerOf(payload);
  };
}

/**
 * Subjects of the services' own calls and changes (`service:organisations`,
 * `service:retention`, …): the audit trail names them as actors and the
 * personal-data scrub route admits only `service:organisations`, so a user
 * token carrying one is refused wherever user tokens are read.
 */
export const SERVICE_SUBJECT_PREFIX = "service:";

/** Mints a user token with the development HS256 secret (tests, local use). */
export async function mintUserToken(
  secret: string,
  claims: { sub: string; scope?: string; role?: ViewerRole; counties?: readonly string[]; issuer?: string; audience?: string },
  expiresIn = "1h",
): Promise<string> {
  let jwt = new SignJWT({
    scope: claims.scope ?? "",
    ...(claims.role ? { role: claims.role } : {}),
    ...(claims.counties ? { counties: [...claims.counties] } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return await jwt.sign(new TextEncoder().encode(secret));
}

/**
 * Gateway → subgraph: the verified viewer travels as a short-lived token signed
 * with a secret only the gateway and the subgraphs know. A caller who sends
 * this header to the gateway gains nothing: the gateway never forwards client
 * headers, and subgraphs accept only a valid signature.
 */
export async function signViewer(viewer: Viewer, internalSecret: string): Promise<string> {
  const key = await internalKey(internalSecret);
  return await new SignJWT({
    scope: [...viewer.scopes].join(" "),
    ...(viewer.role ? { role: viewer.role } : {}),
    counties: [...viewer.counties],
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(viewer.subject ?? "anonymous")
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(key);
}

const internalKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The internal secret as an HMAC key, imported once per process: handing jose
 * the raw bytes made it import the key again for every signature and check.
 */
function internalKey(secret: string): Promise<CryptoKey> {
  let key = internalKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    internalKeys.set(secret, key);
  }
  return key;
}

/** Most verified internal tokens remembered per secret (oldest dropped first). */
const VERIFIED_TOKENS_KEPT = 1000;
const verifiedTokens = new Map<string, Map<string, { viewer: Viewer; expiresAtMs: number }>>();

/**
 * A token verified before, while it is unexpired: the gateway sends the same
 * token for a caller's requests (see `viewerSigner`), so its signature is
 * checked once, not on every request. Keyed by the whole token text, so a
 * token differing in any byte is verified afresh.
 */
function rememberedViewer(secret: string, token: string): Viewer | undefined {
  const entry = verifiedTokens.get(secret)?.get(token);
  if (!entry) return undefined;
  if (entry.expiresAtMs <= Date.now()) {
    verifiedTokens.get(secret)?.delete(token);
    return undefined;
  }
  return entry.viewer;
}

function rememberViewer(secret: string, token: string, viewer: Viewer, expiresAtMs: number): void {
  let tokens = verifiedTokens.get(secret);
  if (!tokens) verifiedTokens.set(secret, (tokens = new Map()));
  tokens.set(token, { viewer, expiresAtMs });
  if (tokens.size > VERIFIED_TOKENS_KEPT) tokens.delete(tokens.keys().next().value!);
}

/** Why a subgraph refuses a request: no or an invalid internal signature. */
export class InternalSignatureError extends Error {}

/**
 * Subgraph side of `signViewer`, strict: the viewer the gateway signed
 * (an anonymous caller included), or `InternalSignatureError` saying what
 * is missing or wrong.
 */
export async function verifyViewer(header: string | undefined | null, internalSecret: string | undefined): Promise<Viewer> {
  if (!internalSecret) {
    throw new InternalSignatureError("This subgraph has no INTERNAL_AUTH_SECRET: it answers only requests signed by the gateway");
  }
  if (!header) throw new InternalSignatureError(`Subgraphs answer only the gateway: the request carries no signed ${VIEWER_HEADER} header`);
  const remembered = rememberedViewer(internalSecret, header);
  if (remembered) return remembered;
  try {
    const { payload } = await jwtVerify(header, await internalKey(internalSecret), {
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      algorithms: ["HS256"],
    });
    const viewer = payload.sub === "anonymous" ? anonymousViewer : viewerOf(payload);
    // A token without `exp` (never one the gateway signs) is verified every time.
    if (typeof payload.exp === "number") rememberViewer(internalSecret, header, viewer, payload.exp * 1000);
    return viewer;
  } catch (error) {
    const reason = error instanceof Error ? error.message : "verification failed";
    throw new InternalSignatureError(`Subgraphs answer only the gateway: the ${VIEWER_HEADER} signature is invalid (${reason})`);
  }
}

/** Lenient `verifyViewer`: anything unverifiable is an anonymous caller. */
export async function readViewer(header: string | undefined | null, internalSecret: string | undefined): Promise<Viewer> {
  try {
    return await verifyViewer(header, internalSecret);
  } catch {
    return anonymousViewer;
  }
}

/**
 * type-graphql auth checker: `@Authorized(Scope.ContactsRead)` needs that
 * scope. A refused field is answered "Not authorised to read" (errors-format.ts);
 * a refused mutation is refused here, saying that running it needs the scope.
 */
export const scopeAuthChecker: AuthChecker<{ viewer: Viewer }> = ({ context, info }, required) => {
  const viewer = context.viewer;
  const missing = required.filter((scope) => !viewer.scopes.has(scope));
  if (viewer.subject && missing.length === 0) return true;
  if (info.parentType === info.schema.getMutationType()) {
    const why = viewer.subject
      ? `the token${viewer.role ? ` (role ${viewer.role})` : ""} lacks scope ${missing.join(" ")}`
      : "the request carries no token";
    const error = new ForbiddenError(
      `Not authorised to run the mutation "${info.fieldName}": it needs a token with scope ${required.join(" ")}; ${why}`,
    );
    error.extensions["requiredScopes"] = [...required];
    throw error;
  }
  return false;
};
