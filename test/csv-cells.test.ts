import { PassThrough } from "node:stream";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Column, Row } from "../gateway/src/exports/columns.ts";
import { spreadsheetText, writeRows } from "../gateway/src/exports/export.ts";

const COLUMNS: Column[] = [
  { name: "name", type: "string", description: "text" },
  { name: "count", type: "integer", description: "a number" },
  { name: "on", type: "date", description: "a day" },
];

async function csv(rows: Row[], excel = false): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  async function* source() {
    yield* rows;
  }
  await writeRows(source(), COLUMNS, "csv", out, { excel });
  return Buffer.concat(chunks).toString("utf8");
}

describe("CSV cells", () => {
  it("neutralises formulas in text cells only: a negative count stays a number", async () => {
    const rows: Row[] = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "Tavallinen", "a=b", "'lainattu"].map((name, i) => ({ name, count: -i, on: "2026-01-01" }));
    const text = await csv(rows);
    const back = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(back.map((r) => r["name"])).toEqual(["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "Tavallinen", "a=b", "'lainattu"]);
    expect(back.map((r) => r["count"])).toEqual(["0", "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8"]);
    expect(spreadsheetText("-2")).toBe("'-2");
  });

  it("quotes every cell holding a separator, a quote or any line break (RFC 4180), for both dialects", async () => {
    const names = ["a\nb", "a\rb", "a\r\nb", 'a "b"', "a,b", "a;b", "ab"];
    for (const excel of [false, true]) {
      const text = await csv(names.map((name) => ({ name, count: 1, on: null })), excel);
      const back = parseCsv(text, { columns: true, delimiter: excel ? ";" : ",", bom: excel }) as Record<string, string>[];
      expect(back.map((r) => r["name"])).toEqual(names);
      expect(back.map((r) => r["count"])).toEqual(names.map(() => "1"));
    }
  });
});
