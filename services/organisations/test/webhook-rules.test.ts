import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkEndpointUrl, checkSecret, decodeCursor, encodeCursor, generateSecret, retryDelayMs, signedHeaders } from "../src/webhook/webhook.rules.ts";

describe("webhook rules", () => {
  it("signs by the Standard Webhooks scheme: v1, base64 HMAC-SHA256 of id.timestamp.body keyed by the secret's bytes", () => {
    const secret = generateSecret();
    const message = { id: "msg_1", type: "Organisation.CREATE", body: '{"a":"ä"}' };
    const at = new Date("2026-12-04T12:00:00.900Z");
    const headers = signedHeaders(secret, message, at);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`msg_1.${headers["webhook-timestamp"]}.${message.body}`).digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(signedHeaders(generateSecret(), message, at)["webhook-signature"]).not.toBe(`v1,${expected}`);
  });

  it("backs off doubling from the base up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelayMs(500, 100, 5000)).toBe(5000);
  });

  it("accepts what it should and names the field otherwise", () => {
    expect(checkEndpointUrl("http://127.0.0.1:8080/hook", false)).toBe("http://127.0.0.1:8080/hook");
    expect(() => checkEndpointUrl("http://127.0.0.1:8080/hook", true)).toThrow(/input\.url.*https/);
    expect(() => checkSecret("whsec_" + Buffer.alloc(16).toString("base64"))).toThrow(/input\.secret/);
    expect(checkSecret("whsec_" + Buffer.alloc(32, 1).toString("base64"))).toMatch(/^whsec_/);
    const positions = { groups: "3", organisations: "12", planning: "0" };
    expect(decodeCursor(encodeCursor({ planning: "0", organisations: "12", groups: "3" }))).toEqual(positions);
    expect(encodeCursor({ planning: "0", organisations: "12", groups: "3" })).toBe(encodeCursor(positions));
    expect(() => decodeCursor("e30")).toThrow(/input\.after/);
  });
});
