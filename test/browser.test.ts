import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, serviceDatabaseUrl } from "@yhdyspinta/core";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_PATH } from "./browser-global-setup.ts";
import { bearer, startTestStack, type TestStack } from "./support.ts";

/**
 * The explorer and the county dashboard in a real browser (Debian's Chromium
 * via playwright-core), with every request off this machine aborted and
 * recorded: the pages must work offline. Screenshots go to test-artifacts/.
 */

const ARTIFACTS = new URL("../test-artifacts/", import.meta.url);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** axe-core's WCAG 2.1 A and AA rules: what the accessibility act (EN 301 549) asks of a web page. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

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
  // A browser in English (US) and UTC: the pages must format in their own language and Helsinki time regardless.
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "en-US", timezoneId: "UTC" });
  await addIndicators();
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

/**
 * A plan goal of Pohjois-Karjala monitored by one indicator, with yearly
 * values for the county and two municipalities (the seeds have none; the
 * Sotkanet import is tested elsewhere).
 */
const INDICATOR = { id: `test-ind-${process.pid}`, name: "Testi-indikaattori: koettu terveys", nameEn: "Test indicator: perceived health" };
const INDICATOR_VALUES: [string, string, number, number][] = [
  ["county", "14", 2021, 61.5], ["county", "14", 2022, 63.25], ["county", "14", 2023, 64.75],
  ["municipality", "167", 2021, 60], ["municipality", "167", 2022, 62], ["municipality", "167", 2023, 66],
  ["municipality", "276", 2022, 58.5], ["municipality", "276", 2023, 59],
];
async function addIndicators(): Promise<void> {
  const client = new pg.Client({ connectionString: serviceDatabaseUrl("planning", { DATABASE_URL: stack.databaseUrl }) });
  await client.connect();
  try {
    await client.query(`insert into indicator (id, sotkanet_id, name, name_en, unit, source) values ($1, null, $2, $3, '%', 'test')`, [INDICATOR.id, INDICATOR.name, INDICATOR.nameEn]);
    for (const [kind, code, year, value] of INDICATOR_VALUES) {
      await client.query(`insert into indicator_value (indicator_id, region_kind, region_code, year, sex, value) values ($1, $2, $3, $4, 'total', $5)`, [INDICATOR.id, kind, code, year, value]);
    }
    const plan = `${INDICATOR.id}-plan`;
    await client.query(
      `insert into wellbeing_plan (id, title, county_code, municipality_code, council_term, status, priority_theme_ids) values ($1, 'Testisuunnitelma', '14', null, '2025–2029', 'approved', '{}')`,
      [plan],
    );
    await client.query(`insert into wellbeing_goal (id, plan_id, theme_id, position, text, indicator_ids) values ($1, $2, null, 1, 'Koettu terveys paranee', $3)`, [
      `${plan}-goal`, plan, [INDICATOR.id],
    ]);
  } finally {
    await client.end();
  }
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now (every impact). */
async function axeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[]; summary: string }[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  return await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      summary: v.nodes[0]?.failureSummary ?? "",
    }));
  }, WCAG_TAGS);
}

/** Every chart on the page is drawn (an SVG with marks, or tiles) and names a data table that is in the page with rows. */
async function chartsWithTables(page: Page): Promise<{ kind: string; marks: number; tableRows: number }[]> {
  return await page.locator("figure.chart").evaluateAll((figures) =>
    figures.map((figure) => {
      const table = document.getElementById(figure.getAttribute("data-table") ?? "");
      return {
        kind: figure.getAttribute("data-chart") ?? "",
        marks: figure.querySelectorAll("svg path, svg rect, svg circle, li.tile").length,
        tableRows: table ? table.querySelectorAll("tbody tr").length : 0,
      };
    }),
  );
}

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
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=fi&county=14&from=2023-01-01&to=2024-12-31&activeOn=2024-03-01`);
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

    // Finnish labels and dates in the Finnish format, whatever the browser's own locale (en-US here).
    expect(await page.locator("html").getAttribute("lang")).toBe("fi");
    expect(await page.locator("#kattavuus h2").textContent()).toBe("Yhteistyöryhmien kattavuus");
    // The Suomi.fi tokens are in use: the heading's size and the header's brand colour (heading2 28 px, brandBase hsl(214, 100%, 24%)).
    expect(await page.locator("h1").evaluate((el) => getComputedStyle(el).fontSize)).toBe("28px");
    expect(await page.locator("header").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(0, 53, 122)");
    expect(await page.locator("#from").inputValue()).toBe("1.1.2023");
    expect(await page.locator('label[for="from"]').textContent()).toContain("p.k.vvvv");
    // Every chart drawn with its data table: the tiles, and the plan goal's indicator over the years.
    const charts = await chartsWithTables(page);
    expect(charts.map((c) => c.kind)).toEqual(expect.arrayContaining(["coverage", "indicator"]));
    for (const chart of charts) expect(chart, chart.kind).toMatchObject({ marks: expect.any(Number), tableRows: expect.any(Number) });
    expect(charts.every((c) => c.marks > 0 && c.tableRows > 0)).toBe(true);
    expect(await page.locator("li.tile").count()).toBe(13);
    // The indicator's table holds the values as inserted, formatted in Finnish (decimal comma).
    const indicatorRows = await page.locator(".indicator-table tbody tr").allTextContents();
    expect(indicatorRows).toHaveLength(3);
    expect(indicatorRows[0]).toContain("63,3");
    expect(await page.locator(".indicator h4").textContent()).toBe(INDICATOR.name);
    expect(await page.locator("figure.chart[data-chart=indicator] .series.main circle").count()).toBe(3);

    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("switches county from the page, keeps it in the URL and lists Pirkanmaa's organising meeting", async () => {
    const page = await newPage();
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=fi&county=14&from=2023-12-01&to=2024-12-31&activeOn=2024-03-01`);
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
  it("shows Pohjanmaa in Swedish: labels, Swedish municipality names, Finnish-only values marked, Swedish dates, charts with tables, no axe violation", async () => {
    // A group of Pohjanmaa covering Vaasa: its name exists only in Finnish.
    const admin = bearer(await mintUserToken(stack.authSecret, { sub: "browser-admin", scope: "data:write", role: "admin" }));
    const created = await stack.query(
      `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`,
      { input: { countyCode: "17", name: "Pohjanmaan testiryhmä", kind: "COOPERATION_GROUP", startsOn: "2024-01-01", municipalityCodes: ["905"] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const page = await newPage();
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=sv&county=17&from=2023-01-01&to=2026-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="17"]').waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await page.locator("h1").textContent()).toBe("Österbottens välfärdsområde");
    expect(await page.locator("#kattavuus h2").textContent()).toBe("Samarbetsgruppernas täckning");
    expect(await page.getByRole("button", { name: "Visa" }).count()).toBe(1);
    expect(await page.locator('label[for="activeOn"]').textContent()).toContain("Läget den");
    const expected = new Intl.DateTimeFormat("sv-FI", { timeZone: "UTC", day: "numeric", month: "numeric", year: "numeric" }).format(new Date("2024-03-01T00:00:00Z"));
    expect(await page.locator("#activeOn").inputValue()).toBe(expected);
    // Municipality names in Swedish, as the API has them.
    const names = await stack.query<{ county: { municipalities: { nameSv: string }[] } }>(`{ county(code: "17") { municipalities { nameSv } } }`);
    const shown = await page.locator('#coverage-matrix thead th[scope="col"]').allTextContents();
    expect(shown.toSorted()).toEqual((names.data?.county.municipalities ?? []).map((m) => m.nameSv).toSorted());
    expect(shown).toContain("Vasa");
    // Names the data has only in Finnish (groups, themes, areas) are marked so, for the eye and for screen readers.
    const finnishOnly = page.locator("#representation-table tbody th .other-lang", { hasText: "Pohjanmaan testiryhmä" });
    expect(await finnishOnly.count()).toBe(1);
    expect(await finnishOnly.first().locator('[lang="fi"]').count()).toBe(1);
    expect(await finnishOnly.first().locator(".lang-mark").textContent()).toBe("fi");
    expect(await finnishOnly.first().locator(".sr-only").textContent()).toBe("(endast på finska)");
    const charts = await chartsWithTables(page);
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.every((c) => c.marks > 0 && c.tableRows > 0)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: new URL("dashboard-17-sv.png", ARTIFACTS).pathname, fullPage: true });
    await page.close();
  });

  it("shows Pirkanmaa in English with English dates, remembers the language, cues the wide matrix and draws every chart with its table", async () => {
    const page = await newPage();
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=en&county=08&from=2023-12-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="08"]').waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("Pirkanmaa wellbeing services county");
    expect(await page.locator("#kokoukset h2").textContent()).toBe("Meeting calendar");
    expect(await page.locator("#from").inputValue()).toBe("01/12/2023");
    const meetings = await page.locator("#meetings-table tbody tr").allTextContents();
    expect(meetings.some((row) => row.includes("19/12/2023") && row.includes("14:00"))).toBe(true);
    const charts = await chartsWithTables(page);
    expect(charts.map((c) => c.kind)).toContain("coverage");
    expect(charts.every((c) => c.marks > 0 && c.tableRows > 0)).toBe(true);
    // 23 municipalities are wider than the window: the matrix says so and scrolls.
    const matrixHint = page.locator("#kattavuus .scroll-hint");
    await expect.poll(() => matrixHint.isVisible()).toBe(true);
    expect(await matrixHint.textContent()).toContain("scroll sideways");
    expect(await axeViolations(page)).toEqual([]);

    // A date that is not one is refused in the form, naming the field and the format.
    await page.locator("#to").fill("31/02/2024");
    await page.getByRole("button", { name: "Show" }).click();
    expect(await page.locator("#to").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#to-error").textContent()).toContain("To: enter the date as dd/mm/yyyy");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("to");
    expect(await axeViolations(page)).toEqual([]);

    // The choice is remembered: the dashboard without ?lang opens in English and puts it in the address.
    await page.goto(`${stack.gatewayUrl}dashboard/?county=14&from=2023-01-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="14"]').waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(new URL(page.url()).searchParams.get("lang")).toBe("en");
    // Theme names in English where the API has one, otherwise the Finnish name marked as Finnish.
    const themes = (await stack.query<{ county: { themes: { name: string; nameEn: string | null }[] } }>(`{ county(code: "14") { themes { name nameEn } } }`)).data?.county.themes ?? [];
    expect(themes.length).toBeGreaterThan(0);
    const themeRows = page.locator('#coverage-matrix tbody:nth-of-type(2) th[scope="row"]');
    expect(await themeRows.evaluateAll((ths) => ths.map((th) => (th.querySelector('[lang="fi"]') ? `fi:${th.querySelector('[lang="fi"]')!.textContent}` : th.textContent)))).toEqual(
      themes.map((x) => x.nameEn ?? `fi:${x.name}`),
    );

    // A phone's width: each date label sits right above its own field; the nominations' last column is reachable.
    await page.setViewportSize({ width: 375, height: 800 });
    for (const id of ["from", "to", "activeOn"]) {
      const labelBox = (await page.locator(`label[for="${id}"]`).boundingBox())!;
      const inputBox = (await page.locator(`#${id}`).boundingBox())!;
      expect(labelBox.y + labelBox.height).toBeLessThanOrEqual(inputBox.y + 1);
      expect(Math.abs(labelBox.x - inputBox.x)).toBeLessThan(2);
    }
    const lastColumns = page.locator("table.nominators thead th:last-child");
    expect(await lastColumns.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await lastColumns.count()); i++) {
      expect(await lastColumns.nth(i).evaluate((th) => getComputedStyle(th).display)).not.toBe("none");
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: new URL("dashboard-14-en-phone.png", ARTIFACTS).pathname, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.close();
  });

  it("is usable by keyboard alone: Tab reaches every control once, each with a visible focus indicator", async () => {
    const page = await newPage();
    await page.goto(`${stack.gatewayUrl}dashboard/?lang=fi&county=14&from=2023-01-01&to=2024-12-31&activeOn=2024-03-01`);
    await page.locator('body[data-loaded="14"]').waitFor();
    const controls = await page.evaluate(() => {
      const all = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex="0"]');
      return [...all].filter((el) => !el.closest("[hidden]")).map((el, i) => {
        el.dataset["kbd"] = String(i);
        return String(i);
      });
    });
    expect(controls.length).toBeGreaterThan(15);
    const reached: string[] = [];
    const unfocusable: string[] = [];
    for (let i = 0; i < controls.length + 5; i++) {
      await page.keyboard.press("Tab");
      const state = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
        return { id: el.dataset["kbd"] ?? "", visible, name: `${el.tagName} ${el.id || el.textContent?.slice(0, 30)}` };
      });
      if (!state) break;
      if (reached.includes(state.id)) break;
      reached.push(state.id);
      if (!state.visible) unfocusable.push(state.name);
    }
    expect(reached.toSorted()).toEqual(controls.toSorted());
    expect(unfocusable).toEqual([]);
    // The skip link is the first stop and moves to the content.
    expect(reached[0]).toBe(await page.locator("a.skip").getAttribute("data-kbd"));
    await page.locator("a.skip").focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.close();
  });

  it("lands a calendar event's link on its meeting: scrolled to, focused and highlighted, the period widened to include it", async () => {
    const ics = await (await fetch(`${stack.gatewayUrl}calendar/county/08.ics`)).text();
    const links = [...ics.replace(/\r\n[ \t]/g, "").matchAll(/^URL[^:]*:(.+)$/gm)].map((m) => m[1]!.trim());
    expect(links.length).toBeGreaterThan(0);
    const link = new URL(links[0]!);
    expect(link.hash).toMatch(/^#meeting-/);
    const page = await newPage();
    await page.goto(new URL(`${link.pathname}${link.search}${link.hash}`, stack.gatewayUrl).href);
    await page.locator('body[data-loaded="08"]').waitFor();
    const row = page.locator(`[id="${decodeURIComponent(link.hash.slice(1))}"]`);
    expect(await row.getAttribute("class")).toContain("highlight");
    expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await row.isVisible()).toBe(true);
    const box = (await row.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);
    await page.close();
  });
});

describe("every page in every language", () => {
  it("serves the accessibility statement in Finnish, Swedish and English, linked from every page, with no axe violation", async () => {
    const page = await newPage();
    const headings: Record<string, string> = { fi: "Saavutettavuusseloste", sv: "Tillgänglighetsutlåtande", en: "Accessibility statement" };
    for (const lang of ["fi", "sv", "en"]) {
      const response = await page.goto(`${stack.gatewayUrl}accessibility/?lang=${lang}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.locator("h1").textContent()).toBe(headings[lang]);
      // The parts the act asks for: status, non-accessible content, feedback, the supervisory authority.
      expect(await page.locator("h2").count()).toBe(5);
      expect(await page.locator('a[href^="mailto:"]').count()).toBe(1);
      expect(await page.locator("main").textContent()).toContain("Lupa- ja valvontavirasto");
      expect(await axeViolations(page)).toEqual([]);
    }
    for (const [path, lang] of [["dashboard/?lang=sv&county=17", "sv"], ["?lang=en", "en"]] as const) {
      await page.goto(`${stack.gatewayUrl}${path}`);
      await page.locator(`a[href="/accessibility/?lang=${lang}"]`).first().waitFor();
    }
    await page.close();
  });

  it("shows the explorer's page in three languages with no axe violation (GraphiQL's contrast and tabs mended)", async () => {
    const page = await newPage();
    const titles: Record<string, string> = { fi: "yhdyspinta · GraphQL-selain", sv: "yhdyspinta · GraphQL-utforskaren", en: "yhdyspinta · GraphQL explorer" };
    for (const lang of ["fi", "sv", "en"]) {
      await page.goto(`${stack.gatewayUrl}?lang=${lang}`);
      await page.locator(".graphiql-container").waitFor();
      await page.locator(".monaco-editor .line-numbers").first().waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.locator("h1").textContent()).toBe(titles[lang]);
      expect(await page.locator("#graphiql").getAttribute("lang")).toBe("en");
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.close();
  });
});

describe("import upload page at /upload/", () => {
  /** A valid Finnish business ID from a 7-digit number (skips numbers whose check digit would be 1). */
  const businessId = (n: number): string => {
    for (let k = n; ; k++) {
      const digits = String(k % 10_000_000).padStart(7, "0");
      const r = [7, 9, 10, 5, 8, 4, 2].reduce((s, w, i) => s + w * Number(digits[i]), 0) % 11;
      if (r !== 1) return `${digits}-${r === 0 ? 0 : 11 - r}`;
    }
  };
  const csv = (lines: string[][]) => Buffer.from(`\uFEFF${lines.map((l) => l.join(";")).join("\r\n")}\r\n`);
  const HEADER = ["Nimi", "Tyyppi", "Y-tunnus", "Hyvinvointialue", "Kunnat"];

  async function uploadPage(token: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`upload: ${error.message}`));
    await page.goto(new URL("upload/", stack.gatewayUrl).href);
    await page.getByLabel("Koordinaattorin tunniste").fill(token);
    await page.getByLabel("Tietolaji").selectOption("organisations");
    return page;
  }

  it("dry-runs a coordinator's CSV of organisations, shows every row, applies the same file and GraphQL answers the records", async () => {
    const token = await mintUserToken(stack.authSecret, { sub: "upload-page-14", scope: "data:write", role: "coordinator", counties: ["14"] });
    const prefix = `Sivutuonti ${process.pid}`;
    const ids = [businessId(3_300_000 + (process.pid % 1000) * 7), businessId(3_400_000 + (process.pid % 1000) * 7)];
    const file = csv([HEADER, [`${prefix} yhdistys A`, "association", ids[0]!, "14", "167"], [`${prefix} yhdistys B`, "association", ids[1]!, "14", "Ilomantsi"]]);
    const page = await uploadPage(token);
    expect(await page.getByRole("link", { name: "CSV" }).getAttribute("href")).toBe("/import/templates/organisations.csv");
    await page.getByLabel(/^Tiedosto/).setInputFiles({ name: "yhdistykset.csv", mimeType: "text/csv", buffer: file });
    await page.getByRole("button", { name: /Koeajo/ }).click();
    const rows = page.locator("#report-table tbody tr");
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((c) => c.textContent)))).toEqual([
      ["2", "uusi / created", ids[0]],
      ["3", "uusi / created", ids[1]],
    ]);
    expect(await page.locator("#status").textContent()).toContain("Koeajo / Dry run");
    const search = `query($s: String!) { organisations(filter: { search: $s }, first: 10) { totalCount edges { node { name businessId } } } }`;
    const before = await stack.query<{ organisations: { totalCount: number } }>(search, { s: prefix });
    expect(before.data?.organisations.totalCount).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: new URL("upload-dry-run.png", ARTIFACTS).pathname, fullPage: true });

    await page.getByRole("button", { name: /Tallenna tiedosto/ }).click();
    await page.locator("#status", { hasText: "Tallennettu / Applied" }).waitFor();
    expect(await rows.locator("td.status").allTextContents()).toEqual(["uusi / created", "uusi / created"]);
    expect(await page.getByRole("button", { name: /Tallenna tiedosto/ }).isHidden()).toBe(true);
    const after = await stack.query<{ organisations: { totalCount: number; edges: { node: { name: string } }[] } }>(search, { s: prefix });
    expect(after.errors).toBeUndefined();
    expect(after.data!.organisations.edges.map((e) => e.node.name).sort()).toEqual([`${prefix} yhdistys A`, `${prefix} yhdistys B`]);

    // The same file again: every row unchanged.
    await page.getByRole("button", { name: /Koeajo/ }).click();
    await page.locator("#status", { hasText: "ennallaan / unchanged 2" }).waitFor();

    // One cell edited: that row is updated, its field shown before → after.
    const edited = csv([HEADER, [`${prefix} yhdistys A`, "association", ids[0]!, "14", "276"], [`${prefix} yhdistys B`, "association", ids[1]!, "14", "Ilomantsi"]]);
    await page.getByLabel(/^Tiedosto/).setInputFiles({ name: "yhdistykset.csv", mimeType: "text/csv", buffer: edited });
    await page.getByRole("button", { name: /Koeajo/ }).click();
    const updated = page.locator("#report-table tbody tr.updated");
    await updated.waitFor();
    expect(await updated.locator("th").textContent()).toBe("2");
    expect(await updated.locator("ul.changes li").allTextContents()).toEqual([expect.stringMatching(/^Kunnat \(\w+\): .*167.* → .*276/)]);
    await page.close();
  });

  it("shows a refused row's line, column and rule, and offers no apply", async () => {
    const token = await mintUserToken(stack.authSecret, { sub: "upload-page-14b", scope: "data:write", role: "coordinator", counties: ["14"] });
    const prefix = `Hylkäys ${process.pid}`;
    const file = csv([HEADER, [`${prefix} yhdistys A`, "association", businessId(3_500_000 + (process.pid % 1000) * 7), "14", "167"], [`${prefix} yhdistys rikki`, "association", "1234567-8", "14", "167"]]);
    const page = await uploadPage(token);
    await page.getByLabel(/^Tiedosto/).setInputFiles({ name: "rikki.csv", mimeType: "text/csv", buffer: file });
    await page.getByRole("button", { name: /Koeajo/ }).click();
    const refused = page.locator("#report-table tbody tr.refused");
    await refused.waitFor();
    expect(await refused.locator("th").textContent()).toBe("3");
    const problem = (await refused.locator("ul.problems li").textContent()) ?? "";
    expect(problem).toContain("Y-tunnus (businessId)");
    expect(problem).toMatch(/business ID/i);
    expect(problem).toContain("[BAD_USER_INPUT]");
    expect(await page.locator("#status").textContent()).toContain("hylättyjä / refused 1");
    expect(await page.getByRole("button", { name: /Tallenna tiedosto/ }).isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe("the whole run", () => {
  it("made no request off this machine and raised no script error", () => {
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
