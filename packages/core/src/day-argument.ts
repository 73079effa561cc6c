import { BadUserInputError } from "./errors.ts";

/**
 * The one name of the "on which day" argument across the supergraph
 * (docs/API.md, "Days"): `activeOn`. Older names (`asOn`, `asOf`, `on`,
 * `date`) stay as deprecated aliases; this reads either, and refuses the two
 * when they name different days (BAD_USER_INPUT naming the old argument).
 */
export const DAY_ARGUMENT = "activeOn";
export const DAY_ARGUMENT_DEPRECATION = "Use activeOn.";

export function dayArgument(activeOn: string | null | undefined, legacy: string | null | undefined, legacyName: string): string | null {
  if (activeOn != null && legacy != null && activeOn !== legacy) {
    throw new BadUserInputError(legacyName, `is a deprecated name of activeOn; give activeOn alone (here ${legacyName} ${legacy} and activeOn ${activeOn} differ)`);
  }
  return activeOn ?? legacy ?? null;
}
