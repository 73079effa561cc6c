import { registerDecorator, type ValidationOptions } from "class-validator";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Checks a Finnish business ID (Y-tunnus): `NNNNNNN-C`, where C is the check
 * digit computed from the first seven digits with weights 7,9,10,5,8,4,2:
 * r = sum mod 11; r = 0 → 0, r = 1 → no valid ID, otherwise 11 − r.
 * Source: the Finnish Tax Administration's algorithm as implemented in
 * npm `finnish-business-ids` 3.1.1 (example: 0112038-9 is valid).
 */
export function isValidBusinessId(value: string): boolean {
  const match = /^(\d{7})-(\d)$/.exec(value);
  if (!match) return false;
  const digits = match[1]!;
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
  const r = sum % 11;
  if (r === 1) return false;
  const check = r === 0 ? 0 : 11 - r;
  return check === Number(match[2]);
}

/** class-validator decorator: a valid Y-tunnus (null/undefined pass; combine with @IsOptional). */
export function IsBusinessId(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    registerDecorator({
      name: "isBusinessId",
      target: object.constructor,
      propertyName,
      ...(options ? { options } : {}),
      validator: {
        validate: (value: unknown) => typeof value === "string" && isValidBusinessId(value),
        defaultMessage: () => "must be a Finnish business ID (Y-tunnus) NNNNNNN-C with a valid check digit",
      },
    });
  };
}
