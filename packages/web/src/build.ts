import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

import { packageDir, webDistDir } from "./paths.ts";
import { feedbackEmail, STATEMENT_LANGS, statementHtml } from "./statement.ts";
import { tokensCss, type SuomifiTokensModule } from "./tokens.ts";

const repoDir = join(packageDir, "../..");
const stampFile = join(webDistDir, ".inputs-sha256");

/**
 * Everything the bundle is made of: our browser sources, the committed views,
 * the county list and the installed versions of the libraries (the lockfile).
 */
function inputFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(packageDir, "browser"));
  walk(join(repoDir, "views"));
  files.push(join(packageDir, "src/build.ts"), join(packageDir, "src/statement.ts"), join(packageDir, "src/tokens.ts"), join(repoDir, "pnpm-lock.yaml"), countiesCsv);
  return files;
}

const countiesCsv = join(repoDir, "services/organisations/src/seed/data/counties.csv");

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const file of inputFiles()) {
    hash.update(file.slice(repoDir.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  hash.update(feedbackEmail());
  return hash.digest("hex");
}

/** The county list for the dashboard's selector, from the reference data: names in Finnish, Swedish and English. */
function counties(): { code: string; name: { fi: string; sv: string; en: string } }[] {
  const [, ...lines] = readFileSync(countiesCsv, "utf8").trim().split("\n");
  return lines
    .map((line) => line.split(","))
    .filter((cols) => cols[4] !== "aland")
    .map((cols) => ({ code: cols[0] ?? "", name: { fi: cols[1] ?? "", sv: cols[2] ?? "", en: cols[3] ?? "" } }));
}

/**
 * Bundles the explorer (GraphiQL with Monaco's workers) and the dashboard from
 * the installed npm packages into `dist/`: every file the pages load is local,
 * nothing comes from a CDN. Writes to a temporary folder and swaps it in, so a
 * running gateway never serves half a build.
 */
export async function buildWeb(): Promise<void> {
  const hash = inputsHash();
  const out = `${webDistDir}.tmp-${process.pid}`;
  await rm(out, { recursive: true, force: true });
  const require = createRequire(join(packageDir, "package.json"));
  const common: BuildOptions = {
    bundle: true,
    minify: true,
    legalComments: "linked",
    target: ["chrome120", "firefox120", "safari17"],
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".graphql": "text", ".ttf": "file", ".woff": "file", ".woff2": "file" },
  };
  // Monaco's language workers: one self-contained script each.
  await build({
    ...common,
    format: "iife",
    entryPoints: {
      "editor.worker": require.resolve("monaco-editor/esm/vs/editor/editor.worker.js"),
      "json.worker": require.resolve("monaco-editor/esm/vs/language/json/json.worker.js"),
      "graphql.worker": require.resolve("monaco-graphql/esm/graphql.worker.js"),
    },
    outdir: join(out, "explorer"),
  });
  await build({
    ...common,
    format: "esm",
    jsx: "automatic",
    entryPoints: { explorer: join(packageDir, "browser/explorer/main.tsx") },
    outdir: join(out, "explorer"),
    assetNames: "assets/[name]-[hash]",
  });
  await build({
    ...common,
    format: "esm",
    entryPoints: { dashboard: join(packageDir, "browser/dashboard/main.ts") },
    outdir: join(out, "dashboard"),
    define: { ...common.define, __COUNTIES__: JSON.stringify(counties()) },
  });
  // The coordinators' upload page for the bulk import (POST /import/<kind>).
  await build({
    ...common,
    format: "esm",
    entryPoints: { upload: join(packageDir, "browser/upload/main.ts") },
    outdir: join(out, "upload"),
  });
  for (const page of ["explorer", "dashboard", "upload"]) {
    await writeFile(join(out, page, "index.html"), await readFile(join(packageDir, "browser", page, "index.html")));
  }
  // The Suomi.fi design tokens as CSS custom properties, shared by every page.
  const css = tokensCss(require("suomifi-design-tokens") as SuomifiTokensModule);
  await writeFile(join(out, "dashboard", "tokens.css"), css);
  await writeFile(join(out, "explorer", "tokens.css"), css);
  await writeFile(join(out, "upload", "tokens.css"), css);
  // The accessibility statement, one static page per language (no script needed to read it).
  await mkdir(join(out, "accessibility"), { recursive: true });
  for (const lang of STATEMENT_LANGS) await writeFile(join(out, "accessibility", `${lang}.html`), statementHtml(lang));
  await writeFile(join(out, ".inputs-sha256"), hash);
  await rm(webDistDir, { recursive: true, force: true });
  await rename(out, webDistDir);
}

/** True when `dist/` holds a build of the current sources and lockfile. */
export function webBuildIsCurrent(): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, "utf8") === inputsHash();
}

/** Builds the pages when they are missing or stale (a few seconds); otherwise does nothing. */
export async function ensureWebBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (webBuildIsCurrent()) return;
  log("Building the explorer and dashboard pages…");
  const started = Date.now();
  await buildWeb();
  log(`Pages built in ${((Date.now() - started) / 1000).toFixed(1)} s (packages/web/dist/pages).`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `--if-stale` (the package's build): only when the inputs changed.
  if (process.argv.includes("--if-stale")) await ensureWebBuilt((line) => console.log(line));
  else {
    await buildWeb();
    console.log(`Built ${webDistDir}`);
  }
}
