import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { webDistDir } from "./paths.ts";

export { webDistDir } from "./paths.ts";

/** Serves a page or asset; false when the request is not for a page (GraphQL then answers it). */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

// Every page and script may only reach this origin: no CDN, fonts or telemetry.
// GraphiQL's Monaco needs inline styles and blob-free workers from this origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
}

/** True for a browser asking for a page at `/` (not a GraphQL GET, which carries `query`). */
function wantsExplorer(req: IncomingMessage, url: URL): boolean {
  return (
    (req.method === "GET" || req.method === "HEAD") &&
    url.pathname === "/" &&
    !url.searchParams.has("query") &&
    (req.headers.accept ?? "").includes("text/html")
  );
}

/**
 * The explorer at `/` (for browsers; GraphQL requests to `/` pass through),
 * its assets under `/explorer/`, the county dashboard under `/dashboard/` and
 * the coordinators' import upload page under `/upload/`, the accessibility
 * statement at `/accessibility/?lang=fi|sv|en`,
 * all from the bundle in `packages/web/dist/pages` (built by `ensureWebBuilt`).
 */
export function webPages(distDir: string = webDistDir): PageHandler {
  const cache = new Map<string, Promise<Asset | undefined>>();
  const load = (relative: string): Promise<Asset | undefined> => {
    let asset = cache.get(relative);
    if (!asset) {
      asset = readFile(join(distDir, relative)).then(
        (body) => {
          const type = CONTENT_TYPES[extname(relative)] ?? "application/octet-stream";
          const compressible = type.startsWith("text/");
          return { body, type, gzip: compressible ? gzipSync(body) : undefined };
        },
        () => undefined,
      );
      // A missing file is looked up again next time (the build may be running).
      void asset.then((found) => {
        if (!found) cache.delete(relative);
      });
      cache.set(relative, asset);
    }
    return asset;
  };

  const send = async (req: IncomingMessage, res: ServerResponse, relative: string, immutable: boolean) => {
    const asset = await load(relative);
    if (!asset) {
      res.statusCode = relative.endsWith("index.html") ? 503 : 404;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(relative.endsWith("index.html") ? "The pages are not built yet: run `pnpm --filter @yhdyspinta/web build`.\n" : "not found\n");
      return;
    }
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? asset.gzip! : asset.body;
    res.statusCode = 200;
    res.setHeader("content-type", asset.type);
    res.setHeader("content-length", body.length);
    res.setHeader("cache-control", immutable ? "public, max-age=3600" : "no-cache");
    res.setHeader("content-security-policy", CSP);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("vary", "accept-encoding");
    if (gzip) res.setHeader("content-encoding", "gzip");
    res.end(req.method === "HEAD" ? undefined : body);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (wantsExplorer(req, url)) {
      await send(req, res, "explorer/index.html", false);
      return true;
    }
    if (url.pathname === "/dashboard" || url.pathname === "/upload") {
      res.statusCode = 308;
      res.setHeader("location", `${url.pathname}/${url.search}`);
      res.end();
      return true;
    }
    if (url.pathname === "/accessibility" || url.pathname === "/accessibility/") {
      // The accessibility statement in the asked language (?lang=fi|sv|en), Finnish by default.
      const lang = url.searchParams.get("lang");
      await send(req, res, `accessibility/${lang === "sv" || lang === "en" ? lang : "fi"}.html`, false);
      return true;
    }
    const page = /^\/(explorer|dashboard|upload|accessibility)\/(.*)$/.exec(url.pathname);
    if (!page) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.statusCode = 405;
      res.setHeader("allow", "GET, HEAD");
      res.end();
      return true;
    }
    let file = page[2] || "index.html";
    try {
      file = decodeURIComponent(file);
    } catch {
      file = "";
    }
    const relative = normalize(`${page[1]}/${file}`);
    if (!file || relative.startsWith("..") || relative.includes(`${sep}..`) || file.startsWith(".")) {
      res.statusCode = 404;
      res.end();
      return true;
    }
    await send(req, res, relative, !relative.endsWith(".html"));
    return true;
  };
}
