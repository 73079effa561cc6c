import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, redactForLog, Scope, sendJson, type Routes, type Viewer } from "@yhdyspinta/core";
import { VIEW_NAMES, viewDocument, type ViewName } from "@yhdyspinta/views";
import { columnsFor, VIEW_EXPORTS } from "./columns.ts";
import { viewRows, writeRows, type ExportFormat } from "./export.ts";
import { HttpRouteError, sendHttpError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";
import { loopbackExecutor, withRetries, type GraphQLExecutor } from "../loopback-graphql.ts";
import { writeOpenDataBundle } from "./open-data.ts";
import { ALERT_COLUMNS, ALERTS_EXPORT, alertsExportRows } from "./alerts.ts";
import { excelRequested, variablesFromQuery } from "./variables.ts";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
};

/**
 * `GET /exports/<view>.csv|json?<variables>`, `GET /exports/alerts.csv|json`
 * (alerts.ts) and `GET /exports/open-data.zip`.
 * Each export runs the committed view through the public GraphQL endpoint as
 * the caller (same token, same scopes) and streams the flattened rows.
 * `retryDelaysMs`: the waits before a request's second and third attempt
 * when a subgraph did not answer (withRetries; EXPORT_RETRY_DELAYS_MS unless
 * given, as the gateway does; a test's fake subgraph failures need none).
 */
export function exportRoutes(options: HttpRouteOptions & { retryDelaysMs?: readonly number[] }): Routes {
  const retrying = (execute: GraphQLExecutor) => withRetries(execute, options.retryDelaysMs);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpRouteError(405, "Exports are read with GET");
      const url = new URL(req.url ?? "/", "http://localhost");
      const name = decodeURIComponent(url.pathname.slice("/exports/".length));
      const viewer = await viewerOf(options, req);
      if (name === "open-data.zip") {
        // Open data is the same for everyone: run anonymously, never with contacts.
        const execute = retrying(loopbackExecutor(req, undefined));
        res.writeHead(200, {
          "content-type": "application/zip",
          "content-disposition": 'attachment; filename="yhdyspinta-open-data.zip"',
        });
        try {
          await writeOpenDataBundle(execute, res);
        } catch (error) {
          throw new Error(`open-data.zip: ${error instanceof Error ? error.message : String(error)}`);
        }
        res.end();
        return;
      }
      const alerts = /^alerts\.(csv|json)$/.exec(name);
      if (alerts) {
        // The alerts of `groupAlerts` (alerts.ts): no person and no contact columns, whatever the scopes.
        // One request, not paged as the views are: its answer (one row per alert) is read whole before
        // the 200, so a subgraph failing anywhere in it is an error status naming the field and the
        // subgraph (dataOrThrow), never a cut-off, which could not say what failed.
        const format = alerts[1] as ExportFormat;
        const excel = excelRequested(url.searchParams);
        if (excel && format !== "csv") throw new HttpRouteError(400, 'Invalid value for "excel": only CSV exports have an Excel variant', "excel");
        const variables = variablesFromQuery(ALERTS_EXPORT, url.searchParams);
        const knownAt = url.searchParams.get("knownAt") ?? undefined;
        const rows = alertsExportRows(retrying(loopbackExecutor(req, req.headers.authorization, knownAt)), variables);
        const first = await rows.next();
        res.writeHead(200, {
          "content-type": CONTENT_TYPES[format],
          "content-disposition": `inline; filename="alerts.${format}"`,
          "cache-control": "no-cache",
        });
        async function* all() {
          if (!first.done) yield first.value;
          yield* rows;
        }
        await writeRows(all(), ALERT_COLUMNS, format, res, { excel });
        res.end();
        return;
      }
      const match = /^([a-z-]+)\.(csv|json)$/.exec(name);
      const view = match?.[1] as ViewName | undefined;
      if (!match || !view || !(VIEW_NAMES as readonly string[]).includes(view)) {
        throw new HttpRouteError(
          404,
          `No export "${name}"; exports are ${VIEW_NAMES.map((v) => `${v}.csv|json`).join(", ")}, alerts.csv|json and open-data.zip`,
        );
      }
      const format = match[2] as ExportFormat;
      const excel = excelRequested(url.searchParams);
      if (excel && format !== "csv") throw new HttpRouteError(400, 'Invalid value for "excel": only CSV exports have an Excel variant', "excel");
      const variables = variablesFromQuery(viewDocument(view), url.searchParams);
      const withContacts = viewer.scopes.has(Scope.ContactsRead);
      // `knownAt`: the register as it stood at that instant, so a filed report can be reproduced byte for byte.
      const knownAt = url.searchParams.get("knownAt") ?? undefined;
      const rows = viewRows(retrying(loopbackExecutor(req, req.headers.authorization, knownAt)), view, variables, withContacts);
      // The first answer decides the status: a bad variable is still a 400, not a cut-off 200.
      const first = await rows.next();
      res.writeHead(200, {
        "content-type": CONTENT_TYPES[format],
        "content-disposition": `inline; filename="${view}.${format}"`,
        "cache-control": withContacts ? "private, no-store" : "no-cache",
      });
      async function* all() {
        if (!first.done) yield first.value;
        yield* rows;
      }
      await writeRows(all(), columnsFor(VIEW_EXPORTS[view], withContacts), format, res, { excel });
      res.end();
    } catch (error) {
      sendHttpError(res, error, req.url?.split("?")[0]);
    }
  };
  return { "/exports/*": handler };
}
