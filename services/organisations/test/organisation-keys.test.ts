import { describe, expect, it } from "vitest";
import { countyOrganisationKey, municipalityOrganisationKey } from "@yhdyspinta/core";
import { municipalityActorId, resolveOrganisationId } from "../src/organisation/organisation-keys.ts";

describe("organisation keys", () => {
  it("resolves Helsinki's municipality key to the city's one record and leaves every other key as it is", () => {
    expect(resolveOrganisationId(municipalityOrganisationKey("091"))).toBe(countyOrganisationKey("90"));
    expect(municipalityActorId("091")).toBe(countyOrganisationKey("90"));
    for (const key of [municipalityOrganisationKey("092"), countyOrganisationKey("90"), "org-0123456-7", "", "constructor", "__proto__"]) {
      expect(resolveOrganisationId(key)).toBe(key);
    }
  });
});
