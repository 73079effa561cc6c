import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type ASTVisitor, GraphQLError, Kind, type ValidationContext, type ValueNode, visit } from "graphql";

/** A BAD_USER_INPUT answered with HTTP 400 before execution starts. */
function badInput(message: string, field: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field, reason, http: { status: 400 } } });
}

/**
 * Control characters no field of this API holds: the C0 controls other than
 * TAB, LF and CR (NUL among them: PostgreSQL text cannot hold it), DEL and
 * the C1 controls. They are refused, not stripped: a caller learns that what
 * it sent is not what would be stored.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Fields that are one line of text: names, titles, labels, places. They hold no TAB, LF or CR either. */
const SINGLE_LINE_FIELD = /^(name|shortName|title|label|location)$|Names?$/;
/** Line breaks and TAB, refused in single-line fields. */
const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** The rule a string breaks in the field `key`, or null. */
function textRule(text: string, key: string | null): string | null {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (CONTROL.test(text)) return "must not contain control characters";
  if (key !== null && SINGLE_LINE_FIELD.test(key) && LINE_BREAK_OR_TAB.test(text)) return "must be one line of text: no line breaks or TAB";
  return null;
}

/** A string that breaks a text rule, by its path (`$.input.name`) and the rule. */
export interface TextProblem {
  path: string;
  rule: string;
}

/**
 * The first string inside `value` that breaks a text rule (`textRule`), by
 * its path; `key` is the name of the field holding `value`.
 */
export function textProblem(value: unknown, path: string, key: string | null = null): TextProblem | null {
  if (typeof value === "string") {
    const rule = textRule(value, key);
    return rule === null ? null : { path, rule };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = textProblem(value[i], `${path}[${i}]`, key);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [name, inner] of Object.entries(value)) {
      const found = textProblem(inner, `${path}.${name}`, name);
      if (found) return found;
    }
  }
  return null;
}

/**
 * What JSON text shows of any character `textRule` refuses: the escapes of
 * C0 controls (`\u00XX`, `\t`, `\n`, `\r`, `\b`, `\f`) and raw DEL and C1
 * controls, which JSON.stringify leaves as they are. A hit (also a
 * backslash the text itself holds) only starts the exact walk.
 */
const SUSPECT_IN_JSON = /\\(?:u00[01]|[btnfr])|[\u007f-\u009f]/;

/** The path of a string literal inside an argument's value, as in variables. */
function literalProblem(node: ValueNode, path: string, key: string | null): TextProblem | null {
  switch (node.kind) {
    case Kind.STRING: {
      const rule = textRule(node.value, key);
      return rule === null ? null : { path, rule };
    }
    case Kind.LIST:
      for (const [i, item] of node.values.entries()) {
        const found = literalProblem(item, `${path}[${i}]`, key);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = literalProblem(field.value, `${path}.${field.name.value}`, field.name.value);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/**
 * Refuses, with 400 before execution, what the executor would otherwise
 * answer with a 500: a document whose operation cannot be chosen (several
 * operations and no or an unknown `operationName`), and control characters
 * in variables and string literals (`textRule`: NUL, which PostgreSQL text
 * cannot hold, and every other control but TAB, LF and CR; and those three
 * in names, titles, labels and locations, which are one line: a CSV or
 * calendar reader would split a row there), naming the field and the rule.
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
          // JSON text shows every refused character as an escape or a raw C1 character:
          // one native scan of the variables (an `_entities` batch holds thousands of
          // representations) before the walk that names the path.
          const inVariables =
            request.variables && SUSPECT_IN_JSON.test(JSON.stringify(request.variables)) ? textProblem(request.variables, "$") : null;
          if (inVariables) {
            const field = inVariables.path.slice(2);
            throw badInput(`Invalid value for "${field}": ${inVariables.rule}`, field, inVariables.rule);
          }
          let literal: TextProblem | null = null;
          visit(document, {
            Argument(node) {
              literal ??= literalProblem(node.value, node.name.value, node.name.value);
            },
          });
          if (literal !== null) {
            const { path, rule } = literal as TextProblem;
            throw badInput(`Invalid value for "${path}": ${rule}`, path, rule);
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
