import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readDialectViolations, serviceSources } from "./source-rules.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const where = (files: { path: string; text: string }[]) => readDialectViolations(files, {}).map((v) => `${v.path}:${v.line} ${v.rule.split(":")[0]}`);

describe("one read dialect (docs/DEVELOPING.md: rules, resolvers and reads)", () => {
  it("catches hand SQL outside a queries file, in any spelling", () => {
    expect(
      where([
        { path: "services/g/src/r/r.resolver.ts", text: 'const rows = await tx.execute<{ n: string }[]>(\n  "select 1", []);\n' },
        { path: "services/g/src/service.ts", text: 'async function prepare(em) {\n  return await em.getConnection().execute("select distinct year from municipality");\n}\n' },
        { path: "services/g/src/d/d.loaders.ts", text: "const rows = await em.execute(`select * from document`);\n" },
      ]),
    ).toEqual([
      "services/g/src/r/r.resolver.ts:1 hand SQL outside a *.queries.ts file",
      "services/g/src/service.ts:2 hand SQL outside a *.queries.ts file",
      "services/g/src/d/d.loaders.ts:1 hand SQL outside a *.queries.ts file",
    ]);
  });

  it("catches em.map into managed entities and em.find outside a transaction, even in a queries file", () => {
    expect(
      where([
        { path: "services/o/src/p/p.queries.ts", text: 'const rows = await em.execute("select * from person");\nreturn rows.map((row) => em.map(Person, row));\n' },
        { path: "services/p/src/m/m.loaders.ts", text: "const rows = await em.find(\n  Measure,\n  { id: { $in: ids } },\n);\n" },
        { path: "services/g/src/a/a.resolver.ts", text: "return await ctx.em.findOne(Area, { id });\n" },
      ]),
    ).toEqual([
      "services/o/src/p/p.queries.ts:2 em.map hydrates managed entities from read rows",
      "services/p/src/m/m.loaders.ts:1 em.find outside a transaction",
      "services/g/src/a/a.resolver.ts:1 em.find outside a transaction",
    ]);
  });

  it("lets mutations read through the transaction, queries files run SQL mapped by mapRows, and seeds and comments be", () => {
    expect(
      where([
        { path: "services/g/src/r/r.resolver.ts", text: "await em.transactional(async (tx) => {\n  const m = await tx.findOne(Membership, { id });\n  const all = await tx.find(Seat, {});\n});\nrows.map((r) => r.id);\n" },
        { path: "services/g/src/r/r.queries.ts", text: "const rows = await em.getConnection(\"read\").execute(sql, []);\nreturn mapRows(em, Person, rows);\n" },
        { path: "services/g/src/seed/seed.ts", text: "const existing = await em.find(Group, {});\n" },
        { path: "services/g/src/x/x.loaders.ts", text: "// not em.find(X) but findRows\n/* em.getConnection().execute */\nconst rows = await findRows(em, X, {});\n" },
      ]),
    ).toEqual([]);
  });

  it("holds in every service", () => {
    const files = serviceSources(root);
    expect(files.map((f) => f.path)).toContain("services/planning/src/measure/measure.loaders.ts");
    expect(readDialectViolations(files).map((v) => `${v.path}:${v.line} ${v.rule}: ${v.text}`)).toEqual([]);
  });
});
