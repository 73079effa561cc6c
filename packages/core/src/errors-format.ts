import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flattenValidation(errors: ValidationErrorLike[], prefix = ""): { field: string; reason: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * Shapes every error a caller sees: known codes pass through; class-validator
 * failures become `BAD_USER_INPUT` naming the field; anything unexpected is
 * logged (message only) and answered as a bare internal error, never a stack
 * trace or SQL text.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error) as
    | { validationErrors?: ValidationErrorLike[]; extensions?: { validationErrors?: ValidationErrorLike[] } }
    | undefined;
  const code = formatted.extensions?.["code"];
  // type-graphql 2 puts class-validator failures in `extensions.validationErrors`
  // of its ArgumentValidationError (older versions: on the error itself).
  const validationErrors = original?.validationErrors ?? original?.extensions?.validationErrors;
  if (Array.isArray(validationErrors)) {
    const problems = flattenValidation(validationErrors);
    const first = problems[0];
    return {
      message: first ? `Invalid value for "${first.field}": ${first.reason}` : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "BAD_USER_INPUT", field: first?.field, reason: first?.reason, problems },
    };
  }
  // type-graphql's @Authorized failures (field-level, so they carry a path).
  if ((code === "UNAUTHORIZED" || code === "UNAUTHENTICATED") && formatted.path) {
    return {
      message: `Not authorised to read ${formatted.path ? `"${formatted.path.join(".")}"` : "this field"}: it needs a token with the required scope`,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "FORBIDDEN" },
    };
  }
  if (code === "INTERNAL_SERVER_ERROR" || code === undefined) {
    console.error("internal error:", original instanceof Error ? original.message : formatted.message);
    return {
      message: "Internal server error",
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}
