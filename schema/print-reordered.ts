import { readdir } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { type ServiceDefinition, serviceSdl } from "@yhdyspinta/core";
import { root } from "./compose.ts";

/**
 * Prints a service's SDL after loading its modules in a different order than
 * the service does: every `*.resolver.ts` and `*.entity.ts` first, in reverse
 * path order, and the resolver list reversed. The schema test compares this
 * with the checked-in SDL, so moving an import or reordering resolvers can
 * never rewrite `schema/`.
 *
 * Usage: `tsx schema/print-reordered.ts <service>`
 */
const name = process.argv[2];
if (!name) throw new Error("Usage: tsx schema/print-reordered.ts <service>");
const src = `${root}services/${name}/src/`;
const files = (await readdir(src, { recursive: true }))
  .filter((file) => /\.(resolver|entity)\.ts$/.test(file))
  .sort()
  .reverse();
for (const file of files) await import(pathToFileURL(`${src}${file}`).href);
const exports = (await import(pathToFileURL(`${src}index.ts`).href)) as Record<string, ServiceDefinition<unknown, unknown>>;
const definition = exports[`${name}Service`];
if (!definition) throw new Error(`services/${name}/src/index.ts exports no ${name}Service`);
const resolvers = [...definition.resolvers].reverse() as typeof definition.resolvers;
process.stdout.write(await serviceSdl({ ...definition, resolvers }));
