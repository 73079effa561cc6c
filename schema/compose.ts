import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { DEFAULT_PORTS, SERVICE_NAMES } from "@yhdyspinta/core/config";

const run = promisify(execFile);

/** The subgraphs, in the order the supergraph lists them, with their default local URLs. */
export const SUBGRAPHS = SERVICE_NAMES.map((name) => ({ name, url: `http://localhost:${DEFAULT_PORTS[name]}/` }));

export const root = fileURLToPath(new URL("..", import.meta.url));
export const schemaDir = fileURLToPath(new URL(".", import.meta.url));

/**
 * Prints a service's SDL in a process of its own: type-graphql keeps its
 * metadata in one global store, and each subgraph declares its own stub of
 * shared entities under the same GraphQL name.
 */
export async function printServiceSdl(name: string): Promise<string> {
  return await printWith(["src/print-schema.ts"], name);
}

/** The same SDL, printed after loading the service's modules and resolvers in reverse order (see print-reordered.ts). */
export async function printReorderedServiceSdl(name: string): Promise<string> {
  return await printWith([`${schemaDir}print-reordered.ts`, name], name);
}

async function printWith(args: string[], name: string): Promise<string> {
  const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
  const { stdout } = await run(tsx, ["--conditions=development", ...args], {
    cwd: `${root}services/${name}`,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.endsWith("\n") ? stdout : `${stdout}\n`;
}

/** Composes subgraph SDLs into the supergraph; throws with every composition error. */
export function composeSupergraph(sdls: Record<string, string>): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, url }) => ({ name, url, typeDefs: parse(sdls[name] ?? "") })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

export async function readCheckedIn(file: string): Promise<string | null> {
  try {
    return await readFile(`${schemaDir}${file}`, "utf8");
  } catch {
    return null;
  }
}
