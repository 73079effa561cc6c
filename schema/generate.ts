import { writeFile } from "node:fs/promises";
import { composeSupergraph, printServiceSdl, readCheckedIn, schemaDir, SUBGRAPHS } from "./compose.ts";

/**
 * Writes `schema/<service>.graphql` for each subgraph and the composed
 * `schema/supergraph.graphql`. With `--check`, writes nothing and exits 1 if
 * a checked-in file differs from what the code produces.
 */
const check = process.argv.includes("--check");
const sdls: Record<string, string> = {};
await Promise.all(
  SUBGRAPHS.map(async ({ name }) => {
    sdls[name] = await printServiceSdl(name);
  }),
);
const files: Record<string, string> = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name}.graphql`, sdls[name]!]));
files["supergraph.graphql"] = composeSupergraph(sdls);

const stale: string[] = [];
for (const [file, content] of Object.entries(files)) {
  if ((await readCheckedIn(file)) === content) continue;
  stale.push(file);
  if (!check) await writeFile(`${schemaDir}${file}`, content);
}
if (check && stale.length > 0) {
  console.error(`Stale schema files: ${stale.join(", ")}. Run \`pnpm schema\` and commit the result.`);
  process.exit(1);
}
console.log(stale.length === 0 ? "Schema files are up to date." : `Wrote ${stale.join(", ")}.`);
