import { Kind, parse, type OperationDefinitionNode, type TypeNode } from "graphql";
import { dateProblem } from "@yhdyspinta/core";
import { HttpRouteError } from "../http-routes.ts";

/** Query parameters that steer the export itself, not the view's variables. */
export const FORMAT_PARAMETERS = new Set(["excel", "knownAt"]);

interface VariableSpec {
  name: string;
  type: string;
  list: boolean;
  required: boolean;
  hasDefault: boolean;
}

/** The variables an operation declares, read from its document. */
export function variableSpecs(document: string): VariableSpec[] {
  const operation = parse(document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error("The document has no operation");
  return (operation.variableDefinitions ?? []).map((definition) => {
    let node: TypeNode = definition.type;
    const required = node.kind === Kind.NON_NULL_TYPE;
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
    const list = node.kind === Kind.LIST_TYPE;
    while (node.kind !== Kind.NAMED_TYPE) node = node.type;
    return {
      name: definition.variable.name.value,
      type: node.name.value,
      list,
      required,
      hasDefault: definition.defaultValue !== undefined,
    };
  });
}

function scalar(spec: VariableSpec, text: string): unknown {
  const fail = (rule: string): never => {
    throw new HttpRouteError(400, `Invalid value for "${spec.name}": ${rule}, got "${text}"`, spec.name);
  };
  switch (spec.type) {
    case "Boolean":
      if (text === "true" || text === "false") return text === "true";
      return fail("must be true or false");
    case "Int": {
      if (!/^-?\d{1,9}$/.test(text)) return fail("must be an integer");
      return Number(text);
    }
    case "Date": {
      // The Date scalar's own check and rule (core/scalars): a real day in the supported range.
      const problem = dateProblem(text);
      return problem === null ? text : fail(problem);
    }
    case "ID":
    case "String":
      return text.length > 0 && text.length <= 200 ? text : fail("must be 1–200 characters");
    default:
      // An enum: the GraphQL API checks the value against its type and names the variable.
      return /^[A-Z][A-Z0-9_]*$/.test(text) ? text : fail(`must be a ${spec.type} value (upper-case name)`);
  }
}

/**
 * The view's variables from URL query parameters: a list as repeated or
 * comma-separated parameters, booleans as true/false, dates as YYYY-MM-DD.
 * Unknown or malformed parameters and missing required ones are a 400 naming
 * the parameter.
 */
export function variablesFromQuery(document: string, params: URLSearchParams): Record<string, unknown> {
  const specs = variableSpecs(document);
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const key of new Set(params.keys())) {
    if (!byName.has(key) && !FORMAT_PARAMETERS.has(key)) {
      const known = [...byName.keys(), ...FORMAT_PARAMETERS].join(", ");
      throw new HttpRouteError(400, `Unknown parameter "${key}"; this export takes: ${known}`, key);
    }
  }
  const variables: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = params.getAll(spec.name);
    if (raw.length === 0) {
      if (spec.required && !spec.hasDefault) {
        throw new HttpRouteError(400, `Missing required parameter "${spec.name}" (${spec.list ? `list of ${spec.type}` : spec.type})`, spec.name);
      }
      continue;
    }
    if (spec.list) {
      const items = raw.flatMap((r) => r.split(",")).map((r) => r.trim()).filter((r) => r.length > 0);
      variables[spec.name] = items.map((item) => scalar(spec, item));
    } else {
      if (raw.length > 1) throw new HttpRouteError(400, `Parameter "${spec.name}" takes one value, got ${raw.length}`, spec.name);
      variables[spec.name] = scalar(spec, raw[0]!.trim());
    }
  }
  return variables;
}

/**
 * The same variables from a JSON object (the CLI), checked the same way. The
 * object holds the operation's variables only: any other key (also `excel`
 * and `knownAt`, which are the CLI's flags) is an unknown parameter.
 */
export function variablesFromJson(document: string, json: Record<string, unknown>): URLSearchParams {
  const names = variableSpecs(document).map((s) => s.name);
  for (const key of Object.keys(json)) {
    if (!names.includes(key)) throw new HttpRouteError(400, `Unknown parameter "${key}"; this export takes: ${names.join(", ")}`, key);
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(json)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  variablesFromQuery(document, params);
  return params;
}

/** Whether `?excel=true` asks for the Excel variant. */
export function excelRequested(params: URLSearchParams): boolean {
  const value = params.get("excel");
  if (value === null || value === "false") return false;
  if (value === "true" || value === "") return true;
  throw new HttpRouteError(400, `Invalid value for "excel": must be true or false, got "${value}"`, "excel");
}
