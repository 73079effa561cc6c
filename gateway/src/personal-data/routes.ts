import type { IncomingMessage, ServerResponse } from "node:http";
import type { Routes } from "@yhdyspinta/core";
import { dataOrThrow, loopbackExecutor } from "../loopback-graphql.ts";
import { HttpRouteError, sendHttpError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";

const EXPORT = `query DataSubjectExport($personId: ID!) {
  dataSubject(personId: $personId) { personId countyCode organisations groups planning }
}`;

/**
 * The erasure request as a registered document (`pnpm schema` registers the
 * operations written in gateway/src): in production, callers without the
 * analyst role, a data protection officer among them, run only registered
 * documents, by id (docs/PERSONAL-DATA.md).
 */
export const ERASE_PERSONAL_DATA = `mutation ErasePersonalData($personId: ID!, $reason: String!) {
  erasePersonalData(personId: $personId, reason: $reason) { id personId kind outcome reason countyCode answeredAt }
}`;

/** What the access export holds: each subgraph's rows about the person, by table. */
export interface DataSubjectExport {
  personId: string;
  countyCode: string | null;
  organisations: Record<string, Record<string, unknown>[]>;
  groups: Record<string, Record<string, unknown>[]>;
  planning: Record<string, Record<string, unknown>[]>;
}

const SUBGRAPHS = ["organisations", "groups", "planning"] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return escapeHtml(typeof value === "string" ? value : JSON.stringify(value, null, 1));
}

/**
 * The access export as a page a person can read, print or save (Finnish and
 * English headings): each subgraph, each table, each row with every column.
 */
export function dataSubjectHtml(data: DataSubjectExport, producedAt: Date): string {
  const sections = SUBGRAPHS.map((subgraph) => {
    const tables = Object.entries(data[subgraph] ?? {});
    const body = tables.length === 0
      ? `<p>Ei tietoja. / Nothing held.</p>`
      : tables
          .map(([table, rows]) => {
            const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
            return `<h3>${escapeHtml(table)} (${rows.length})</h3>
<table><thead><tr>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>
<tbody>${rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("\n")}</tbody></table>`;
          })
          .join("\n");
    return `<section><h2>${escapeHtml(subgraph)}</h2>\n${body}</section>`;
  }).join("\n");
  return `<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Henkilötiedot / Personal data: ${escapeHtml(data.personId)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse;margin-bottom:1.5rem;font-size:.85rem}th,td{border:1px solid #888;padding:.25rem .5rem;vertical-align:top;text-align:left;white-space:pre-wrap}th{background:#eee}</style>
</head><body>
<h1>Rekisteröidyn tiedot / Data held about a person</h1>
<p>Henkilö / Person: <strong>${escapeHtml(data.personId)}</strong>. Hyvinvointialue / County: ${escapeHtml(data.countyCode ?? "–")}. Koottu / Produced: ${escapeHtml(producedAt.toISOString())}.</p>
<p>Kaikki rivit, joilla henkilön tunniste tai tiedot ovat, jokaisesta osajärjestelmästä (EU:n tietosuoja-asetus, 15 artikla). / Every row holding the person's id or values, from every subgraph (GDPR art. 15).</p>
${sections}
</body></html>
`;
}

/**
 * `GET /personal-data/<personId>.json` and `.html`: the access export of a
 * data-subject request (docs/PERSONAL-DATA.md), read through the GraphQL
 * endpoint as the caller (an admin or the county's data protection officer;
 * others get 403), recorded in the register of requests like the query.
 */
export function personalDataRoutes(options: HttpRouteOptions): Routes {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== "GET") throw new HttpRouteError(405, "The access export is read with GET");
      await viewerOf(options, req);
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = /^\/personal-data\/([^/]+)\.(json|html)$/.exec(url.pathname);
      if (!match) throw new HttpRouteError(404, "The access export is /personal-data/<personId>.json or .html");
      const personId = decodeURIComponent(match[1]!);
      const execute = loopbackExecutor(req, req.headers.authorization);
      const data = dataOrThrow(await execute<{ dataSubject: DataSubjectExport }>(EXPORT, { personId }), { personId }).dataSubject;
      const safeName = personId.replace(/[^\w-]/g, "_");
      if (match[2] === "json") {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="personal-data-${safeName}.json"`, "cache-control": "no-store" });
        res.end(JSON.stringify(data, null, 2));
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-disposition": `inline; filename="personal-data-${safeName}.html"`, "cache-control": "no-store" });
      res.end(dataSubjectHtml(data, new Date()));
    } catch (error) {
      sendHttpError(res, error, "access export");
    }
  };
  return { "/personal-data/*": handler };
}
