import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { composeSupergraph, printServiceSdl, readCheckedIn, root, SUBGRAPHS } from "./compose.ts";
import { composePublicSupergraph } from "./contract.ts";
import { apiSchemaSdl, releaseStep } from "./schema-changes.ts";
import { buildManifest, MANIFEST_FILE, manifestText } from "./trusted-documents.ts";
import { TYPED_VIEWS_FILE, typedViewsText } from "./typed-views.ts";

/**
 * Writes `schema/<service>.graphql` for each subgraph, the composed
 * `schema/supergraph.graphql`, the public contract's
 * `schema/public-supergraph.graphql` (see contract.ts) and the manifest of registered operations
 * (`views/trusted-documents.json`, see trusted-documents.ts) and the views' result
 * types and TypedDocumentNodes (`views/generated.ts`, see typed-views.ts); compares the
 * composed API schema with the released one (`schema/released/api.graphql`,
 * see schema-changes.ts) and, when the change may be released, writes the new
 * API schema there with a section of `schema/CHANGELOG.md`. With `--check`,
 * writes nothing and exits 1 if a checked-in file differs from what the code
 * produces. Either way exits 1 on a breaking change that a registered
 * operation uses or that `schema/breaking-changes.json` does not allow.
 */
const check = process.argv.includes("--check");
const sdls: Record<string, string> = {};
await Promise.all(
  SUBGRAPHS.map(async ({ name }) => {
    sdls[name] = await printServiceSdl(name);
  }),
);
// Paths relative to the repository root.
const files: Record<string, string> = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`schema/${name}.graphql`, sdls[name]!]));
files["schema/supergraph.graphql"] = composeSupergraph(sdls);
// The public contract (contract.ts): the same subgraphs without what is tagged personal or internal.
files["schema/public-supergraph.graphql"] = composePublicSupergraph(sdls);
const manifest = await buildManifest();
files[MANIFEST_FILE] = manifestText(manifest);
files[TYPED_VIEWS_FILE] = await typedViewsText(apiSchemaSdl(files["schema/supergraph.graphql"]));

const read = (file: string) => readCheckedIn(`../${file}`);
const release = await releaseStep({
  api: apiSchemaSdl(files["schema/supergraph.graphql"]),
  operations: manifest.operations,
  read,
  date: new Date().toISOString().slice(0, 10),
});
for (const change of release.report?.dangerous ?? []) console.warn(`Dangerous: ${change.message}${change.criticality.reason ? ` (${change.criticality.reason})` : ""}`);
const failures = release.report?.failures ?? [];
Object.assign(files, release.files);

const stale: string[] = [];
for (const [file, content] of Object.entries(files)) {
  if ((await read(file)) === content) continue;
  stale.push(file);
  if (check) continue;
  await mkdir(dirname(`${root}${file}`), { recursive: true });
  await writeFile(`${root}${file}`, content);
}
if (failures.length > 0) {
  console.error(`The API schema cannot be released as it is:\n${failures.map((f) => `- ${f}`).join("\n")}`);
  process.exit(1);
}
if (check && stale.length > 0) {
  console.error(`Stale files: ${stale.join(", ")}. Run \`pnpm schema\` and commit the result.`);
  process.exit(1);
}
console.log(stale.length === 0 ? "Schema files are up to date." : `Wrote ${stale.join(", ")}.`);
