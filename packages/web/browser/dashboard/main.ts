import { h, setUpChrome, type Child } from "../chrome.ts";
import { formats, type Lang } from "../i18n.ts";
// The views' answers are typed by views/generated.ts (pnpm schema), not by hand.
import type { CoverageMatrixQuery, MeetingCalendarQuery, NominationStatusQuery, PlanFollowUpQuery, RepresentationQuery } from "../../../../views/generated.ts";
import { viewDocuments, type ViewText } from "../views.ts";
import { barChart, figure, lineChart, tileMap, type Bar, type Series } from "./charts.ts";
import "./style.css";

// County dashboard: every section is one committed view (views/*.graphql)
// asked from the gateway's public GraphQL endpoint, plus light queries of its
// own below (the matrix's areas; Swedish names; the plan's indicators).

const { lang, t } = setUpChrome();
const f = formats(lang);

const srOnly = (text: string) => h("span", { class: "sr-only" }, text);
const empty = (text: string) => h("p", { class: "empty" }, text);
const label = (map: Record<string, string>, value: string) => map[value] ?? value;
const num = (n: number) => f.number(n);

/**
 * A value the data has only in Finnish (names of groups, themes, rounds,
 * measures): on a Swedish or English page it is marked as Finnish for screen
 * readers (lang) and for the eye (a small FI tag).
 */
function finnish(value: string): Node | string {
  if (lang === "fi") return value;
  return h("span", { class: "other-lang" }, h("span", { lang: "fi" }, value), " ", h("span", { class: "lang-mark", "aria-hidden": "true" }, "fi"), srOnly(`(${t.onlyIn.fi})`));
}

/** A name with its own language variants: the page language's where there is one, otherwise Finnish, marked. */
function named(names: { fi: string; sv?: string | null | undefined; en?: string | null | undefined }): Node | string {
  const own = lang === "fi" ? names.fi : names[lang];
  return own ? own : finnish(names.fi);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

/** One of the dashboard's own light queries (below), typed by hand. */
async function runQuery<T>(document: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new Error(`HTTP ${response.status}`);
  return body.data;
}

/** A committed view, its answer typed as views/generated.ts has it (fields another service contributes are null while that service is down). */
function runView<Result, Variables extends Record<string, unknown>>(view: ViewText<Result, Variables>, variables: Variables): Promise<Result> {
  return runQuery<Result>(view, variables);
}

// ---- the dashboard's own queries and their types ----

/**
 * The county's areas and their municipalities, in the county's own order (seed
 * 002's table: KESKINEN, POHJOINEN, LÄNTINEN, ETELÄINEN). A light query of the
 * groups subgraph alone: the matrix needs no more than this besides view 2
 * (view 1 would bring every partnership group's members just for the areas).
 */
const AREAS_QUERY = `query DashboardAreas($countyCode: ID!) {
  areas(countyCode: $countyCode) { id name municipalities { code } }
}`;
interface Areas {
  areas: { id: string; name: string; municipalities: { code: string }[] }[];
}
/** The names the API has in other languages: municipalities in Swedish, themes in English (Swedish and English pages). */
const NAMES_QUERY = `query DashboardNames($countyCode: ID!) {
  county(code: $countyCode) { municipalities { code nameSv } themes { id nameEn } }
}`;
interface Names {
  county: { municipalities: { code: string; nameSv: string }[]; themes: { id: string; nameEn: string | null }[] | null } | null;
}

/** The county plan's goals with the indicators they are monitored by. */
const GOALS_QUERY = `query DashboardGoals($countyCode: ID!) {
  county(code: $countyCode) {
    wellbeingPlans { id councilTerm goals { id text indicators { id name nameEn unit } } }
  }
}`;
interface Goals {
  county: {
    wellbeingPlans: { id: string; councilTerm: string; goals: { id: string; text: string; indicators: { id: string; name: string; nameEn: string | null; unit: string | null }[] }[] }[] | null;
  } | null;
}
/** Yearly values (both sexes together) of those indicators for the county and each municipality. */
const VALUES_QUERY = `query DashboardIndicatorValues($countyCode: ID!, $ids: [ID!]) {
  county(code: $countyCode) {
    indicatorValues(indicatorIds: $ids, sex: [TOTAL]) { indicator { id } year value }
    municipalities { code nameFi indicatorValues(indicatorIds: $ids, sex: [TOTAL]) { indicator { id } year value } }
  }
}`;
interface IndicatorValues {
  county: {
    indicatorValues: { indicator: { id: string }; year: number; value: number | null }[] | null;
    municipalities: { code: string; nameFi: string; indicatorValues: { indicator: { id: string }; year: number; value: number | null }[] | null }[];
  } | null;
}

/** The meeting the address's fragment names (#meeting-<id>), as the calendar feeds link to it. */
const MEETING_DAYS_QUERY = `query DashboardMeetingDay($countyCode: ID!) {
  meetings(countyCode: $countyCode) { id startsAt }
}`;

// ---- helpers ----

/** A wide table in a focusable scroll region, with a visible cue while it is wider than its box. */
function scrollRegion(labelledBy: string, table: HTMLElement): HTMLElement {
  const hint = h("p", { class: "scroll-hint", hidden: true }, h("span", { "aria-hidden": "true" }, "↔ "), t.scrollHint);
  const region = h("div", { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": labelledBy }, table);
  const check = () => {
    const wide = region.scrollWidth > region.clientWidth + 1;
    hint.hidden = !wide;
    region.classList.toggle("overflows", wide);
    region.classList.toggle("at-end", region.scrollLeft + region.clientWidth >= region.scrollWidth - 1);
  };
  new ResizeObserver(check).observe(region);
  region.addEventListener("scroll", check, { passive: true });
  return h("div", { class: "scroll-wrap" }, hint, region);
}

// ---- sections ----

/** Swedish municipality names by code, once the names query has answered (Swedish pages). */
let svNames = new Map<string, string>();
/** A municipality's name in the page language: Swedish from the API on Swedish pages, otherwise the Finnish (place names in English). */
const municipalityText = (m: { code: string; nameFi: string }) => (lang === "sv" && svNames.get(m.code)) || m.nameFi;

function coverageSection(coverage: CoverageMatrixQuery, areaList: Areas, names: Names | null): HTMLElement {
  const county = coverage.county;
  if (!county) return empty(t.countyNotFound);
  if (county.municipalities.length === 0) return empty(t.noMunicipalities);
  svNames = new Map((names?.county?.municipalities ?? []).map((m) => [m.code, m.nameSv]));
  const sv = svNames;
  const themeEn = new Map((names?.county?.themes ?? []).map((x) => [x.id, x.nameEn]));
  const municipalityName = (m: { code: string; nameFi: string }) => named({ fi: m.nameFi, sv: sv.get(m.code), en: m.nameFi });
  // Areas and municipalities in the county's order; municipalities of no area last, in view 2's order.
  const byCode = new Map(county.municipalities.map((m) => [m.code, m]));
  const ordered: [Node | string, typeof county.municipalities][] = [];
  const placed = new Set<string>();
  for (const area of areaList.areas) {
    const ms = area.municipalities.map((m) => byCode.get(m.code)).filter((m) => m !== undefined && !placed.has(m.code)) as typeof county.municipalities;
    for (const m of ms) placed.add(m.code);
    if (ms.length > 0) ordered.push([finnish(area.name), ms]);
  }
  const rest = county.municipalities.filter((m) => !placed.has(m.code));
  if (rest.length > 0) ordered.push([t.noArea, rest]);
  const municipalities = ordered.flatMap(([, ms]) => ms);
  const kinds = Object.keys(t.groupKind).filter((kind) => municipalities.some((m) => m.groupCoverage?.some((c) => c.kind === kind)));
  const cell = (covered: boolean, text: string) =>
    h("td", { class: covered ? "covered" : "uncovered" }, covered ? text : "–", srOnly(` ${covered ? t.covered : t.notCovered}`));
  const width = municipalities.length + 1;
  const uncoveredCount = municipalities.reduce((n, m) => n + (m.groupCoverage ?? []).filter((c) => !c.covered).length, 0);
  const countyName = countyNames(county.code);

  const table = h(
    "table",
    { class: "matrix", id: "coverage-matrix" },
    h(
      "caption",
      { id: "coverage-caption" },
      t.coverageCaption(countyName, num(municipalities.length), num(ordered.length), num(uncoveredCount), ordered.length === 1),
    ),
    h(
      "thead",
      {},
      h("tr", {}, h("td", {}), ordered.map(([area, ms]) => h("th", { scope: "colgroup", colspan: ms.length, class: "area" }, area))),
      h("tr", {}, h("td", {}), municipalities.map((m) => h("th", { scope: "col", class: "municipality", "data-code": m.code }, municipalityName(m)))),
    ),
    h(
      "tbody",
      {},
      h("tr", {}, h("th", { scope: "rowgroup", colspan: width, class: "rowgroup" }, t.groupKinds)),
      kinds.map((kind) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, label(t.groupKind, kind)),
          municipalities.map((m) => {
            const c = m.groupCoverage?.find((x) => x.kind === kind);
            return cell(Boolean(c?.covered), num(c?.groupCount ?? 0));
          }),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      h("tr", {}, h("th", { scope: "rowgroup", colspan: width, class: "rowgroup" }, t.themes)),
      county.themes === null
        ? h("tr", {}, h("td", { colspan: width }, t.themesUnavailable))
        : county.themes.length === 0
        ? h("tr", {}, h("td", { colspan: width }, t.noThemes))
        : county.themes.map((theme) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, named({ fi: theme.name, en: themeEn.get(theme.id) })),
              municipalities.map((m) => cell(Boolean(m.cooperationGroups?.some((g) => g.themes?.some((x) => x.id === theme.id))), "✓")),
            ),
          ),
    ),
  );
  const tiles = tileMap(
    ordered.map(([area, ms]) => ({
      name: area,
      tiles: ms.map((m) => {
        const covered = (m.groupCoverage ?? []).filter((c) => c.covered && kinds.includes(c.kind)).length;
        return { label: municipalityName(m), title: t.tileLabel(municipalityText(m), num(covered), num(kinds.length)), covered, of: kinds.length };
      }),
    })),
    { full: t.legendFull, partial: t.legendPartial, none: t.legendNone },
  );
  return h(
    "div",
    {},
    figure("coverage", t.tilesTitle, t.tilesDescription, tiles, "coverage-matrix"),
    h("h3", {}, t.dataTable),
    scrollRegion("coverage-caption", table),
  );
}

/** Nominations that count against a nominator's limits: those neither rejected nor withdrawn. */
const inForce = (status: string) => status !== "REJECTED" && status !== "WITHDRAWN";

function nominationSection(data: NominationStatusQuery): HTMLElement {
  if (data.nominationRounds.length === 0) return empty(t.noRounds);
  return h(
    "div",
    {},
    data.nominationRounds.map((round, r) => {
      const answered = round.nominators.filter((n) => n.answeredOn);
      const late = answered.filter((n) => n.answeredByDeadline === false);
      const missing = round.nominators.filter((n) => !n.answeredOn);
      const tableId = `nominators-${r + 1}`;
      const captionId = `${tableId}-caption`;
      const min = round.minPerNominator;
      const max = round.maxPerNominator;
      const limits = min === null && max === null ? t.noLimits : t.limits(min === null ? null : num(min), max === null ? null : num(max));
      const nominatorName = (n: NominationStatusQuery["nominationRounds"][number]["nominators"][number]) =>
        n.municipality ? municipalityText(n.municipality) : (n.category?.name ?? n.id);
      const bars: Bar[] = round.nominators.map((n) => ({
        label: nominatorName(n),
        count: n.nominations.filter((x) => inForce(x.status)).length,
        min,
        max,
      }));
      return h(
        "div",
        { class: "round" },
        h("h3", {}, finnish(round.name)),
        h(
          "p",
          {},
          t.roundSummary(f.date(round.closesOn), round.isOpen, num(answered.length), num(round.nominators.length), num(late.length), num(missing.length)),
          round.groups.length ? [t.roundGroups(""), ...round.groups.flatMap((g, i) => [i ? ", " : "", finnish(g.name)])] : "",
        ),
        round.nominators.length === 0
          ? empty(t.noNominators)
          : [
              figure(
                "nominations",
                t.progressTitle(round.name),
                t.progressDescription,
                barChart(bars, bars.map((b) => t.progressLabel(b.label, num(b.count), limits)).join("; "), num),
                tableId,
              ),
              scrollRegion(
                captionId,
                h(
                  "table",
                  { id: tableId, class: "nominators" },
                  h("caption", { id: captionId }, t.nominatorsCaption(round.name)),
                  h("thead", {}, h("tr", {}, t.nominatorCols.map((c) => h("th", { scope: "col" }, c)))),
                  h(
                    "tbody",
                    {},
                    round.nominators.map((n, i) =>
                      h(
                        "tr",
                        { class: n.answeredOn ? (n.answeredByDeadline === false ? "late" : "") : "missing" },
                        h("th", { scope: "row" }, n.municipality ? municipalityText(n.municipality) : n.category ? finnish(n.category.name) : n.id),
                        h("td", {}, n.answeredOn ? f.date(n.answeredOn) : t.noAnswer),
                        h("td", {}, n.answeredOn ? (n.answeredByDeadline === false ? t.late : t.yes) : "–"),
                        h("td", { class: "count" }, `${num(bars[i]!.count)} / ${limits}`),
                        h(
                          "td",
                          {},
                          n.nominations.length === 0
                            ? t.noNominations
                            : n.nominations
                                .map((x) => `${x.person?.name ?? "?"}${x.asDeputy ? ` (${t.deputy})` : ""}, ${label(t.nominationStatus, x.status)}`)
                                .join("; "),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ],
      );
    }),
  );
}

function meetingSection(data: MeetingCalendarQuery): HTMLElement {
  if (data.meetings.length === 0) return empty(t.noMeetings);
  return scrollRegion(
    "meetings-caption",
    h(
      "table",
      { id: "meetings-table" },
      h("caption", { id: "meetings-caption" }, t.meetingsCaption(num(data.meetings.length))),
      h("thead", {}, h("tr", {}, t.meetingCols.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        data.meetings.map((m) =>
          h(
            "tr",
            { id: `meeting-${m.id}`, tabindex: -1 },
            h("th", { scope: "row" }, h("time", { datetime: m.startsAt }, f.moment(m.startsAt))),
            h("td", {}, finnish(m.group.name)),
            h("td", {}, label(t.groupKind, m.group.kind)),
            h("td", {}, m.title ? finnish(m.title) : label(t.meetingKind, m.kind)),
            h("td", {}, m.location ? finnish(m.location) : "–"),
          ),
        ),
      ),
    ),
  );
}

type RepresentationGroup = RepresentationQuery["cooperationGroups"]["edges"][number]["node"];

function representationSection(groups: RepresentationGroup[]): HTMLElement {
  if (groups.length === 0) return empty(t.noGroups);
  const places = (filled: number, total: number | null) => (total === null ? `${num(filled)} (${t.placesUndefined})` : `${num(filled)}/${num(total)}`);
  const vacant = (count: number | null) => h("td", { class: count ? "uncovered" : "" }, count === null ? "–" : num(count));
  return scrollRegion(
    "representation-caption",
    h(
      "table",
      { id: "representation-table" },
      h("caption", { id: "representation-caption" }, t.representationCaption),
      h("thead", {}, h("tr", {}, t.representationCols.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        groups.map((g) => {
          const o = g.seatOccupancy;
          return h(
            "tr",
            {},
            h("th", { scope: "row" }, finnish(g.name)),
            h("td", {}, label(t.groupKind, g.kind)),
            h("td", {}, g.memberships.length === 0 ? t.noMembers : num(g.memberships.length)),
            h("td", {}, places(o.filledMemberPlaces, o.memberPlaces)),
            vacant(o.vacantMemberPlaces),
            h("td", {}, places(o.filledDeputyPlaces, o.deputyPlaces)),
            vacant(o.vacantDeputyPlaces),
          );
        }),
      ),
    ),
  );
}

function followUpSection(data: PlanFollowUpQuery, indicators: HTMLElement): HTMLElement {
  const rows = data.county?.measureFollowUp ?? [];
  const measures =
    rows.length === 0
      ? empty(t.noMeasures)
      : scrollRegion(
          "followup-caption",
          h(
            "table",
            { id: "followup-table" },
            h("caption", { id: "followup-caption" }, t.followUpCaption),
            h("thead", {}, h("tr", {}, t.followUpCols.map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              rows.map((r) =>
                h(
                  "tr",
                  {},
                  h("th", { scope: "row" }, r.theme ? finnish(r.theme.name) : t.noTheme),
                  h("td", {}, r.municipality ? municipalityText(r.municipality) : t.wholeCounty),
                  h("td", {}, label(t.measureStatus, r.status)),
                  h("td", {}, num(r.count)),
                  h(
                    "td",
                    {},
                    h(
                      "ul",
                      {},
                      r.measures.map((m) => {
                        const by = [...m.responsibleOrganisations, ...m.responsibleGroups].flatMap((x) => (x ? [x.name] : []));
                        return h("li", {}, finnish(m.title), by.length ? [t.responsible(""), ...by.flatMap((name, i) => [i ? ", " : "", finnish(name)])] : "");
                      }),
                    ),
                  ),
                ),
              ),
            ),
          ),
        );
  return h("div", {}, measures, h("h3", { id: "indicators-title" }, t.indicatorsTitle), indicators);
}

/** Per goal of the county's plans, each indicator's yearly values for the county and its municipalities, drawn and tabled. */
async function indicatorCharts(countyCode: string): Promise<HTMLElement> {
  const goals = (await runQuery<Goals>(GOALS_QUERY, { countyCode })).county?.wellbeingPlans?.flatMap((p) => p.goals) ?? [];
  const ids = [...new Set(goals.flatMap((g) => g.indicators.map((i) => i.id)))];
  if (ids.length === 0) return empty(t.noIndicators);
  const values = (await runQuery<IndicatorValues>(VALUES_QUERY, { countyCode, ids })).county;
  if (!values) return empty(t.noIndicators);
  const countyName = countyNames(countyCode);
  const regions = [
    { name: countyName, emphasis: true, values: values.indicatorValues ?? [] },
    ...values.municipalities.map((m) => ({ name: municipalityText(m), emphasis: false, values: m.indicatorValues ?? [] })),
  ];
  const parts: HTMLElement[] = [];
  let n = 0;
  for (const goal of goals) {
    for (const indicator of goal.indicators) {
      const series: Series[] = regions
        .map((r) => ({
          label: r.name,
          emphasis: r.emphasis,
          points: r.values.filter((v) => v.indicator.id === indicator.id && v.value !== null).map((v) => ({ year: v.year, value: v.value! })),
        }))
        .filter((x) => x.points.length > 0);
      if (series.length === 0) continue;
      const years = [...new Set(series.flatMap((x) => x.points.map((p) => p.year)))].sort((a, b) => a - b);
      const name = lang === "en" && indicator.nameEn ? indicator.nameEn : indicator.name;
      const shownName: Child = lang === "en" && indicator.nameEn ? indicator.nameEn : finnish(indicator.name);
      const tableId = `indicator-table-${++n}`;
      const captionId = `${tableId}-caption`;
      const main = series.find((x) => x.emphasis);
      const summary = main ? `${main.label}: ${main.points.sort((a, b) => a.year - b.year).map((p) => `${p.year} ${num(p.value)}`).join(", ")}` : name;
      const table = h(
        "table",
        { id: tableId, class: "indicator-table" },
        h("caption", { id: captionId }, t.indicatorTableCaption(name)),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t.area), years.map((y) => h("th", { scope: "col" }, String(y))))),
        h(
          "tbody",
          {},
          series.map((x) =>
            h(
              "tr",
              { class: x.emphasis ? "main" : "" },
              h("th", { scope: "row" }, x.emphasis ? `${x.label} (${t.countyAsArea})` : x.label),
              years.map((y) => {
                const p = x.points.find((q) => q.year === y);
                return h("td", {}, p ? num(p.value) : "–");
              }),
            ),
          ),
        ),
      );
      parts.push(
        h(
          "div",
          { class: "indicator" },
          h("h4", {}, shownName),
          h("p", { class: "goal" }, t.goal(""), finnish(goal.text)),
          figure("indicator", t.indicatorChartTitle(name, indicator.unit), t.indicatorDescription(countyName), lineChart(series, summary, num), tableId),
          scrollRegion(captionId, table),
        ),
      );
    }
  }
  return parts.length ? h("div", {}, parts) : empty(t.noIndicators);
}

// ---- page ----

/** The county's name in the page language (the reference data has all three). */
function countyNames(code: string): string {
  const county = __COUNTIES__.find((c) => c.code === code);
  if (!county) return code;
  return county.name[lang] || county.name.fi;
}

interface Params {
  county: string;
  from: string;
  to: string;
  activeOn: string;
}

const DATE_FIELDS = ["from", "to", "activeOn"] as const;

function readParams(): Params {
  const q = new URLSearchParams(location.search);
  const today = new Date();
  const year = today.getUTCFullYear();
  const valid = (value: string | null, fallback: string) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : fallback);
  const county = q.get("county");
  return {
    county: county && __COUNTIES__.some((c) => c.code === county) ? county : (__COUNTIES__[0]?.code ?? "01"),
    from: valid(q.get("from"), `${year - 1}-01-01`),
    to: valid(q.get("to"), `${year + 1}-12-31`),
    activeOn: valid(q.get("activeOn"), isoDay(today)),
  };
}

function writeParams(params: Params, mode: "push" | "replace"): void {
  const q = new URLSearchParams({ lang, county: params.county, from: params.from, to: params.to, activeOn: params.activeOn });
  const url = `?${q.toString()}${location.hash}`;
  if (mode === "push") history.pushState(null, "", url);
  else history.replaceState(history.state, "", url);
}

function showParams(params: Params): void {
  const select = document.getElementById("county") as HTMLSelectElement | null;
  if (select) select.value = params.county;
  for (const name of DATE_FIELDS) {
    const input = document.getElementById(name) as HTMLInputElement | null;
    if (input) input.value = f.date(params[name]);
  }
}

function section(id: string, title: string): { el: HTMLElement; body: HTMLElement } {
  const body = h("div", { class: "section-body", "aria-live": "polite", "aria-busy": "true" }, h("p", { class: "loading" }, t.loading));
  const el = h("section", { id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), body);
  return { el, body };
}

/** Prefix of the performance marks the page sets as each section is in the page (read by bench/src/measure-deploy.ts). */
const MARK = "dashboard:";

async function fill(id: string, body: HTMLElement, render: () => Promise<HTMLElement>): Promise<void> {
  let content: HTMLElement;
  try {
    content = await render();
  } catch (error) {
    content = h("p", { class: "error", role: "alert" }, t.loadFailed(error instanceof Error ? error.message : String(error)));
  }
  body.replaceChildren(content);
  body.setAttribute("aria-busy", "false");
  performance.mark(`${MARK}${id}`);
}

async function allRepresentation(countyCode: string, activeOn: string) {
  const groups: RepresentationGroup[] = [];
  let after: string | null = null;
  for (;;) {
    const data: RepresentationQuery = await runView(viewDocuments.representation, { countyCode, activeOn, after });
    groups.push(...data.cooperationGroups.edges.map((e) => e.node));
    if (!data.cooperationGroups.pageInfo.hasNextPage) return groups;
    after = data.cooperationGroups.pageInfo.endCursor;
  }
}

/**
 * The calendar feeds link each event to `/dashboard/?county=<code>#meeting-<id>`.
 * When that meeting lies outside the chosen period the period is widened to
 * its day (and the address and fields say so); the row is then scrolled to,
 * focused and highlighted.
 */
const meetingTarget = () => (/^#meeting-(.+)$/.exec(location.hash)?.[1] ? decodeURIComponent(location.hash.slice("#meeting-".length)) : null);

async function meetingsFor(params: Params): Promise<MeetingCalendarQuery> {
  const { county: countyCode } = params;
  const data = await runView(viewDocuments.meetingCalendar, { countyCode, from: params.from, to: params.to });
  const target = meetingTarget();
  if (!target || data.meetings.some((m) => m.id === target)) return data;
  const all = await runQuery<{ meetings: { id: string; startsAt: string }[] }>(MEETING_DAYS_QUERY, { countyCode });
  const found = all.meetings.find((m) => m.id === target);
  if (!found) return data;
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Helsinki", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(found.startsAt));
  if (day < params.from) params.from = day;
  if (day > params.to) params.to = day;
  showParams(params);
  writeParams(params, "replace");
  return await runView(viewDocuments.meetingCalendar, { countyCode, from: params.from, to: params.to });
}

function landOnMeeting(): void {
  const target = meetingTarget();
  if (!target) return;
  const row = document.getElementById(`meeting-${target}`);
  if (!row) return;
  for (const old of document.querySelectorAll(".highlight")) old.classList.remove("highlight");
  row.classList.add("highlight");
  row.setAttribute("aria-description", t.meetingFromCalendar);
  row.scrollIntoView({ block: "center" });
  row.focus({ preventScroll: true });
}

/**
 * Which sections a change of a record type touches: a live change (below)
 * redraws these and no other. A type not named here touches none.
 */
const TOUCHES: Record<string, readonly string[]> = {
  CooperationGroup: ["kattavuus", "nimeamiset", "kokoukset", "edustus", "seuranta"],
  Theme: ["kattavuus", "seuranta"],
  Area: ["kattavuus"],
  Municipality: ["kattavuus"],
  NominationRound: ["nimeamiset"],
  Nominator: ["nimeamiset"],
  Nomination: ["nimeamiset"],
  NominationStatusChange: ["nimeamiset"],
  OrganisationCategory: ["nimeamiset"],
  Person: ["nimeamiset", "edustus"],
  Organisation: ["nimeamiset", "edustus", "seuranta"],
  GroupMeeting: ["kokoukset"],
  GroupSeat: ["edustus"],
  GroupMembership: ["edustus"],
  Measure: ["seuranta"],
  WellbeingPlan: ["seuranta"],
  WellbeingGoal: ["seuranta"],
  Indicator: ["seuranta"],
  IndicatorValue: ["seuranta"],
};

/** The county's changes as they commit: a GraphQL subscription over SSE (graphql-sse's GET form, which EventSource speaks). */
const LIVE_SUBSCRIPTION = `subscription DashboardLive($countyCode: ID!) { countyChanges(countyCode: $countyCode) { recordType operation } }`;
/** Changes arriving within this many milliseconds redraw a section once. */
const LIVE_SETTLE_MS = 250;
let live: EventSource | null = null;

/** Follows the county's changes and redraws the sections they touch; nothing is asked again until a change arrives. */
function follow(countyCode: string, redraw: (ids: Set<string>) => void): void {
  live?.close();
  if (typeof EventSource === "undefined") return;
  const q = new URLSearchParams({ query: LIVE_SUBSCRIPTION, variables: JSON.stringify({ countyCode }) });
  const source = new EventSource(`/subscriptions?${q.toString()}`);
  live = source;
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  source.addEventListener("next", (event) => {
    const change = (JSON.parse((event as MessageEvent<string>).data) as { data?: { countyChanges?: { recordType: string } } }).data?.countyChanges;
    for (const id of (change && TOUCHES[change.recordType]) ?? []) pending.add(id);
    if (pending.size === 0 || timer) return;
    timer = setTimeout(() => {
      timer = null;
      const ids = pending;
      pending = new Set();
      redraw(ids);
    }, LIVE_SETTLE_MS);
  });
}

function render(params: Params): void {
  const main = document.getElementById("main");
  if (!main) return;
  const countyName = countyNames(params.county);
  document.title = `${countyName} · ${t.titleSuffix}`;
  const heading = document.getElementById("county-name");
  if (heading) heading.textContent = countyName;
  const coverage = section("kattavuus", t.coverageTitle);
  const nominations = section("nimeamiset", t.nominationsTitle);
  const meetings = section("kokoukset", t.meetingsTitle);
  const representation = section("edustus", t.representationTitle);
  const followUp = section("seuranta", t.followUpTitle);
  main.replaceChildren(coverage.el, nominations.el, meetings.el, representation.el, followUp.el);
  const { county: countyCode, from, activeOn } = params;
  for (const entry of performance.getEntriesByType("mark")) if (entry.name.startsWith(MARK)) performance.clearMarks(entry.name);
  const askMatrix = () =>
    Promise.all([
      runView(viewDocuments.coverageMatrix, { countyCode, activeOn }),
      runQuery<Areas>(AREAS_QUERY, { countyCode }),
      lang !== "fi" ? runQuery<Names>(NAMES_QUERY, { countyCode }).catch(() => null) : Promise.resolve(null),
    ]);
  const matrix = askMatrix();
  // The matrix first: the other four views are asked once its answer is in.
  // Asked at the same time they share the server's cores with the matrix's
  // view, the page's slowest, and the matrix came last (measure-deploy.ts).
  // Each section is drawn as soon as its own answer arrives.
  const others = matrix.catch(() => undefined);
  const after = <T>(ask: () => Promise<T>) => others.then(ask);
  // Each section's drawing from its own answers; `first` waits for the matrix (the first drawing), a redraw does not.
  const sections: Record<string, { body: HTMLElement; draw: (first: boolean) => Promise<HTMLElement> }> = {
    kattavuus: { body: coverage.body, draw: async (first) => coverageSection(...(first ? await matrix : await askMatrix())) },
    nimeamiset: { body: nominations.body, draw: async (first) => nominationSection(await (first ? after : (ask: () => Promise<NominationStatusQuery>) => ask())(() => runView(viewDocuments.nominationStatus, { countyCode, closedSince: from }))) },
    kokoukset: { body: meetings.body, draw: async (first) => meetingSection(await (first ? after(() => meetingsFor(params)) : meetingsFor(params))) },
    edustus: { body: representation.body, draw: async (first) => representationSection(await (first ? after(() => allRepresentation(countyCode, activeOn)) : allRepresentation(countyCode, activeOn))) },
    seuranta: {
      body: followUp.body,
      draw: async (first) => {
        const ask = () =>
          Promise.all([
            runView(viewDocuments.planFollowUp, { countyCode }),
            indicatorCharts(countyCode).catch((error: unknown) => h("p", { class: "error", role: "alert" }, t.loadFailed(error instanceof Error ? error.message : String(error)))),
          ]);
        const [plan, indicators] = await (first ? after(ask) : ask());
        return followUpSection(plan, indicators);
      },
    },
  };
  const done = Promise.all(Object.entries(sections).map(([id, { body, draw }]) => fill(id, body, () => draw(true)).then(id === "kokoukset" ? landOnMeeting : () => undefined)));
  void done.then(() => {
    performance.mark(`${MARK}all`);
    document.body.setAttribute("data-loaded", params.county);
    // Live from here on: a change redraws only the sections it touches (each counts its redraws in data-redraws).
    follow(params.county, (ids) => {
      if (document.body.getAttribute("data-loaded") !== params.county) return;
      for (const id of ids) {
        const target = sections[id];
        if (!target) continue;
        const el = document.getElementById(id);
        void fill(id, target.body, () => target.draw(false)).then(() => el?.setAttribute("data-redraws", String(Number(el.getAttribute("data-redraws") ?? 0) + 1)));
      }
    });
  });
}

/** Reads the form's dates in the page's format; marks every field it cannot read and says how to write it. */
function readForm(form: HTMLFormElement): Params | null {
  const data = new FormData(form);
  const params: Params = { county: String(data.get("county") ?? ""), from: "", to: "", activeOn: "" };
  let firstBad: HTMLInputElement | null = null;
  for (const name of DATE_FIELDS) {
    const input = document.getElementById(name) as HTMLInputElement;
    const error = document.getElementById(`${name}-error`)!;
    const parsed = f.parseDate(input.value);
    const fieldLabel = t[name];
    if (parsed) {
      params[name] = parsed;
      input.removeAttribute("aria-invalid");
      error.textContent = "";
    } else {
      input.setAttribute("aria-invalid", "true");
      error.textContent = t.dateInvalid(fieldLabel, f.dateHint);
      firstBad ??= input;
    }
  }
  if (!firstBad && params.to < params.from) {
    const input = document.getElementById("to") as HTMLInputElement;
    input.setAttribute("aria-invalid", "true");
    document.getElementById("to-error")!.textContent = t.dateOrder;
    firstBad = input;
  }
  if (firstBad) {
    firstBad.focus();
    return null;
  }
  return params;
}

function setUp(): void {
  const form = document.getElementById("controls") as HTMLFormElement | null;
  const select = document.getElementById("county") as HTMLSelectElement | null;
  if (!form || !select) return;
  const params = readParams();
  select.replaceChildren(...__COUNTIES__.map((c) => h("option", { value: c.code }, `${c.code} ${c.name[lang] || c.name.fi}`)));
  for (const name of DATE_FIELDS) {
    const hint = document.getElementById(`${name}-hint`);
    if (hint) hint.textContent = `(${t.dateFormat(f.dateHint)})`;
  }
  showParams(params);
  writeParams(params, "replace");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = readForm(form);
    if (!next) return;
    writeParams(next, "push");
    document.body.removeAttribute("data-loaded");
    render(next);
  });
  window.addEventListener("popstate", () => {
    const next = readParams();
    showParams(next);
    render(next);
  });
  window.addEventListener("hashchange", landOnMeeting);
  render(params);
}

setUp();
