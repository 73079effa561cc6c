/**
 * Every scalar of the API in one place: the calendar (one check of which days
 * and times exist and are supported, one Helsinki formatter for every time a
 * person reads), Date, the instant scalars DateTime and Instant (one
 * implementation), and JSONObject.
 */
export * from "./calendar.ts";
export * from "./date.ts";
export * from "./instant.ts";
export * from "./json-object.ts";
