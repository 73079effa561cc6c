import { describe, expect, it } from "vitest";
import { parseScrubRequest, redactValues } from "./personal-data-scrub.ts";

describe("redactValues", () => {
  it("replaces each value where it occurs, longer values first, in strings of any depth, keys left alone", () => {
    const values = ["Aino Virta", "aino.virta@example.invalid", "Aino Virta-Koski"];
    expect(
      redactValues(
        { "Aino Virta": "Puheenjohtaja Aino Virta-Koski, sihteeri Aino Virta (aino.virta@example.invalid)", list: ["Aino Virta", 3, null, { deep: "x Aino Virta y" }] },
        values,
      ),
    ).toEqual({ "Aino Virta": "Puheenjohtaja (anonymised), sihteeri (anonymised) ((anonymised))", list: ["(anonymised)", 3, null, { deep: "x (anonymised) y" }] });
    expect(redactValues("nothing here", values)).toBe("nothing here");
  });
});

describe("parseScrubRequest", () => {
  const good = { erasureId: "0b6c6f1e-3c1e-4a53-9f3e-2a1b0c9d8e7f", personId: "person-1", values: ["Aino Virta"], reason: "erasure on request: DP-1", requestedBy: "dpo" };

  it("takes a well-formed request", () => {
    expect(parseScrubRequest(good)).toEqual(good);
    expect(parseScrubRequest({ ...good, requestedBy: undefined })).toEqual({ ...good, requestedBy: null });
  });

  it("names the field of a bad one", () => {
    expect(parseScrubRequest([])).toMatch(/^the body/);
    expect(parseScrubRequest({ ...good, erasureId: "a b" })).toMatch(/^erasureId/);
    expect(parseScrubRequest({ ...good, personId: 7 })).toMatch(/^personId/);
    expect(parseScrubRequest({ ...good, values: "Aino" })).toMatch(/^values/);
    expect(parseScrubRequest({ ...good, values: Array.from({ length: 201 }, () => "x") })).toMatch(/^values/);
    expect(parseScrubRequest({ ...good, reason: null })).toMatch(/^reason/);
    expect(parseScrubRequest({ ...good, requestedBy: 5 })).toMatch(/^requestedBy/);
  });
});
