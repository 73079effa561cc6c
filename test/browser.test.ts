import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_PATH } from "./browser-global-setup.ts";
import { startTestStack, type TestStack } from "./support.ts";

/**
 * The explorer and the county dashboard in a real browser (Debian's Chromium
 * via playwright-core), with every request off this machine aborted and
 * recorded: the pages must work offline. Screenshots go to test-artifacts/.
 */

const ARTIFACTS = new URL("../test-artifacts/", import.meta.url);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

let stack: TestStack;
let starting: Promise<TestStack> | undefined;
let browser: Browser;
let context: BrowserContext;
const external: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  starting = startTestStack("browser");
  [stack, browser] = await Promise.all([
    starting,
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }),
  ]);
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "fi-FI", timezoneId: "Europe/Helsinki" });
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === "http:" || url.protocol === "https:") && !LOCAL_HOSTS.has(url.hostname)) {
      external.push(url.href);
      await route.abort("blockedbyclient");
      return;
    }
    await route.continue();
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  // Also when the start outlived beforeAll's timeout: stop what it started.
  await (await starting?.catch(() => undefined))?.stop();
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return page;
}

describe("explorer at /", () => {
  it("answers browsers with the explorer and GraphQL clients with GraphQL, on / and /graphql", async () => {
    const html = await fetch(stack.gatewayUrl, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain("/explorer/explorer.js");
    expect(page).not.toMatch(/apollographql|embeddable-sandbox|cdn\./i);

    const post = await stack.query<{ county: { nameFi: string } }>(`{ county(code: "14") { nameFi } }`);
    expect(post.data?.county.nameFi).toBe("Pohjois-Karjalan hyvinvointialue");
    for (const path of ["", "graphql"]) {
      const get = await fetch(`${stack.gatewayUrl}${path}?query=${encodeURIComponent('{ county(code: "08") { nameFi } }')}`, {
        // A browser-like Accept; the preflight header satisfies Apollo's CSRF check for GET.
        headers: { accept: "text/html, application/json", "apollo-require-preflight": "true" },
      });
      expect(get.status).toBe(200);
      expect(((await get.json()) as { data: { county: { nameFi: string } } }).data.county.nameFi).toBe("Pirkanmaan hyvinvointialue");
    }
    const traversal = await fetch(`${stack.gatewayUrl}explorer/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it("loads offline, shows the schema docs and runs a saved view", async () => {
    const page = await newPage();
    await page.goto(stack.gatewayUrl);
    await page.locator(".graphiql-container").waitFor();

    // The six views and the README example are open as tabs.
    const tabs = page.locator(".graphiql-tab");
    await expect.poll(() => tabs.count()).toBe(7);
    const tabTitles = await tabs.allTextContents();
    for (const name of ["PartnershipGroupsByMunicipality", "CoverageMatrix", "NominationStatus", "MeetingCalendar", "Representation", "PlanFollowUp"]) {
      expect(tabTitles.join("|")).toContain(name);
    }

    // Schema docs from introspection.
    await page.locator('button[aria-label*="Documentation Explorer"]').click();
    const docs = page.locator(".graphiql-doc-explorer");
    await docs.getByText("Query", { exact: true }).first().click();
    await docs.getByText("county", { exact: true }).first().waitFor();

    // Run the coverage matrix with its example variables.
    await tabs.filter({ hasText: "CoverageMatrix" }).first().click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("CoverageMatrix")),
      page.locator(".graphiql-execute-button").click(),
    ]);
    const body = (await response.json()) as { data: { county: { nameFi: string; municipalities: unknown[] } } };
    expect(body.data.county.municipalities).toHaveLength(13);
    // Monaco wraps long lines: compare with whitespace collapsed.
    await expect
      .poll(async () => (await page.locator(".graphiql-response").textContent())?.replace(/\s+/g, " "), { timeout: 20_000 })
      .toContain('"nameFi": "Pohjois-Karjalan hyvinvointialue"');
    await page.screenshot({ path: new URL("explorer.png", ARTIFACTS).pathname });
    await page.close();
  });
});

describe("county dashboard at /dashboard/", () => {
  it("renders Pohjois-Karjala's coverage matrix: 13 municipalities in 4 areas, as the GraphQL view says", async () => {
    const page = await newPage();
    // The page's GraphQL requests in the order they are sent and answered.
    const events: string[] = [];
    const operation = (request: { postData(): string | null }) => /query (\w+)/.exec(JSON.parse(request.postData() ?? "{}").query ?? "")?.[1] ?? "?";
    page.on("request", (request) => void (request.url().endsWith("/graphql") && events.push(`sent ${operation(request)}`)));
    page.on("requestfinished", (request) => void (request.url().endsWith("/graphql") && events.push(`answered ${operation(request)}`)));
    await page.goto(`${stack.gatewayUrl}dashboard/?county=14&from=2023-01-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="14"]').waitFor();
    // The matrix's two requests go first; the other four views are asked only once it has its answer.
    const others = ["NominationStatus", "MeetingCalendar", "Representation", "PlanFollowUp"];
    expect(events.slice(0, 2).toSorted()).toEqual(["sent CoverageMatrix", "sent DashboardAreas"]);
    const matrixAnswered = events.indexOf("answered CoverageMatrix");
    expect(matrixAnswered).toBeGreaterThan(1);
    expect(others.map((name) => events.indexOf(`sent ${name}`) > matrixAnswered)).toEqual(others.map(() => true));
    // Each section marks when it is drawn (measure-deploy reads these).
    const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name).filter((n) => n.startsWith("dashboard:")));
    expect(marks.toSorted()).toEqual(["dashboard:all", "dashboard:edustus", "dashboard:kattavuus", "dashboard:kokoukset", "dashboard:nimeamiset", "dashboard:seuranta"]);

    const matrix = page.locator("#coverage-matrix");
    const areas = await matrix.locator('thead th[scope="colgroup"]').allTextContents();
    // Seed 002's table order: areas and, within each, municipalities as the county lists them.
    expect(areas).toEqual(["KESKINEN", "POHJOINEN", "LÄNTINEN", "ETELÄINEN"]);
    const spans = await matrix.locator('thead th[scope="colgroup"]').evaluateAll((ths) => ths.map((th) => Number(th.getAttribute("colspan"))));
    expect(spans.reduce((a, b) => a + b, 0)).toBe(13);
    const shown = await matrix.locator('thead th[scope="col"]').allTextContents();

    const expected = await stack.query<{ county: { municipalities: { nameFi: string; groupCoverage: { covered: boolean }[] }[] } }>(
      `{ county(code: "14") { municipalities { nameFi groupCoverage(activeOn: "2024-03-01") { covered } } } }`,
    );
    const municipalities = expected.data?.county.municipalities ?? [];
    expect(shown.toSorted()).toEqual(municipalities.map((m) => m.nameFi).toSorted());
    expect(shown).toEqual([
      "Joensuu", "Kontiolahti", "Ilomantsi", "Juuka", "Lieksa", "Nurmes",
      "Heinävesi", "Liperi", "Outokumpu", "Polvijärvi", "Kitee", "Rääkkylä", "Tohmajärvi",
    ]);
    // One cell per municipality × kind and theme; uncovered kind cells are marked.
    const uncovered = municipalities.reduce((n, m) => n + m.groupCoverage.filter((c) => !c.covered).length, 0);
    const firstBody = matrix.locator("tbody").first();
    expect(await firstBody.locator("td.uncovered").count()).toBe(uncovered);
    expect(await firstBody.locator("td.covered").count()).toBe(municipalities.reduce((n, m) => n + m.groupCoverage.length, 0) - uncovered);

    // The other sections rendered (content or an explicit empty state), none failed.
    for (const id of ["nimeamiset", "kokoukset", "edustus", "seuranta"]) {
      const section = page.locator(`#${id} .section-body`);
      expect(await section.getAttribute("aria-busy")).toBe("false");
      expect(await section.locator(".error").count()).toBe(0);
      expect(await section.locator("table, .empty").count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: new URL("dashboard-14.png", ARTIFACTS).pathname, fullPage: true });

    // Accessibility: no serious or critical axe-core violation.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.close();
  });

  it("switches county from the page, keeps it in the URL and lists Pirkanmaa's organising meeting", async () => {
    const page = await newPage();
    await page.goto(`${stack.gatewayUrl}dashboard/?county=14&from=2023-12-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="14"]').waitFor();
    await page.locator("#county").selectOption("08");
    await page.getByRole("button", { name: "Näytä" }).press("Enter");
    await page.locator('body[data-loaded="08"]').waitFor();
    expect(new URL(page.url()).searchParams.get("county")).toBe("08");
    expect(await page.locator("h1").textContent()).toBe("Pirkanmaan hyvinvointialue");
    const meetings = await page.locator("#meetings-table tbody tr").allTextContents();
    expect(meetings.some((row) => row.includes("19.12.2023") && row.includes("14.00"))).toBe(true);
    await page.screenshot({ path: new URL("dashboard-08.png", ARTIFACTS).pathname, fullPage: true });
    await page.close();
  });

  it("made no request off this machine and raised no script error", () => {
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
