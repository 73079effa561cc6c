import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { dateProblem, formatHelsinki, helsinkiDayEnd, helsinkiDayStart, isCalendarDate } from "./calendar.ts";
import { DateScalar } from "./date.ts";
import { DateTimeScalar, InstantScalar } from "./instant.ts";

function refusal(parse: () => unknown): { message: string; code: unknown; reason: unknown } {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const e = error as GraphQLError;
    return { message: e.message, code: e.extensions["code"], reason: e.extensions["reason"] };
  }
  throw new Error("not refused");
}

describe("one calendar check for every date and time scalar", () => {
  it("DateTime and Instant refuse the same impossible moments as BAD_USER_INPUT", () => {
    for (const text of ["2026-02-30T10:00:00Z", "2026-03-04T24:00:00+02:00", "2026-03-04T10:60:00Z", "2026-03-04T10:00:60Z", "2026-03-04T10:00:00+15:00"]) {
      for (const scalar of [DateTimeScalar, InstantScalar]) {
        expect(refusal(() => scalar.parseValue(text)), `${scalar.name} ${text}`).toMatchObject({ code: "BAD_USER_INPUT", message: `${scalar.name} ${text} does not exist` });
      }
    }
    expect(refusal(() => InstantScalar.parseValue("2026-02-30"))).toMatchObject({ code: "BAD_USER_INPUT", reason: "is not a real calendar date" });
    expect(refusal(() => DateScalar.parseValue("2026-02-30"))).toMatchObject({ code: "BAD_USER_INPUT", reason: "is not a real calendar date" });
  });

  it("reads the same instant through both names; Instant also takes a day; each writes its own form", () => {
    const text = "2026-07-01T12:00:00+03:00";
    expect(DateTimeScalar.parseValue(text)).toEqual(InstantScalar.parseValue(text));
    expect(DateTimeScalar.serialize(new Date("2026-07-01T09:00:00.250Z"))).toBe("2026-07-01T12:00:00+03:00");
    expect(InstantScalar.serialize(new Date("2026-07-01T09:00:00.250Z"))).toBe("2026-07-01T09:00:00.250Z");
    expect(InstantScalar.parseValue("2026-11-23")).toEqual(new Date("2026-11-23T00:00:00Z"));
    expect(refusal(() => DateTimeScalar.parseValue("2026-11-23")).code).toBe("BAD_USER_INPUT");
  });

  it("accepts every day of the supported range 1000-01-01 … 9999-12-31 and refuses those outside naming it", () => {
    expect(isCalendarDate("0001-01-01")).toBe(true);
    expect(isCalendarDate("0004-02-29")).toBe(true);
    expect(isCalendarDate("0100-02-29")).toBe(false);
    expect(dateProblem("0001-01-01")).toBe("must lie in the supported range 1000-01-01 … 9999-12-31");
    expect(dateProblem("1000-01-01")).toBeNull();
    expect(dateProblem("9999-12-31")).toBeNull();
    expect(DateScalar.parseValue("9999-12-31")).toBe("9999-12-31");
    expect(refusal(() => DateScalar.parseValue("0999-12-31")).message).toBe("Date 0999-12-31 is outside the supported range 1000-01-01 … 9999-12-31");
    expect(DateTimeScalar.serialize(DateTimeScalar.parseValue("9999-12-31T23:59:59+02:00"))).toBe("9999-12-31T23:59:59+02:00");
    expect(refusal(() => DateTimeScalar.parseValue("9999-12-31T23:00:00Z")).reason).toBe("must lie in the supported range 1000-01-01 … 9999-12-31");
    expect(refusal(() => InstantScalar.parseValue("0999-12-31T12:00:00Z")).reason).toBe("must lie in the supported range 1000-01-01 … 9999-12-31");
  });

  it("bounds Helsinki days at both ends of the range", () => {
    expect(helsinkiDayEnd("9999-12-31").getTime()).toBe(Date.UTC(10000, 0, 1) - 2 * 3_600_000);
    expect(helsinkiDayEnd("9999-12-31").getTime() - helsinkiDayStart("9999-12-31").getTime()).toBe(24 * 3_600_000);
    expect(helsinkiDayEnd("2026-03-28").getTime()).toBe(helsinkiDayStart("2026-03-29").getTime());
    expect(helsinkiDayEnd("2026-03-29").getTime() - helsinkiDayStart("2026-03-29").getTime()).toBe(23 * 3_600_000);
    expect(helsinkiDayStart("2026-01-15").toISOString()).toBe("2026-01-14T22:00:00.000Z");
    expect(formatHelsinki(helsinkiDayStart("1000-01-01")).slice(0, 10)).toBe("1000-01-01");
  });
});
