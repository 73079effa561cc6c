import { describe, expect, it } from "vitest";
import { addMonths, ANONYMISED, assertCanHandleDataSubject, scrubValues, ViewerRole, type Viewer } from "@yhdyspinta/core";
import { retainedUntil } from "../src/personal-data/personal-data.rules.ts";

const SETTINGS = { contactMonths: 24, rejectedNomineeMonths: 12 };
const roles = (over: Partial<Parameters<typeof retainedUntil>[0]>) => ({ hasRoles: true, ongoing: false, lastRoleEndedOn: null, lastNotAppointedRoundClosedOn: null, appointedSeat: null, ...over });
const viewer = (role: ViewerRole | null, counties: string[] = []): Viewer => ({ subject: "someone", role, scopes: new Set(), counties: new Set(counties) });

describe("retention rules", () => {
  it("adds calendar months, clamping the day to the month's last", () => {
    expect(addMonths("2023-06-30", 24)).toBe("2025-06-30");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2023-11-30", 12)).toBe("2024-11-30");
    expect(addMonths("2024-12-15", 0)).toBe("2024-12-15");
    expect(addMonths("2024-12-15", 13)).toBe("2026-01-15");
  });

  it("keeps a person while a role continues or none ever ended, else until the later period ends", () => {
    expect(retainedUntil(roles({ lastRoleEndedOn: "2023-06-30" }), SETTINGS)).toBe("2025-06-30");
    expect(retainedUntil(roles({ lastNotAppointedRoundClosedOn: "2023-11-30" }), SETTINGS)).toBe("2024-11-30");
    // Both: the later of the two.
    expect(retainedUntil(roles({ lastRoleEndedOn: "2020-01-31", lastNotAppointedRoundClosedOn: "2023-11-30" }), SETTINGS)).toBe("2024-11-30");
    expect(retainedUntil(roles({ lastRoleEndedOn: "2023-06-30", lastNotAppointedRoundClosedOn: "2023-11-30" }), SETTINGS)).toBe("2025-06-30");
    expect(retainedUntil(roles({ lastRoleEndedOn: "2023-06-30", ongoing: true }), SETTINGS)).toBeNull();
    expect(retainedUntil(roles({ hasRoles: false }), SETTINGS)).toBeNull();
    expect(retainedUntil(roles({}), SETTINGS)).toBeNull();
    expect(retainedUntil(roles({ lastRoleEndedOn: "2023-06-30" }), { contactMonths: 6, rejectedNomineeMonths: 12 })).toBe("2023-12-30");
  });

  it("replaces every string holding an erased value, however deep, and leaves the rest", () => {
    expect(scrubValues({ a: "Liisa Esimerkki", b: ["x", { c: "kirjoitti Liisa Esimerkki" }], d: 3, e: null }, ["Liisa Esimerkki"])).toEqual({
      a: ANONYMISED,
      b: ["x", { c: ANONYMISED }],
      d: 3,
      e: null,
    });
  });

  it("lets an admin, or the data protection officer of the person's county, answer a request", () => {
    expect(() => assertCanHandleDataSubject(viewer(ViewerRole.Admin), null)).not.toThrow();
    expect(() => assertCanHandleDataSubject(viewer(ViewerRole.DataProtection, ["12"]), "12")).not.toThrow();
    for (const [who, county] of [
      [viewer(ViewerRole.DataProtection, ["12"]), "14"],
      [viewer(ViewerRole.DataProtection, ["12"]), null],
      [viewer(ViewerRole.Coordinator, ["12"]), "12"],
      [viewer(ViewerRole.Analyst), "12"],
      [viewer(null), "12"],
      [{ ...viewer(ViewerRole.Admin), subject: null }, "12"],
    ] as const) {
      expect(() => assertCanHandleDataSubject(who, county), `${who.role} ${county}`).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "FORBIDDEN" }) }));
    }
  });
});
