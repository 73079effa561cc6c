import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { isDatabaseTimeout, isDatabaseUnavailable } from "./database-timeouts.ts";
import { loggedService, logger } from "./logger.ts";
import { currentRequestId } from "./request-id.ts";
import { uniqueRuleOf } from "./unique-rules.ts";

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: readonly ValidationErrorLike[];
}

function flattenValidation(errors: readonly ValidationErrorLike[], prefix = ""): { field: string; reason: string }[] {
  return errors.flatMap((e) => {
    const field = !prefix ? e.property : e.property.startsWith("[") ? `${prefix}${e.property}` : `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * An error message fit for the server log: quoted values (PostgreSQL quotes
 * the offending input, e.g. `invalid input syntax for type date: "…"`),
 * e-mail addresses and long digit runs (phone numbers) are replaced, since
 * personal data must never reach the logs.
 */
export function redactForLog(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"[redacted]"')
    .replace(/'[^']*'/g, "'[redacted]'")
    .replace(/[^\s@()<>"']+@[^\s@()<>"']+/g, "[redacted e-mail]")
    .replace(/\+?\d[\d\s-]{5,}\d/g, "[redacted number]");
}

/**
 * The input path and rule of a variable that graphql-js refused while coercing
 * the request's variables (`Variable "$i" got invalid value "2026-13-45" at
 * "i.startsOn"; Expected type "Date". …`), or null for any other message. The
 * path is the variable's (`startsOn`, `i.startsOn`, `i.municipalityCodes[1]`),
 * written as the other input errors write argument paths.
 */
export function variableProblem(message: string): { field: string; reason: string } | null {
  const head = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" /.exec(message);
  if (!head) return null;
  const name = head[1]!;
  const rest = message.slice(head[0].length);
  const missing = /^(of required type "[^"]+" was not provided|of non-null type "[^"]+" must not be null)\.?$/.exec(rest);
  if (missing) return { field: name, reason: missing[1]!.replace(/^of /, "") };
  if (!rest.startsWith("got invalid value ")) return null;
  // The value is printed JSON-quoted, so a quote directly before `; ` ends the path (a GraphQL name needs no escaping).
  const at = new RegExp(` at "(${name}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*)"; `).exec(rest);
  let field = name;
  let reason: string;
  if (at) {
    field = at[1]!;
    reason = rest.slice(at.index + at[0].length);
  } else {
    // Without a path the rule follows the printed value: the first `; ` before a sentence.
    const split = /; (?=[A-Z])/.exec(rest);
    reason = split ? rest.slice(split.index + 2) : rest;
  }
  // A missing or unknown field of an input object names that field.
  const inner = /^Field "([_A-Za-z][_0-9A-Za-z]*)" (?:of required type|is not defined by type)/.exec(reason);
  if (inner) field = `${field}.${inner[1]!}`;
  return { field, reason: reason.replace(/\.$/, "") };
}

/** What every kind's helper reads of one error. */
interface ErrorCase {
  /** The error as Apollo Server formatted it. */
  formatted: GraphQLFormattedError;
  /** The error as thrown (the GraphQLError). */
  error: unknown;
  /** What the resolver threw, unwrapped. */
  original: { validationErrors?: ValidationErrorLike[]; extensions?: { validationErrors?: unknown }; code?: unknown } | undefined;
  code: unknown;
  /** No known code: an internal error unless a helper below knows its kind. */
  uncoded: boolean;
}

/** `locations` and `path` of the formatted error, where it has them. */
function located(formatted: GraphQLFormattedError, withLocations = true): Pick<GraphQLFormattedError, "locations" | "path"> {
  return {
    ...(withLocations && formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}

/** The last field name of the error's path, or `fallback`. */
function fieldOfPath(formatted: GraphQLFormattedError, fallback: string): string {
  return [...(formatted.path ?? [])].reverse().find((p): p is string => typeof p === "string") ?? fallback;
}

/** A `BAD_USER_INPUT` answer at the error's place. */
function badUserInput(formatted: GraphQLFormattedError, message: string, extensions: Record<string, unknown>): GraphQLFormattedError {
  return { message, ...located(formatted), extensions: { code: "BAD_USER_INPUT", ...extensions } };
}

/** The formatted error with its extensions but the stack trace. */
function withoutStacktrace(formatted: GraphQLFormattedError, extra: Record<string, unknown> = {}): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, ...extra } };
}

/**
 * class-validator failures: type-graphql 2.0 (ArgumentValidationError) carries
 * them in `extensions.validationErrors`, together with the whole input as
 * `target`: never pass those on, only field and reason.
 */
function validationFailure({ formatted, original }: ErrorCase): GraphQLFormattedError | null {
  const validationErrors = original?.validationErrors ?? original?.extensions?.validationErrors;
  if (!Array.isArray(validationErrors)) return null;
  const problems = flattenValidation(validationErrors as ValidationErrorLike[]);
  const first = problems[0];
  return badUserInput(formatted, first ? `Invalid value for "${first.field}": ${first.reason}` : formatted.message, { field: first?.field, reason: first?.reason, problems });
}

/**
 * A variable refused during variable coercion (Apollo Server has already
 * coded it BAD_USER_INPUT, both engines and the subgraphs alike) names its
 * input path like every other input error.
 */
function variableFailure({ formatted, code }: ErrorCase): GraphQLFormattedError | null {
  if (code !== "BAD_USER_INPUT" || formatted.extensions?.["field"] !== undefined) return null;
  const problem = variableProblem(formatted.message);
  return problem ? withoutStacktrace(formatted, { field: problem.field, reason: problem.reason }) : null;
}

/**
 * type-graphql's @Authorized failures (field-level, so they carry a path).
 * The message names the field only: a subgraph's path (`_entities.0.email`)
 * means nothing to the caller, who gets the gateway's own `path`.
 */
function authorisationFailure({ formatted, code }: ErrorCase): GraphQLFormattedError | null {
  if ((code !== "UNAUTHORIZED" && code !== "UNAUTHENTICATED") || !formatted.path) return null;
  const field = fieldOfPath(formatted, "this field");
  return { message: `Not authorised to read "${field}": it needs a token with the required scope`, ...located(formatted), extensions: { code: "FORBIDDEN" } };
}

/**
 * Apollo Server's own request errors without a code (e.g. "provided sha
 * does not match query") carry their 4xx status: the caller's mistake.
 */
function requestFailure({ formatted, error }: ErrorCase): GraphQLFormattedError | null {
  const raw = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | undefined)?.extensions;
  const httpStatus = raw?.http?.status;
  if (raw?.code !== undefined || typeof httpStatus !== "number" || httpStatus < 400 || httpStatus >= 500) return null;
  return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
}

/**
 * A unique index that enforces a natural key (unique-rules.ts) refused a
 * write that passed the resolver's check in parallel with another: the
 * caller's duplicate, answered by the index's rule; the transaction was
 * rolled back, so nothing of the write remains.
 */
function uniqueViolation({ formatted, original, uncoded }: ErrorCase): GraphQLFormattedError | null {
  const unique = uncoded ? uniqueRuleOf(original) : undefined;
  return unique ? badUserInput(formatted, `Invalid value for "${unique.field}": ${unique.reason}`, { field: unique.field, reason: unique.reason }) : null;
}

/**
 * PostgreSQL class 22 (data exception: invalid text representation, NUL
 * character, date out of range …) means a value from the request did not
 * fit its column: the caller's mistake, answered without the SQL text.
 */
function dataException({ formatted, original, uncoded }: ErrorCase): GraphQLFormattedError | null {
  const sqlState = original?.code;
  if (!uncoded || typeof sqlState !== "string" || !/^22[0-9A-Z]{3}$/.test(sqlState)) return null;
  const field = fieldOfPath(formatted, "argument");
  return badUserInput(formatted, `Invalid value in the arguments of "${field}": a value does not have the form its field requires`, { field, reason: "does not have the required form" });
}

function databaseTimeout({ formatted, original, uncoded }: ErrorCase): GraphQLFormattedError | null {
  if (!uncoded || !isDatabaseTimeout(original)) return null;
  return { message: "The database did not answer in time; the request was stopped. Try again later.", ...located(formatted, false), extensions: { code: "DATABASE_TIMEOUT" } };
}

function databaseUnavailable({ formatted, original, uncoded }: ErrorCase): GraphQLFormattedError | null {
  if (!uncoded || !isDatabaseUnavailable(original)) return null;
  const serviceName = loggedService();
  logger().warn({ path: formatted.path?.join(".") ?? null }, "database unavailable");
  return {
    message: `The ${serviceName ? `${serviceName} service's ` : ""}database is unavailable; the request was stopped. Try again later.`,
    ...located(formatted, false),
    extensions: { code: "DATABASE_UNAVAILABLE", ...(serviceName ? { serviceName } : {}) },
  };
}

/** Anything unexpected: logged (message only, redacted) and answered as a bare internal error with the request id. */
function internalError({ formatted, original, uncoded }: ErrorCase): GraphQLFormattedError | null {
  if (!uncoded) return null;
  const name = original instanceof Error ? original.name : "Error";
  const message = original instanceof Error ? original.message : formatted.message;
  const requestId = currentRequestId();
  logger().error({ errorName: name, path: formatted.path?.join(".") ?? null, error: redactForLog(message) }, "internal error");
  return {
    message: requestId ? `Internal server error (request ${requestId})` : "Internal server error",
    ...located(formatted, false),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(requestId ? { requestId } : {}) },
  };
}

/** The kinds, in the order they are tried: the first that knows the error answers it. */
const ERROR_KINDS: readonly ((c: ErrorCase) => GraphQLFormattedError | null)[] = [
  validationFailure,
  variableFailure,
  authorisationFailure,
  requestFailure,
  uniqueViolation,
  dataException,
  databaseTimeout,
  databaseUnavailable,
  internalError,
];

/**
 * Shapes every error a caller sees: known codes pass through; class-validator
 * failures become `BAD_USER_INPUT` naming the field by its full argument path
 * (`input.endsOn`, see validation.ts); anything unexpected is
 * logged (message only) and answered as a bare internal error, never a stack
 * trace or SQL text. One helper per kind of error above.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const answer = formatErrorOnce(formatted, error);
  if (typeof error === "object" && error !== null) answeredCodes.set(error, String(answer.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR"));
  return answer;
}

/** The code each error was answered with by `formatError`, by the error it was given. */
const answeredCodes = new WeakMap<object, string>();

/**
 * The code the caller was answered for this error (`formatError` ran on it),
 * e.g. BAD_USER_INPUT for a class-validator failure whose own code is none:
 * the operation log writes what the caller saw. Undefined if not formatted.
 */
export function answeredCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? answeredCodes.get(error) : undefined;
}

function formatErrorOnce(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.["code"];
  const kase: ErrorCase = {
    formatted,
    error,
    original: unwrapResolverError(error) as ErrorCase["original"],
    code,
    uncoded: code === "INTERNAL_SERVER_ERROR" || code === undefined,
  };
  for (const kind of ERROR_KINDS) {
    const answer = kind(kase);
    if (answer) return answer;
  }
  return withoutStacktrace(formatted);
}
