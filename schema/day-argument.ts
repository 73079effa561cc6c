import { Kind, parse, type TypeNode } from "graphql";

/**
 * One name for "on which day" across the supergraph: `activeOn` (docs/API.md,
 * "Days"). The rule: on a field of a query type (any object or interface type
 * but `Mutation` and `Subscription`, whose dates are values to write), an
 * argument of type `Date` whose name says "on/as of which day" — `on`, `at`,
 * `of`, `day`, `date`, `when`, any name starting `as` + a capital (`asOn`,
 * `asOf`, `asAt`), or ending in `On`, `Of`, `At`, `Day` or `Date` — is
 * `activeOn`, or carries `@deprecated` (an old name kept working). Range
 * bounds (`from`, `to`, `closedSince`) are not "on which day" and pass.
 */
export const DAY_ARGUMENT = "activeOn";
const DAY_NAME = /^(on|at|of|day|date|when|as[A-Z]\w*|\w+(On|Of|At|Day|Date))$/;
const WRITE_TYPES = new Set(["Mutation", "Subscription"]);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** `Type.field(argument)` of every argument that breaks the rule, sorted. */
export function dayArgumentViolations(sdl: string): string[] {
  const found: string[] = [];
  for (const def of parse(sdl).definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) continue;
    if (WRITE_TYPES.has(def.name.value)) continue;
    for (const field of def.fields ?? []) {
      for (const arg of field.arguments ?? []) {
        if (namedType(arg.type) !== "Date") continue;
        const name = arg.name.value;
        if (name === DAY_ARGUMENT || !DAY_NAME.test(name)) continue;
        if (arg.directives?.some((d) => d.name.value === "deprecated")) continue;
        found.push(`${def.name.value}.${field.name.value}(${name})`);
      }
    }
  }
  return found.sort();
}
