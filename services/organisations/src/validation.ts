import { validate, type ValidationError } from "class-validator";
import { BadUserInputError } from "@yhdyspinta/core";

function firstProblem(errors: ValidationError[], prefix: string): { field: string; reason: string } | null {
  for (const error of errors) {
    const field = `${prefix}.${error.property}`;
    const reason = Object.values(error.constraints ?? {})[0];
    if (reason) return { field, reason };
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/**
 * Validates an input object with its class-validator rules and throws
 * `BAD_USER_INPUT` naming the field with the argument's name in front
 * (`input.businessId`), which type-graphql's own argument validation does not
 * do. Arguments validated here are declared with `validate: false`.
 */
export async function validateInput(value: object, argumentName: string): Promise<void> {
  const errors = await validate(value, { skipMissingProperties: true, forbidUnknownValues: false });
  const problem = firstProblem(errors, argumentName);
  if (problem) throw new BadUserInputError(problem.field, problem.reason);
}
