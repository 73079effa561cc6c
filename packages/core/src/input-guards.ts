import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type ASTVisitor, GraphQLError, type ValidationContext, visit } from "graphql";

/** A BAD_USER_INPUT answered with HTTP 400 before execution starts. */
function badInput(message: string, field: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field, reason, http: { status: 400 } } });
}

/** Path of the first string holding a NUL character inside `value`, or null. */
export function nulPath(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulPath(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses, with 400 before execution, what the executor would otherwise
 * answer with a 500: a document whose operation cannot be chosen (several
 * operations and no or an unknown `operationName`), and NUL characters in
 * variables and string literals (PostgreSQL text cannot hold them, and no
 * field of this API needs one).
 */
export function inputGuardsPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) {
            const message = request.operationName
              ? `Unknown operation named "${request.operationName}"`
              : "Must provide operationName: the document holds several operations";
            throw badInput(message, "operationName", request.operationName ? "names no operation of the document" : "is required");
          }
          // JSON text escapes every NUL as \u0000: one native scan of the variables
          // (an `_entities` batch holds thousands of representations) before the walk that names the path.
          const inVariables = request.variables && JSON.stringify(request.variables).includes("\\u0000") ? nulPath(request.variables, "$") : null;
          if (inVariables) {
            const field = inVariables.slice(2);
            throw badInput(`Invalid value for "${field}": must not contain NUL characters`, field, "must not contain NUL characters");
          }
          let literal: string | null = null;
          visit(document, {
            Argument(node) {
              if (literal !== null) return;
              visit(node.value, {
                StringValue(value) {
                  if (value.value.includes("\u0000")) literal = node.name.value;
                },
              });
            },
          });
          if (literal !== null) {
            throw badInput(`Invalid value for "${literal}": must not contain NUL characters`, literal, "must not contain NUL characters");
          }
        },
      };
    },
  };
}

/**
 * This API serves queries and mutations over HTTP; a subscription is a
 * client mistake (400), not an error of the query planner (500).
 */
export function noSubscriptionsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === "subscription") {
        context.reportError(new GraphQLError("Subscriptions are not supported: send a query or a mutation", { nodes: [node] }));
      }
    },
  };
}
