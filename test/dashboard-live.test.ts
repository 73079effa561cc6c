import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_PATH } from "./browser-global-setup.ts";
import { bearer, startTestStack, type TestStack } from "./support.ts";

/**
 * The county dashboard kept current without polling: after its first
 * drawing it holds one subscription (GraphQL over SSE at /subscriptions) and
 * asks nothing until a change arrives; a write made elsewhere redraws the
 * section it touches, and only that one. Debian's Chromium via playwright-core.
 */

let stack: TestStack;
let starting: Promise<TestStack> | undefined;
let browser: Browser;

beforeAll(async () => {
  starting = startTestStack("dashboard_live");
  [stack, browser] = await Promise.all([
    starting,
    chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await (await starting?.catch(() => undefined))?.stop();
});

describe("county dashboard, live", () => {
  it("redraws only the meetings section after a meeting is scheduled elsewhere, with no request in between", async () => {
    const admin = bearer(await mintUserToken(stack.authSecret, { sub: "live-dashboard-admin", scope: "data:write", role: "admin" }));
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "fi-FI", timezoneId: "Europe/Helsinki" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // Every request the page sends after it has loaded, by GraphQL operation or path.
    const requests: string[] = [];
    let loaded = false;
    page.on("request", (request) => {
      if (!loaded) return;
      const url = new URL(request.url());
      const operation = url.pathname === "/graphql" ? /query (\w+)/.exec(JSON.parse(request.postData() ?? "{}").query ?? "")?.[1] : undefined;
      requests.push(operation ? `graphql ${operation}` : `${request.method()} ${url.pathname}`);
    });
    const subscribed = page.waitForResponse((response) => new URL(response.url()).pathname === "/subscriptions");
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=fi&county=14&from=2023-01-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="14"]').waitFor();
    loaded = true;
    // The subscription's answer starts once it is in place (every later commit reaches it).
    expect((await subscribed).status()).toBe(200);
    const title = `Live-kokous ${process.pid}`;
    expect(await page.locator("#kokoukset").textContent()).not.toContain(title);

    // Written by another client, through the gateway.
    const written = await stack.query(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
      { input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", title, startsAt: "2024-05-06T10:00:00+03:00" } },
      admin,
    );
    expect(written.errors).toBeUndefined();
    const returned = Date.now();
    await page.locator('#kokoukset[data-redraws="1"]').waitFor();
    console.log(`dashboard redrew the meetings section ${Date.now() - returned} ms after the write returned`);
    expect(await page.locator("#kokoukset").textContent()).toContain(title);

    // Nothing polled: between the first drawing and the change the page asked nothing; then only the meetings view.
    expect(requests.filter((r) => r !== "GET /subscriptions")).toEqual(["graphql MeetingCalendar"]);
    for (const id of ["kattavuus", "nimeamiset", "edustus", "seuranta"]) expect(await page.locator(`#${id}`).getAttribute("data-redraws")).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});
