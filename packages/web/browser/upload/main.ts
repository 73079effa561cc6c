import { h } from "../chrome.ts";
import "../dashboard/style.css";
import "./style.css";

/**
 * The coordinators' upload page: a kind, a file, the dry-run report of
 * `POST /import/<kind>?file=` and then the same file applied (`&apply=true`),
 * the very route `pnpm run import` posts to. The token is the coordinator's
 * bearer token, kept in sessionStorage for this tab only.
 */

interface Kind {
  name: string;
  fi: string;
}
interface RowReport {
  row: number;
  status: "created" | "updated" | "unchanged" | "refused";
  key: string;
  changes?: { field: string; before: unknown; after: unknown }[];
  problems?: { column: string; rule: string; code: string }[];
}
interface Report {
  dryRun: boolean;
  applied: boolean;
  file: { name: string; sha256: string };
  counts: Record<RowReport["status"], number>;
  headers: Record<string, string>;
  rows: RowReport[];
}

const TOKEN_KEY = "yhdyspinta.import.token";
const STATUS: Record<RowReport["status"], string> = {
  created: "uusi / created",
  updated: "muuttuu / updated",
  unchanged: "ennallaan / unchanged",
  refused: "hylätty / refused",
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("upload");
const tokenInput = $<HTMLInputElement>("token");
const kindSelect = $<HTMLSelectElement>("kind");
const fileInput = $<HTMLInputElement>("file");
const templates = $("templates");
const section = $("report");
const title = $("report-title");
const status = $("status");
const rowsBox = $("rows");
const applyButton = $<HTMLButtonElement>("apply");

tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? "";
tokenInput.addEventListener("change", () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()));

function showTemplates(): void {
  const kind = kindSelect.value;
  const link = (format: string, text: string) => h("a", { href: `/import/templates/${kind}.${format}`, download: `${kind}-template.${format}` }, text);
  templates.replaceChildren("Pohja / Template: ", link("csv", "CSV"), ", ", link("xlsx", "XLSX"), ", ", link("txt", "sarakkeiden ohje / column guide"));
}

async function loadKinds(): Promise<void> {
  const response = await fetch("/import/kinds");
  const { kinds } = (await response.json()) as { kinds: Kind[] };
  kindSelect.replaceChildren(...kinds.map((k) => h("option", { value: k.name }, `${k.fi} (${k.name})`)));
  const asked = new URLSearchParams(location.search).get("kind");
  if (asked && kinds.some((k) => k.name === asked)) kindSelect.value = asked;
  showTemplates();
}
kindSelect.addEventListener("change", showTemplates);

const text = (value: unknown): string => (value === null || value === undefined || value === "" ? "–" : typeof value === "string" ? value : JSON.stringify(value));

function details(report: Report, row: RowReport): HTMLElement | string {
  const column = (key: string) => {
    const header = report.headers[key];
    return header && header !== key ? `${header} (${key})` : key;
  };
  if (row.problems?.length) {
    return h("ul", { class: "problems" }, row.problems.map((p) => h("li", {}, h("span", { class: "column" }, column(p.column)), `: ${p.rule} `, h("span", { class: "code" }, `[${p.code}]`))));
  }
  if (row.changes?.length) {
    return h("ul", { class: "changes" }, row.changes.map((c) => h("li", {}, `${column(c.field)}: ${text(c.before)} → ${text(c.after)}`)));
  }
  return "";
}

function render(report: Report): void {
  const c = report.counts;
  const summary = `uusia / created ${c.created}, muuttuu / updated ${c.updated}, ennallaan / unchanged ${c.unchanged}, hylättyjä / refused ${c.refused}`;
  const what = report.applied ? "Tallennettu / Applied" : report.dryRun ? "Koeajo / Dry run" : "Ei tallennettu / Not applied";
  status.replaceChildren(h("strong", {}, `${what}: ${report.file.name}.`), ` ${summary}.`);
  const table = h(
    "table",
    { id: "report-table" },
    h("caption", {}, `${what}: ${report.file.name}`),
    h("thead", {}, h("tr", {}, ["Rivi / Row", "Tila / Status", "Tunniste / Key", "Muutokset tai syy / Changes or reason"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, report.rows.map((r) => h("tr", { class: r.status }, h("th", { scope: "row" }, r.row), h("td", { class: "status" }, STATUS[r.status]), h("td", {}, r.key), h("td", {}, details(report, r))))),
  );
  rowsBox.replaceChildren(table);
}

function showError(message: string): void {
  status.replaceChildren(h("span", { class: "error" }, message));
  rowsBox.replaceChildren();
}

let pending: { kind: string; file: File } | undefined;

async function post(kind: string, file: File, apply: boolean): Promise<void> {
  const token = tokenInput.value.trim();
  sessionStorage.setItem(TOKEN_KEY, token);
  const url = `/import/${encodeURIComponent(kind)}?file=${encodeURIComponent(file.name)}${apply ? "&apply=true" : ""}`;
  section.hidden = false;
  applyButton.hidden = true;
  status.textContent = apply ? "Tallennetaan… / Applying…" : "Koeajo… / Dry run…";
  rowsBox.replaceChildren();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": file.type || "application/octet-stream" },
      body: file,
    });
    const body = (await response.json().catch(() => ({}))) as Partial<Report> & { error?: string; message?: string };
    if (Array.isArray(body.rows)) {
      render(body as Report);
      // Apply only a clean dry run of the file just checked.
      if (!apply && response.status === 200 && body.counts?.refused === 0) {
        pending = { kind, file };
        applyButton.hidden = false;
      }
    } else showError(`${response.status}: ${body.error ?? body.message ?? response.statusText}`);
  } catch {
    showError("Palvelin ei vastannut / The server did not answer.");
  }
  title.focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const file = fileInput.files?.[0];
  if (!tokenInput.value.trim()) return void tokenInput.focus();
  if (!file) return void fileInput.focus();
  pending = undefined;
  void post(kindSelect.value, file, false);
});

applyButton.addEventListener("click", () => {
  if (pending) void post(pending.kind, pending.file, true);
});

void loadKinds();
