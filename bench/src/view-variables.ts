import type { ViewName } from "../../views/index.ts";

const COUNTIES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "90"];
// Days within the synthetic council term (memberships start 2025-06-01).
const DAYS = ["2025-09-01", "2025-12-15", "2026-02-01", "2026-04-30", "2026-06-15"];

/**
 * Variables per view: many different requests, so no gateway answers from an
 * identical in-flight one. `counties` (default all 22) limits them to the
 * counties a dataset holds; fewer than five are cycled so that the days still vary.
 */
export function variableSets(view: ViewName, counties: readonly string[] = COUNTIES): Record<string, unknown>[] {
  const sets: Record<string, unknown>[] = [];
  const codes = Array.from({ length: Math.max(counties.length, DAYS.length) }, (_, i) => counties[i % counties.length]!);
  codes.forEach((code, i) => {
    const day = DAYS[i % DAYS.length]!;
    switch (view) {
      case "partnership-groups-by-municipality":
        sets.push({ countyCodes: [...new Set([code, counties[(counties.indexOf(code) + 1) % counties.length]!])], activeOn: day });
        break;
      case "coverage-matrix":
        sets.push({ countyCode: code });
        break;
      case "nomination-status":
        sets.push({ countyCode: code, closedSince: DAYS[(i + 1) % 3] });
        break;
      case "meeting-calendar":
        sets.push({ countyCode: code, from: day, to: `${Number(day.slice(0, 4)) + 1}${day.slice(4)}` });
        break;
      case "representation":
        sets.push({ countyCode: code, activeOn: day });
        break;
      case "plan-follow-up":
        sets.push({ countyCode: code });
        break;
    }
  });
  return sets;
}
