import { writeFile } from "node:fs/promises";
import { composeSupergraph, printServiceSdl, readCheckedIn, root, SUBGRAPHS } from "./compose.ts";
import { buildManifest, MANIFEST_FILE, manifestText } from "./trusted-documents.ts";

/**
 * Writes `schema/<service>.graphql` for each subgraph and the composed
 * `schema/supergraph.graphql`, and the manifest of registered operations
 * (`views/trusted-documents.json`, see trusted-documents.ts). With `--check`, writes nothing and exits 1 if
 * a checked-in file differs from what the code produces.
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
files[MANIFEST_FILE] = manifestText(await buildManifest());

const stale: string[] = [];
for (const [file, content] of Object.entries(files)) {
  if ((await readCheckedIn(`../${file}`)) === content) continue;
  stale.push(file);
  if (!check) await writeFile(`${root}${file}`, content);
}
if (check && stale.length > 0) {
  console.error(`Stale files: ${stale.join(", ")}. Run \`pnpm schema\` and commit the result.`);
  process.exit(1);
}
console.log(stale.length === 0 ? "Schema files are up to date." : `Wrote ${stale.join(", ")}.`);
