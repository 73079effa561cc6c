import { validate } from "class-validator";
import { getNamedType } from "graphql";
import { getMetadataStorage, type ValidatorFn } from "type-graphql";

/**
 * The class-validator problems of one argument, nested under the argument's
 * name, so that `formatError` names the full argument path
 * (`input.businessId`, `filter.countyCode`) in every service.
 */
export class InputValidationError extends Error {
  readonly validationErrors: readonly NestedProblem[];

  constructor(argumentName: string, errors: readonly NestedProblem[]) {
    super(`Argument "${argumentName}" is invalid`);
    this.name = "InputValidationError";
    this.validationErrors = [{ property: argumentName, children: errors }];
  }
}

/** What `formatError` reads of a class-validator `ValidationError`. */
interface NestedProblem {
  property: string;
  constraints?: Record<string, string>;
  children?: readonly NestedProblem[];
}

/** The GraphQL name type-graphql gave an input class (null for scalars and unknown classes). */
function inputTypeName(argType: unknown): string | null {
  return getMetadataStorage().inputTypes.find((t) => t.target === argType)?.name ?? null;
}

/** A value as JSON with keys sorted and undefined left out, to compare an input instance with its raw argument. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

interface FieldInfo {
  parentType: { getFields(): object };
  fieldName: string;
}

/**
 * The name of the argument of the running field that holds `argValue`: the
 * only argument of the value's input type, or among several of that type the
 * one whose value is equal.
 */
function argumentName(argValue: object, argType: unknown, info: FieldInfo, args: Record<string, unknown>): string {
  const typeName = inputTypeName(argType);
  const fields = info.parentType.getFields() as Record<string, { args: readonly { name: string; type: Parameters<typeof getNamedType>[0] }[] } | undefined>;
  const candidates = (fields[info.fieldName]?.args ?? []).filter(
    (a) => typeName !== null && getNamedType(a.type)?.name === typeName && args[a.name] != null,
  );
  if (candidates.length === 1) return candidates[0]!.name;
  const wanted = canonical(argValue);
  return (candidates.find((a) => canonical(args[a.name]) === wanted) ?? candidates[0])?.name ?? "input";
}

/**
 * type-graphql's argument validation (class-validator rules on input
 * classes), with the argument's name in front of each field. Registered once
 * in `buildServiceSchema` for every service.
 */
export const validateArgument: ValidatorFn = async (argValue, argType, resolverData) => {
  if (argValue === null || typeof argValue !== "object") return;
  const options = { skipMissingProperties: true, forbidUnknownValues: false };
  const name = argumentName(argValue, argType, resolverData.info, resolverData.args);
  if (Array.isArray(argValue)) {
    const errors: NestedProblem[] = [];
    for (const [index, item] of argValue.entries()) {
      if (item === null || typeof item !== "object") continue;
      const problems = await validate(item as object, options);
      if (problems.length) errors.push({ property: `[${index}]`, children: problems });
    }
    if (errors.length) throw new InputValidationError(name, errors);
    return;
  }
  const errors = await validate(argValue, options);
  if (errors.length) throw new InputValidationError(name, errors);
};
