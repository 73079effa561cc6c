import type { GraphQLFormattedError } from "graphql";

/** What production mode changes at the gateway (README, "Production mode"). */
export interface ExposureOptions {
  /** Serve introspection (default true; off in production unless ALLOW_INTROSPECTION=true). */
  introspection?: boolean;
  /** Keep graphql-js's "Did you mean …?" hints (default true; off with introspection). */
  fieldSuggestions?: boolean;
  /** Answer callers without a token (default true; ALLOW_ANONYMOUS=false refuses them with 401). */
  allowAnonymous?: boolean;
}

const SUGGESTION = / ?Did you mean .*\?$/;

/** Removes field, type and argument suggestions, which would reveal the schema that introspection hides. */
export function withoutSuggestions(
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const result = formatError(formatted, error);
    const reason = result.extensions?.["reason"];
    // A refused variable repeats its rule in `extensions.reason`.
    const extensions = typeof reason === "string" && SUGGESTION.test(reason) ? { ...result.extensions, reason: reason.replace(SUGGESTION, "") } : result.extensions;
    return SUGGESTION.test(result.message) || extensions !== result.extensions
      ? { ...result, message: result.message.replace(SUGGESTION, ""), ...(extensions ? { extensions } : {}) }
      : result;
  };
}
