import { PassThrough } from "node:stream";
import { ZipArchive } from "archiver";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { configureLogger } from "@yhdyspinta/core";
import { IMPORT_KINDS } from "../src/import/kinds.ts";
import { ImportFileError, parseImportFile } from "../src/import/parse.ts";

/** A ZIP archive holding these files. */
async function zip(files: Record<string, string>): Promise<Buffer> {
  const archive = new ZipArchive();
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on("end", resolve));
  archive.pipe(out);
  for (const [name, text] of Object.entries(files)) archive.append(text, { name });
  await archive.finalize();
  await ended;
  return Buffer.concat(chunks);
}

describe("an XLSX import file", () => {
  const kind = IMPORT_KINDS.groups;

  it("is read row by row: the header names the columns, each row's line is kept", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("ryhmät");
    sheet.addRow(["Hyvinvointialue", "Nimi", "Tyyppi"]);
    sheet.addRow(["14", "Hyte-ryhmä, Joensuu", "partnership_group"]);
    const parsed = await parseImportFile(Buffer.from(await book.xlsx.writeBuffer()), kind);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0]!.values).toMatchObject({ county: "14", name: "Hyte-ryhmä, Joensuu", kind: "partnership_group" });
  });

  it("that is a ZIP but no workbook is refused as such, and the reader's error is logged without the file", async () => {
    const lines: string[] = [];
    configureLogger("test", { write: (line: string) => void lines.push(line) });
    // A workbook part that is not XML, and a file whose text must not reach the log.
    const file = await zip({ "xl/workbook.xml": "<workbook></sheets>", "salainen.txt": "Maarit Mannelin" });
    await expect(parseImportFile(file, kind)).rejects.toThrow(ImportFileError);
    await expect(parseImportFile(file, kind)).rejects.toThrow(/a ZIP but not an XLSX workbook/);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; err?: string });
    const warning = logged.find((l) => l.msg.startsWith("XLSX reader failed"));
    expect(warning?.err).toMatch(/^\w*Error: /);
    expect(lines.join("\n")).not.toContain("Mannelin");
  });
});
