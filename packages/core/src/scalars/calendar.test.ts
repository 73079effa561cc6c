import { describe, expect, it } from "vitest";
import { formatHelsinki, formatHelsinkiIntl, helsinkiDate, helsinkiDateIntl, helsinkiToday } from "./calendar.ts";

describe("formatHelsinki", () => {
  it("writes the same text as Intl for instants across years, around every change of offset, and odd seconds", () => {
    const instants: Date[] = [];
    // Every 37 minutes and 13 seconds over 2023–2027: both sides of each DST change, fractional seconds.
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 37 * 60_000 + 13_117) instants.push(new Date(ms));
    // Each second of the hours around the 2026 changes (29.3. and 25.10. at 01:00 UTC).
    for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
      for (let ms = change - 3_600_000; ms < change + 3_600_000; ms += 997) instants.push(new Date(ms));
    }
    // Long ago (local mean time, +1:39:49) and far ahead.
    instants.push(new Date(Date.UTC(1900, 5, 1, 12, 0, 7)), new Date(Date.UTC(1921, 3, 30, 22, 20)), new Date(Date.UTC(2100, 6, 1, 9, 30)));
    const differing = instants.filter((i) => formatHelsinki(i) !== formatHelsinkiIntl(i));
    expect(differing.map((i) => [i.toISOString(), formatHelsinki(i), formatHelsinkiIntl(i)])).toEqual([]);
    expect(instants.length).toBeGreaterThan(70_000);
    expect(formatHelsinki(new Date("2026-07-01T09:00:00Z"))).toBe("2026-07-01T12:00:00+03:00");
    expect(formatHelsinki(new Date("2026-01-15T09:00:00.999Z"))).toBe("2026-01-15T11:00:00+02:00");
  });
});

describe("helsinkiDate", () => {
  it("gives the same day as Intl around midnight, across the changes of offset and long ago", () => {
    const instants: Date[] = [];
    // Every 7 minutes and 3 seconds over 2025–2027, and each minute of the hours around local midnight.
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 7 * 60_000 + 3_001) instants.push(new Date(ms));
    for (let day = Date.UTC(2026, 2, 26); day < Date.UTC(2026, 2, 31); day += 86_400_000) {
      for (let ms = day - 4 * 3_600_000; ms < day; ms += 60_000) instants.push(new Date(ms));
    }
    instants.push(new Date(Date.UTC(1900, 5, 1, 22, 30)), new Date(Date.UTC(999, 11, 31, 22, 30)), new Date(Date.UTC(2100, 11, 31, 22, 30)));
    const differing = instants.filter((i) => helsinkiDate(i) !== helsinkiDateIntl(i));
    expect(differing.map((i) => [i.toISOString(), helsinkiDate(i), helsinkiDateIntl(i)])).toEqual([]);
    // 21:30 UTC is the next day in Helsinki in summer (+3), the same day in winter (+2).
    expect(helsinkiDate(new Date("2026-07-01T21:30:00Z"))).toBe("2026-07-02");
    expect(helsinkiDate(new Date("2026-01-15T21:30:00Z"))).toBe("2026-01-15");
    expect(helsinkiToday(new Date("2026-12-31T22:00:00Z"))).toBe("2027-01-01");
    expect(() => helsinkiDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
