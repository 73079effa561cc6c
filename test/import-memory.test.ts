import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anonymousViewer,
  BadUserInputError,
  createOrm,
  IMPORT_CHUNK_ROWS,
  importRequestLines,
  parseImportRequest,
  reportPieces,
  ReportRows,
  runImport,
  type ImportKindHandler,
  type ImportReport,
  type ImportRow,
  type Orm,
} from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { IMPORT_KINDS } from "../gateway/src/import/kinds.ts";
import { IMPORT_LIMITS, parseImportFile } from "../gateway/src/import/parse.ts";
import { organisationsService } from "../services/organisations/src/service.ts";

// Issue 28 item 5, bounded memory (docs/IMPORT.md, "Limits and refusals"): a
// subgraph takes an import's rows from its request a chunk at a time, parses
// a row line only when the chunk loop takes it, and keeps each row's report
// as text. Peak memory itself is measured by bench/src/import-bench.ts.

let database: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  database = await createTestDatabase("import_memory");
  orm = await createOrm({ databaseUrl: database.url, entities: organisationsService.entities, migrations: organisationsService.migrations, migrationsTable: "migrations_organisations" });
});

afterAll(async () => {
  await orm?.close();
  await database?.drop();
});

/** `count` rows, counting how many were taken from the generator. */
function countedRows(count: number): { rows: Iterable<ImportRow>; taken: () => number } {
  let taken = 0;
  function* rows(): Generator<ImportRow> {
    for (let i = 0; i < count; i++) {
      taken += 1;
      yield { row: i + 2, values: { name: `Rivi ${i}` } };
    }
  }
  return { rows: rows(), taken: () => taken };
}

const file = { name: "muisti.csv", sha256: "0".repeat(64) };

describe("an import's rows in a subgraph", () => {
  it("are taken a chunk at a time by a chunked handler, never the whole file ahead of the rows handled", async () => {
    const rows = 2 * IMPORT_CHUNK_ROWS + 123;
    const counted = countedRows(rows);
    let handled = 0;
    const ahead: number[] = [];
    const handler: ImportKindHandler = {
      columnOf: {},
      fallbackColumn: "name",
      async prepare(_tx, chunk) {
        ahead.push(counted.taken() - handled);
        expect(chunk.length).toBeLessThanOrEqual(IMPORT_CHUNK_ROWS);
      },
      async handle(_tx, values) {
        handled += 1;
        return { status: "unchanged", key: values["name"] ?? "" };
      },
    };
    const result = await runImport(orm.em.fork(), anonymousViewer, { kind: "things", dryRun: true, file, rows: counted.rows }, { things: handler });
    expect(ahead).toEqual([IMPORT_CHUNK_ROWS, IMPORT_CHUNK_ROWS, 123]);
    expect(result.rows.counts).toEqual({ created: 0, updated: 0, unchanged: rows, refused: 0 });
    expect(result.rows.size).toBe(rows);
  });

  it("are taken one at a time by a row-at-a-time handler", async () => {
    const counted = countedRows(40);
    let handled = 0;
    let most = 0;
    const handler: ImportKindHandler = {
      columnOf: {},
      fallbackColumn: "name",
      async handle(_tx, values) {
        most = Math.max(most, counted.taken() - handled);
        handled += 1;
        return { status: "created", key: values["name"] ?? "" };
      },
    };
    const result = await runImport(orm.em.fork(), anonymousViewer, { kind: "things", dryRun: true, file, rows: counted.rows }, { things: handler });
    expect(most).toBe(1);
    expect(result.rows.counts.created).toBe(40);
  });

  it("are parsed from the request's lines when taken: a broken line is found only when the loop reaches it", () => {
    const head = { kind: "things", dryRun: true, file, columns: ["name", "email"] };
    const good = [...importRequestLines(head, [{ row: 2, values: { name: "Eka", email: "eka@example.invalid" } }, { row: 3, values: { name: "Toka" } }])];
    const body = Buffer.from([...good, ...Array.from({ length: 600 }, (_, i) => `[${i + 4},"Rivi ${i}",null]\n`), "[999, not json\n"].join(""), "utf8");
    const { head: read, rows } = parseImportRequest(body);
    expect(read).toEqual(head);
    const iterator = rows[Symbol.iterator]();
    const first = Array.from({ length: IMPORT_CHUNK_ROWS }, () => iterator.next().value as ImportRow);
    // A column the row does not have stays missing (its field is left as it is), an empty cell is kept.
    expect(first.slice(0, 3)).toEqual([
      { row: 2, values: { name: "Eka", email: "eka@example.invalid" } },
      { row: 3, values: { name: "Toka" } },
      { row: 4, values: { name: "Rivi 0" } },
    ]);
    let error: unknown;
    try {
      for (let next = iterator.next(); !next.done; next = iterator.next());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as Error).message).toMatch(/row line is not JSON/);
  });
});

describe("an import's report in a subgraph", () => {
  it("keeps each row as its text when added, and writes the same JSON as the report's objects", () => {
    const report = new ReportRows();
    const problems = [{ column: "county", rule: "county 14 is not yours", code: "FORBIDDEN" as const }];
    const row = { row: 2, status: "refused" as const, key: "Eka", problems };
    report.add(row);
    // Changed after it was added: the report keeps what was added (the text), not the object.
    row.key = "muutettu";
    for (let i = 0; i < 2_500; i++) report.add({ row: i + 3, status: "created", key: `Rivi ${i}`, id: `id-${i}` });
    expect(report.forbidden).toBe(true);
    expect(report.counts).toEqual({ created: 2_500, updated: 0, unchanged: 0, refused: 1 });
    const json = JSON.parse([...reportPieces({ kind: "things", dryRun: false, applied: false, file, rows: report })].join("")) as ImportReport;
    expect(Object.keys(json)).toEqual(["kind", "dryRun", "applied", "file", "counts", "rows"]);
    expect(json.rows).toHaveLength(2_501);
    expect(json.rows[0]).toEqual({ row: 2, status: "refused", key: "Eka", problems });
    expect(json.rows[2_500]).toEqual({ row: 2_502, status: "created", key: "Rivi 2499", id: "id-2499" });
    expect(report.toArray()).toEqual(json.rows);
  });
});

describe("a CSV file in the gateway", () => {
  const csv = (lines: string[]) => Buffer.from(`\uFEFFNimi;Tyyppi;Hyvinvointialue\r\n${lines.join("\r\n")}\r\n`, "utf8");
  const lines = (count: number) => Array.from({ length: count }, (_, i) => `Yhdistys ${i};association;14`);

  it("is read a piece at a time up to the row limit, each record's line kept, and refused past it", async () => {
    const parsed = await parseImportFile(csv(lines(IMPORT_LIMITS.maxRows)), IMPORT_KINDS.organisations);
    expect(parsed.rows).toHaveLength(IMPORT_LIMITS.maxRows);
    expect(parsed.rows.at(-1)).toEqual({ row: IMPORT_LIMITS.maxRows + 1, values: { name: `Yhdistys ${IMPORT_LIMITS.maxRows - 1}`, kind: "association", county: "14" } });
    await expect(parseImportFile(csv(lines(IMPORT_LIMITS.maxRows + 1)), IMPORT_KINDS.organisations)).rejects.toThrow(`more than ${IMPORT_LIMITS.maxRows} rows`);
  });

  it("names a record the CSV parser refuses, also past the first piece read", async () => {
    await expect(parseImportFile(csv([...lines(20_000), "Yksi;liikaa;14;sarake"]), IMPORT_KINDS.organisations)).rejects.toThrow(/not valid CSV: .*line 20002/);
  });
});
