import { afterEach, describe, expect, it, vi } from "vitest";
import { anonymousViewer, InternalSignatureError, signViewer, verifyViewer, type Viewer } from "./auth.ts";
import { viewerSigner } from "./internal-auth.ts";

const secret = "internal-auth-test-secret-0123456789abcdef";
const coordinator: Viewer = { subject: "coordinator-14", role: "coordinator", scopes: new Set(["data:write"]), counties: new Set(["14"]) };

afterEach(() => {
  vi.useRealTimers();
});

describe("viewerSigner", () => {
  it("shares one signature among requests of the same caller and signs another caller apart", async () => {
    vi.useFakeTimers({ toFake: ["Date", "performance"] });
    vi.setSystemTime(new Date("2026-01-05T09:00:00Z"));
    const first = await viewerSigner(coordinator, secret)();
    // Signed anew, the token would differ: its issue time is two seconds later.
    vi.advanceTimersByTime(2_000);
    // Another request of the same caller (scopes and counties in another order are the same caller).
    const same = await viewerSigner({ ...coordinator, scopes: new Set(["data:write"]), counties: new Set(["14"]) }, secret)();
    expect(same).toBe(first);
    const otherCounty = await viewerSigner({ ...coordinator, counties: new Set(["08"]) }, secret)();
    const anonymous = await viewerSigner(anonymousViewer, secret)();
    expect(new Set([first, otherCounty, anonymous]).size).toBe(3);
    expect((await verifyViewer(otherCounty, secret)).counties).toEqual(new Set(["08"]));
    expect((await verifyViewer(first, secret)).counties).toEqual(new Set(["14"]));
    expect(await verifyViewer(anonymous, secret)).toBe(anonymousViewer);
  });

  it("signs again once the signature is older than the refresh age", async () => {
    vi.useFakeTimers({ toFake: ["Date", "performance"] });
    vi.setSystemTime(new Date("2026-01-05T10:00:00Z"));
    const viewer: Viewer = { ...coordinator, subject: "refresh-test" };
    const first = await viewerSigner(viewer, secret, 30_000)();
    vi.advanceTimersByTime(10_000);
    expect(await viewerSigner(viewer, secret, 30_000)()).toBe(first);
    vi.advanceTimersByTime(25_000);
    const second = await viewerSigner(viewer, secret, 30_000)();
    expect(second).not.toBe(first);
    expect((await verifyViewer(second, secret)).subject).toBe("refresh-test");
  });
});

describe("verifyViewer", () => {
  it("refuses a token it has accepted once after that token expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-05T10:00:00Z"));
    const token = await signViewer({ ...coordinator, subject: "expiry-test" }, secret);
    expect((await verifyViewer(token, secret)).subject).toBe("expiry-test");
    vi.setSystemTime(new Date("2026-01-05T10:00:59Z"));
    expect((await verifyViewer(token, secret)).subject).toBe("expiry-test");
    vi.setSystemTime(new Date("2026-01-05T10:01:01Z"));
    await expect(verifyViewer(token, secret)).rejects.toThrow(InternalSignatureError);
  });

  it("refuses a token with a changed byte, and one signed with another secret, after accepting the original", async () => {
    const token = await signViewer({ ...coordinator, subject: "tamper-test" }, secret);
    expect((await verifyViewer(token, secret)).subject).toBe("tamper-test");
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url")}.${signature}`;
    await expect(verifyViewer(forged, secret)).rejects.toThrow(InternalSignatureError);
    // The first character: all six of its bits are signature (the last one's lowest two are padding,
    // so changing only those leaves the same signature and the test passing by chance).
    const firstCharacter = signature.startsWith("A") ? "B" : "A";
    await expect(verifyViewer(`${header}.${payload}.${firstCharacter}${signature.slice(1)}`, secret)).rejects.toThrow(InternalSignatureError);
    // The same token is not valid under another secret, although it was accepted under this one.
    await expect(verifyViewer(token, `${secret}-other`)).rejects.toThrow(InternalSignatureError);
  });
});
