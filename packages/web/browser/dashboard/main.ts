import { viewDocuments } from "../views.ts";
import "./style.css";

// County dashboard: every section is one committed view (views/*.graphql)
// asked from the gateway's public GraphQL endpoint, plus the light areas query
// below for the matrix's column groups; nothing else is fetched.

const GROUP_KIND: Record<string, string> = {
  COOPERATION_GROUP: "Yhteistyöryhmä",
  PARTNERSHIP_GROUP: "Kumppanuusryhmä",
  ADVISORY_BOARD: "Neuvottelukunta",
  LIAISON_NETWORK: "Yhdyshenkilöverkosto",
  PARTNERSHIP_TABLE: "Kumppanuuspöytä",
};
const MEETING_KIND: Record<string, string> = {
  ORGANISING: "Järjestäytymiskokous",
  REGULAR: "Kokous",
  ANNUAL_NEGOTIATION: "Vuosittainen neuvottelu",
};
const MEASURE_STATUS: Record<string, string> = {
  PLANNED: "Suunniteltu",
  IN_PROGRESS: "Käynnissä",
  DONE: "Toteutunut",
  CANCELLED: "Peruttu",
};
const NOMINATION_STATUS: Record<string, string> = {
  SUBMITTED: "ehdotettu",
  ACCEPTED: "hyväksytty",
  REJECTED: "hylätty",
  WITHDRAWN: "peruttu",
};

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element; children given as text are escaped by the DOM. */
function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const srOnly = (text: string) => h("span", { class: "sr-only" }, text);
const empty = (text: string) => h("p", { class: "empty" }, text);
const label = (map: Record<string, string>, value: string) => map[value] ?? value;

const dateFi = (iso: string) => {
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${Number(d)}.${Number(m)}.${y}`;
};
const helsinki = new Intl.DateTimeFormat("fi-FI", {
  timeZone: "Europe/Helsinki",
  weekday: "short",
  day: "numeric",
  month: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

async function runView<T>(document: string, variables: Record<string, unknown>): Promise<T> {
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

// ---- view types (only the fields used here) ----

interface Coverage {
  county: {
    code: string;
    nameFi: string;
    // Fields another service contributes are null while that service is down.
    themes: { id: string; name: string }[] | null;
    municipalities: {
      code: string;
      nameFi: string;
      groupCoverage: { kind: string; groupCount: number; covered: boolean }[] | null;
      cooperationGroups: { id: string; kind: string; themes: { id: string }[] | null }[] | null;
    }[];
  } | null;
}
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
interface Nominations {
  nominationRounds: {
    id: string;
    name: string;
    opensOn: string;
    closesOn: string;
    isOpen: boolean;
    groups: { id: string; name: string }[];
    nominators: {
      id: string;
      kind: string;
      municipality: { code: string; nameFi: string } | null;
      category: { id: string; name: string } | null;
      answeredOn: string | null;
      answeredByDeadline: boolean | null;
      nominations: { status: string; asDeputy: boolean; person: { name: string } | null; organisation: { name: string } | null }[];
    }[];
  }[];
}
interface Meetings {
  meetings: { id: string; kind: string; title: string | null; startsAt: string; location: string | null; group: { name: string; kind: string } }[];
}
/** Places are null when the group's rules set no number of seats. */
interface Occupancy {
  memberPlaces: number | null;
  filledMemberPlaces: number;
  vacantMemberPlaces: number | null;
  deputyPlaces: number | null;
  filledDeputyPlaces: number;
  vacantDeputyPlaces: number | null;
}

const places = (filled: number, total: number | null) => (total === null ? `${filled} (paikkamäärää ei ole määritelty)` : `${filled}/${total}`);
const vacant = (count: number | null) => h("td", { class: count ? "uncovered" : "" }, count === null ? "–" : count);
interface Representation {
  cooperationGroups: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; name: string; kind: string; seatOccupancy: Occupancy; seats: { id: string }[]; memberships: { role: string }[] } }[];
  };
}
interface FollowUp {
  county: {
    measureFollowUp: {
      status: string;
      count: number;
      theme: { id: string; name: string } | null;
      municipality: { code: string; nameFi: string } | null;
      measures: { id: string; title: string; responsibleOrganisations: ({ name: string } | null)[]; responsibleGroups: ({ name: string } | null)[] }[];
    }[];
  } | null;
}

// ---- sections ----

const NO_AREA = "Ei aluetta";

function coverageSection(coverage: Coverage, areaList: Areas): HTMLElement {
  const county = coverage.county;
  if (!county) return empty("Hyvinvointialuetta ei löytynyt.");
  if (county.municipalities.length === 0) return empty("Ei kuntia.");
  // Areas and municipalities in the county's order; municipalities of no area last, in view 2's order.
  const byCode = new Map(county.municipalities.map((m) => [m.code, m]));
  const ordered: [string, typeof county.municipalities][] = [];
  const placed = new Set<string>();
  for (const area of areaList.areas) {
    const ms = area.municipalities.map((m) => byCode.get(m.code)).filter((m) => m !== undefined && !placed.has(m.code)) as typeof county.municipalities;
    for (const m of ms) placed.add(m.code);
    if (ms.length > 0) ordered.push([area.name, ms]);
  }
  const rest = county.municipalities.filter((m) => !placed.has(m.code));
  if (rest.length > 0) ordered.push([NO_AREA, rest]);
  const municipalities = ordered.flatMap(([, ms]) => ms);
  const kinds = Object.keys(GROUP_KIND).filter((kind) => municipalities.some((m) => m.groupCoverage?.some((c) => c.kind === kind)));
  const cell = (covered: boolean, text: string) =>
    h("td", { class: covered ? "covered" : "uncovered" }, covered ? text : "–", srOnly(covered ? " katettu" : " ei katettu"));
  const width = municipalities.length + 1;
  const uncoveredCount = municipalities.reduce((n, m) => n + (m.groupCoverage ?? []).filter((c) => !c.covered).length, 0);

  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "coverage-caption" },
    h(
      "table",
      { class: "matrix", id: "coverage-matrix" },
      h(
        "caption",
        { id: "coverage-caption" },
        `Kattavuus: ${county.nameFi}, ${municipalities.length} kuntaa ${ordered.length} alueella. Luku = ryhmien määrä; – = ei katettu (${uncoveredCount} ryhmätyyppisolua).`,
      ),
      h(
        "thead",
        {},
        h("tr", {}, h("td", {}), ordered.map(([area, ms]) => h("th", { scope: "colgroup", colspan: ms.length, class: "area" }, area))),
        h("tr", {}, h("td", {}), municipalities.map((m) => h("th", { scope: "col", class: "municipality", "data-code": m.code }, m.nameFi))),
      ),
      h(
        "tbody",
        {},
        h("tr", {}, h("th", { scope: "rowgroup", colspan: width, class: "rowgroup" }, "Ryhmätyypit")),
        kinds.map((kind) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, label(GROUP_KIND, kind)),
            municipalities.map((m) => {
              const c = m.groupCoverage?.find((x) => x.kind === kind);
              return cell(Boolean(c?.covered), String(c?.groupCount ?? 0));
            }),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        h("tr", {}, h("th", { scope: "rowgroup", colspan: width, class: "rowgroup" }, "Teemat")),
        county.themes === null
          ? h("tr", {}, h("td", { colspan: width }, "Teemoja ei juuri nyt saatu (palvelu ei vastannut)."))
          : county.themes.length === 0
          ? h("tr", {}, h("td", { colspan: width }, "Ei teemoja."))
          : county.themes.map((theme) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, theme.name),
                municipalities.map((m) => cell(Boolean(m.cooperationGroups?.some((g) => g.themes?.some((t) => t.id === theme.id))), "✓")),
              ),
            ),
      ),
    ),
  );
}

function nominationSection(data: Nominations): HTMLElement {
  if (data.nominationRounds.length === 0) return empty("Ei avoimia tai valitulla ajanjaksolla päättyneitä nimeämiskierroksia.");
  return h(
    "div",
    {},
    data.nominationRounds.map((round) => {
      const answered = round.nominators.filter((n) => n.answeredOn);
      const late = answered.filter((n) => n.answeredByDeadline === false);
      const missing = round.nominators.filter((n) => !n.answeredOn);
      return h(
        "div",
        { class: "round" },
        h("h3", {}, round.name),
        h(
          "p",
          {},
          `Määräaika ${dateFi(round.closesOn)} (${round.isOpen ? "avoinna" : "päättynyt"}). Vastannut ${answered.length}/${round.nominators.length}, myöhässä ${late.length}, vastaamatta ${missing.length}.`,
          round.groups.length ? ` Ryhmät: ${round.groups.map((g) => g.name).join(", ")}.` : "",
        ),
        round.nominators.length === 0
          ? empty("Ei nimeäjiä.")
          : h(
              "div",
              { class: "scroll", tabindex: 0, role: "region", "aria-label": `Nimeäjät: ${round.name}` },
              h(
                "table",
                {},
                h("caption", {}, `Nimeäjät: ${round.name}`),
                h("thead", {}, h("tr", {}, ["Nimeäjä", "Vastattu", "Määräajassa", "Nimetyt"].map((t) => h("th", { scope: "col" }, t)))),
                h(
                  "tbody",
                  {},
                  round.nominators.map((n) =>
                    h(
                      "tr",
                      { class: n.answeredOn ? (n.answeredByDeadline === false ? "late" : "") : "missing" },
                      h("th", { scope: "row" }, n.municipality?.nameFi ?? n.category?.name ?? n.id),
                      h("td", {}, n.answeredOn ? dateFi(n.answeredOn) : "Ei vastausta"),
                      h("td", {}, n.answeredOn ? (n.answeredByDeadline === false ? "Myöhässä" : "Kyllä") : "–"),
                      h(
                        "td",
                        {},
                        n.nominations.length === 0
                          ? "Ei nimeämisiä"
                          : n.nominations
                              .map((x) => `${x.person?.name ?? "?"}${x.asDeputy ? " (varajäsen)" : ""}, ${label(NOMINATION_STATUS, x.status)}`)
                              .join("; "),
                      ),
                    ),
                  ),
                ),
              ),
            ),
      );
    }),
  );
}

function meetingSection(data: Meetings): HTMLElement {
  if (data.meetings.length === 0) return empty("Ei kokouksia valitulla ajanjaksolla.");
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "meetings-caption" },
    h(
      "table",
      { id: "meetings-table" },
      h("caption", { id: "meetings-caption" }, `Kokoukset (${data.meetings.length}), aika Suomen aikaa`),
      h("thead", {}, h("tr", {}, ["Aika", "Ryhmä", "Ryhmätyyppi", "Kokous", "Paikka"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        data.meetings.map((m) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, h("time", { datetime: m.startsAt }, helsinki.format(new Date(m.startsAt)))),
            h("td", {}, m.group.name),
            h("td", {}, label(GROUP_KIND, m.group.kind)),
            h("td", {}, m.title ?? label(MEETING_KIND, m.kind)),
            h("td", {}, m.location ?? "–"),
          ),
        ),
      ),
    ),
  );
}

function representationSection(groups: Representation["cooperationGroups"]["edges"][number]["node"][]): HTMLElement {
  if (groups.length === 0) return empty("Ei ryhmiä.");
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "representation-caption" },
    h(
      "table",
      { id: "representation-table" },
      h("caption", { id: "representation-caption" }, "Edustus: jäsen- ja varajäsenpaikat ryhmittäin"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Ryhmä", "Ryhmätyyppi", "Jäseniä", "Jäsenpaikat täytetty", "Jäsenpaikat vapaana", "Varajäsenpaikat täytetty", "Varajäsenpaikat vapaana"].map((t) =>
            h("th", { scope: "col" }, t),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        groups.map((g) => {
          const o = g.seatOccupancy;
          return h(
            "tr",
            {},
            h("th", { scope: "row" }, g.name),
            h("td", {}, label(GROUP_KIND, g.kind)),
            h("td", {}, g.memberships.length === 0 ? "Ei jäseniä" : g.memberships.length),
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

function followUpSection(data: FollowUp): HTMLElement {
  const rows = data.county?.measureFollowUp ?? [];
  if (rows.length === 0) return empty("Ei toimenpiteitä hyvinvointisuunnitelmissa.");
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "followup-caption" },
    h(
      "table",
      { id: "followup-table" },
      h("caption", { id: "followup-caption" }, "Suunnitelmien toimenpiteet teemoittain, kunnittain ja tilan mukaan"),
      h("thead", {}, h("tr", {}, ["Teema", "Kunta", "Tila", "Määrä", "Toimenpiteet"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        rows.map((r) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, r.theme?.name ?? "Ei teemaa"),
            h("td", {}, r.municipality?.nameFi ?? "Koko alue"),
            h("td", {}, label(MEASURE_STATUS, r.status)),
            h("td", {}, r.count),
            h(
              "td",
              {},
              h(
                "ul",
                {},
                r.measures.map((m) => {
                  const by = [...m.responsibleOrganisations, ...m.responsibleGroups].flatMap((x) => (x ? [x.name] : []));
                  return h("li", {}, m.title, by.length ? ` (vastuu: ${by.join(", ")})` : "");
                }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

// ---- page ----

interface Params {
  county: string;
  from: string;
  to: string;
  activeOn: string;
}

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

function section(id: string, title: string): { el: HTMLElement; body: HTMLElement } {
  const body = h("div", { class: "section-body", "aria-live": "polite", "aria-busy": "true" }, h("p", { class: "loading" }, "Ladataan…"));
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
    content = h("p", { class: "error", role: "alert" }, `Tietojen haku epäonnistui: ${error instanceof Error ? error.message : String(error)}`);
  }
  body.replaceChildren(content);
  body.setAttribute("aria-busy", "false");
  performance.mark(`${MARK}${id}`);
}

async function allRepresentation(countyCode: string, activeOn: string) {
  const groups: Representation["cooperationGroups"]["edges"][number]["node"][] = [];
  let after: string | null = null;
  for (;;) {
    const data: Representation = await runView<Representation>(viewDocuments.representation, { countyCode, activeOn, after });
    groups.push(...data.cooperationGroups.edges.map((e) => e.node));
    if (!data.cooperationGroups.pageInfo.hasNextPage) return groups;
    after = data.cooperationGroups.pageInfo.endCursor;
  }
}

function render(params: Params): void {
  const main = document.getElementById("main");
  if (!main) return;
  const countyName = __COUNTIES__.find((c) => c.code === params.county)?.name ?? params.county;
  document.title = `${countyName} · yhdyspinnat`;
  const heading = document.getElementById("county-name");
  if (heading) heading.textContent = countyName;
  const coverage = section("kattavuus", "Yhteistyöryhmien kattavuus");
  const nominations = section("nimeamiset", "Nimeämisten tilanne");
  const meetings = section("kokoukset", "Kokouskalenteri");
  const representation = section("edustus", "Edustus ja paikat");
  const followUp = section("seuranta", "Suunnitelmien seuranta");
  main.replaceChildren(coverage.el, nominations.el, meetings.el, representation.el, followUp.el);
  const { county: countyCode, from, to, activeOn } = params;
  for (const entry of performance.getEntriesByType("mark")) if (entry.name.startsWith(MARK)) performance.clearMarks(entry.name);
  const matrix = Promise.all([
    runView<Coverage>(viewDocuments.coverageMatrix, { countyCode, activeOn }),
    runView<Areas>(AREAS_QUERY, { countyCode }),
  ]);
  // The matrix first: the other four views are asked once its answer is in.
  // Asked at the same time they share the server's cores with the matrix's
  // view, the page's slowest, and the matrix came last (measure-deploy.ts).
  // Each section is drawn as soon as its own answer arrives.
  const others = matrix.catch(() => undefined);
  const after = <T>(ask: () => Promise<T>) => others.then(ask);
  const done = Promise.all([
    fill("kattavuus", coverage.body, async () => coverageSection(...(await matrix))),
    fill("nimeamiset", nominations.body, async () => nominationSection(await after(() => runView<Nominations>(viewDocuments.nominationStatus, { countyCode, closedSince: from })))),
    fill("kokoukset", meetings.body, async () => meetingSection(await after(() => runView<Meetings>(viewDocuments.meetingCalendar, { countyCode, from, to })))),
    fill("edustus", representation.body, async () => representationSection(await after(() => allRepresentation(countyCode, activeOn)))),
    fill("seuranta", followUp.body, async () => followUpSection(await after(() => runView<FollowUp>(viewDocuments.planFollowUp, { countyCode })))),
  ]);
  void done.then(() => {
    performance.mark(`${MARK}all`);
    document.body.setAttribute("data-loaded", params.county);
  });
}

function setUp(): void {
  const form = document.getElementById("controls") as HTMLFormElement | null;
  const select = document.getElementById("county") as HTMLSelectElement | null;
  if (!form || !select) return;
  const params = readParams();
  select.replaceChildren(...__COUNTIES__.map((c) => h("option", { value: c.code }, `${c.code} ${c.name}`)));
  select.value = params.county;
  for (const name of ["from", "to", "activeOn"] as const) {
    const input = document.getElementById(name) as HTMLInputElement | null;
    if (input) input.value = params[name];
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const q = new URLSearchParams();
    for (const key of ["county", "from", "to", "activeOn"]) q.set(key, String(data.get(key) ?? ""));
    history.pushState(null, "", `?${q.toString()}`);
    document.body.removeAttribute("data-loaded");
    render(readParams());
  });
  window.addEventListener("popstate", () => {
    const next = readParams();
    select.value = next.county;
    render(next);
  });
  render(params);
}

setUp();
