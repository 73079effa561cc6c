import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";

/**
 * Checks of the services' source layout that a compiler does not make
 * (docs/DEVELOPING.md "Rules, resolvers and reads"). Each takes source files
 * as `{ path, text }` so a test can run it on a planted fixture as well as on
 * the tree.
 */

export interface SourceFile {
  /** Path from the repository root, with `/`. */
  path: string;
  text: string;
}

export interface Violation {
  path: string;
  line: number;
  rule: string;
  text: string;
}

/** Every `.ts` file under `services/<name>/src` (tests and migrations aside). */
export function serviceSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "migrations") walk(full);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        files.push({ path: relative(root, full).split("\\").join("/"), text: readFileSync(full, "utf8") });
      }
    }
  };
  const services = join(root, "services");
  for (const service of readdirSync(services, { withFileTypes: true })) {
    if (service.isDirectory()) walk(join(services, service.name, "src"));
  }
  return files;
}

/** Line number (1-based) of an offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** Relative module specifiers a file imports or re-exports (static and dynamic). */
function importsOf(text: string): { specifier: string; offset: number }[] {
  const found: { specifier: string; offset: number }[] = [];
  const pattern = /\b(?:import|export)\s[^"';]*?\sfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s*["']([^"']+)["']/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3]!;
    if (specifier.startsWith(".")) found.push({ specifier, offset: match.index });
  }
  return found;
}

const isResolver = (path: string) => /\.resolver\.ts$/.test(path);

/**
 * A resolver file imports rules, loaders, entities and inputs, never another
 * resolver file, and exports only resolver classes, reference maps and
 * constants (no functions: a function other features need is a rule or a
 * loader and lives in `<feature>.rules.ts` or `<feature>.loaders.ts`).
 */
export function resolverLayerViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (!isResolver(file.path)) continue;
    for (const { specifier, offset } of importsOf(file.text)) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      if (isResolver(target) || isResolver(`${target}.ts`)) {
        violations.push({ path: file.path, line: lineOf(file.text, offset), rule: "resolver imports resolver", text: `imports ${target}` });
      }
    }
    for (const match of file.text.matchAll(/^export\s+(?:async\s+)?function\s+(\w+)/gm)) {
      violations.push({ path: file.path, line: lineOf(file.text, match.index), rule: "resolver exports a function", text: `exports function ${match[1]}` });
    }
  }
  return violations;
}

/** Seed code writes demo data at start with managed entities (outside any request); the read rules do not apply to it. */
const isSeed = (path: string) => /\/src\/seed\/|\/seed\.ts$/.test(path);
const isQueries = (path: string) => /\.queries\.ts$/.test(path);

/** Files the read-dialect rule leaves alone for now, each with its reason (none today). */
export const READ_DIALECT_PENDING: Readonly<Record<string, string>> = {};

/** Text with comments and string/template contents blanked (same length, so offsets and lines hold). */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, " "));
}

const READ_RULES: { rule: string; pattern: RegExp; applies: (path: string) => boolean }[] = [
  {
    rule: "hand SQL outside a *.queries.ts file",
    pattern: /\.execute\s*(?:<[^()]*>)?\s*\(|\.getConnection\s*\(|\.getKnex\s*\(/g,
    applies: (path) => !isQueries(path),
  },
  {
    rule: "em.map hydrates managed entities from read rows: map them with mapRows",
    pattern: /\b(?:em|tx|manager|entityManager)\s*\.\s*map\s*\(/g,
    applies: () => true,
  },
  {
    rule: "em.find outside a transaction: read rows with findRows/rowById/rowsByKey (mutations use the transaction's tx)",
    pattern: /\b(?:em|ctx\.em|context\.em)\s*\.\s*(?:find|findOne|findOneOrFail|findAll|findAndCount|findByCursor|stream)\s*(?:<[^()]*>)?\s*\(/g,
    applies: () => true,
  },
];

/**
 * One read dialect (docs/DEVELOPING.md "Rules, resolvers and reads"): entity
 * rows through findRows/rowById/rowsByKey; hand SQL only in `*.queries.ts`,
 * mapped by mapRows; `find`/`findOne` only on a transaction's manager (`tx`
 * inside `em.transactional`), never on the request's `em`. Seed code and the
 * files in READ_DIALECT_PENDING aside.
 */
export function readDialectViolations(files: readonly SourceFile[], pending: Readonly<Record<string, string>> = READ_DIALECT_PENDING): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (isSeed(file.path) || pending[file.path]) continue;
    const code = codeOnly(file.text);
    for (const { rule, pattern, applies } of READ_RULES) {
      if (!applies(file.path)) continue;
      const lines = new Set<number>();
      for (const match of code.matchAll(pattern)) {
        const line = lineOf(code, match.index);
        if (lines.has(line)) continue;
        lines.add(line);
        violations.push({ path: file.path, line, rule, text: file.text.split("\n")[line - 1]!.trim() });
      }
    }
  }
  return violations;
}
