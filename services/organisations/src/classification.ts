import { BadUserInputError } from "@yhdyspinta/core";

/** Years for which the municipality classification is loaded, known at start-up. */
export interface Classification {
  years: readonly number[];
  /** The classification in force today: the latest loaded year not in the future. */
  currentYear: number;
}

export function resolveYear(classification: Classification, year: number | null | undefined, field = "year"): number {
  if (year === null || year === undefined) return classification.currentYear;
  if (!classification.years.includes(year)) {
    const first = classification.years[0];
    const last = classification.years.at(-1);
    throw new BadUserInputError(field, `no municipality classification for ${year}; available years are ${first}–${last}`);
  }
  return year;
}
