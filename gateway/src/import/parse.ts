import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import { logger, type ImportRow } from "@yhdyspinta/core";
import { columnOfHeader, IMPORT_KIND_NAMES, IMPORT_KINDS, templateHeader, type ImportColumn, type ImportKind } from "./kinds.ts";

/** Largest file accepted (bytes) and most data rows. */
export const IMPORT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 } as const;

/** A file refused as a whole, with what is wrong. */
export class ImportFileError extends Error {}

export interface ParsedFile {
  /** The file's columns in its order, with the header as written. */
  columns: { column: ImportColumn; header: string }[];
  rows: ImportRow[];
  sha256: string;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A cell our exports neutralised (`'=…`) back to the value; any other value stays as written (stored as text). */
export function cellValue(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/**
 * Reads a file of a kind: CSV (UTF-8 with or without a BOM, comma or
 * semicolon separated as Finnish Excel writes it) or XLSX (the first
 * worksheet), header row first. Refuses (ImportFileError) a file over the
 * limits, a CSV that is not UTF-8, an XLSX with a formula cell, an unknown
 * or repeated column, a missing required column, and a file whose headers
 * are another kind's.
 */
export async function parseImportFile(file: Buffer, kind: ImportKind): Promise<ParsedFile> {
  if (file.length > IMPORT_LIMITS.maxBytes) throw new ImportFileError(`the file is ${file.length} bytes; at most ${IMPORT_LIMITS.maxBytes} bytes (20 MB) are imported at once`);
  if (file.length === 0) throw new ImportFileError("the file is empty");
  const sha256 = createHash("sha256").update(file).digest("hex");
  const records = file.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "binary")) ? await xlsxRecords(file) : csvRecords(file);
  return await parsedFile(records, kind, sha256);
}

type FileRecord = { record: string[]; info: { lines: number } };

/** Bytes of the file handed to the CSV parser at a time. */
const CSV_PIECE_BYTES = 256 * 1024;

/**
 * The records of a CSV file as the parser reads them, a piece of the file
 * at a time: neither the file as one string nor all its records at once
 * (each becomes a row as it comes, `parsedFile`).
 */
async function* csvRecords(file: Buffer): AsyncGenerator<FileRecord> {
  const body = file.subarray(0, 3).equals(BOM) ? file.subarray(3) : file;
  if (!isUtf8(body)) throw new ImportFileError("the file is not UTF-8 text; save it as CSV UTF-8 (Excel: \"CSV UTF-8 (comma delimited)\") or as XLSX");
  if (body.includes(0)) throw new ImportFileError("the file is not text (it holds NUL characters)");
  const newline = body.indexOf(0x0a);
  const firstLine = body.toString("utf8", 0, newline < 0 ? body.length : newline);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const pieces = function* () {
    for (let at = 0; at < body.length; at += CSV_PIECE_BYTES) yield body.subarray(at, at + CSV_PIECE_BYTES);
  };
  const parser = pipeline(Readable.from(pieces(), { objectMode: false }), parse({ delimiter, skip_empty_lines: true, relax_column_count: false, info: true }), () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { record, info: { lines: info.lines } };
  } catch (error) {
    throw new ImportFileError(`the file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A cell's value as text: dates as YYYY-MM-DD, rich text and hyperlinks as their text. */
function xlsxText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("error" in value) return "";
    return "";
  }
  return String(value);
}

/**
 * The first worksheet of an XLSX workbook as rows of text, read as a stream
 * (exceljs's WorkbookReader): a row at a time, not the workbook's whole
 * model. A formula cell is refused naming the cell: its value is whatever
 * the spreadsheet last computed, and an import stores what people typed.
 */
async function* xlsxRecords(file: Buffer): AsyncGenerator<FileRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets += 1;
      let width = 0;
      for await (const row of sheet) {
        // Later worksheets (a template's column guide) are read past, not imported.
        if (sheets > 1) continue;
        if (width === 0) width = row.cellCount;
        const cells: string[] = [];
        for (let c = 1; c <= width; c++) {
          const cell = row.getCell(c);
          if (cell.type === ExcelJS.ValueType.Formula || cell.formula) {
            throw new ImportFileError(`cell ${cell.address} holds a formula (${cell.formula ?? "shared formula"}); type the value instead`);
          }
          cells.push(xlsxText(cell.value));
        }
        if (cells.some((c) => c.trim() !== "")) yield { record: cells, info: { lines: row.number } };
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // Logged (the reader's error name and message, not the file), so that a workbook refused here
    // can be told from a fault of the streaming reader.
    logger().warn({ err: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : "unknown", sheets }, "XLSX reader failed; file refused as not a workbook");
    throw new ImportFileError("the file is a ZIP but not an XLSX workbook; save it as XLSX or CSV UTF-8");
  }
  if (sheets === 0) throw new ImportFileError("the workbook has no worksheet");
}

async function parsedFile(records: Iterable<FileRecord> | AsyncIterable<FileRecord>, kind: ImportKind, sha256: string): Promise<ParsedFile> {
  const iterator = (Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]()) as AsyncIterator<FileRecord> | Iterator<FileRecord>;
  try {
    return await parsedRecords(iterator, kind, sha256);
  } finally {
    // A refused file stops its parser.
    await iterator.return?.();
  }
}

async function parsedRecords(records: AsyncIterator<FileRecord> | Iterator<FileRecord>, kind: ImportKind, sha256: string): Promise<ParsedFile> {
  const first = await records.next();
  const header = first.done ? undefined : first.value.record;
  if (!header) throw new ImportFileError("the file has no header row");
  const columns: ParsedFile["columns"] = [];
  const unknown: string[] = [];
  for (const cell of header) {
    const column = columnOfHeader(kind, cell);
    if (!column) unknown.push(cell);
    else if (columns.some((c) => c.column.key === column.key)) throw new ImportFileError(`column "${cell}" is given twice`);
    else columns.push({ column, header: cell });
  }
  if (unknown.length > 0) {
    const other = IMPORT_KIND_NAMES.filter((n) => n !== kind.name).find((n) => header.every((h) => columnOfHeader(IMPORT_KINDS[n], h)));
    if (other) throw new ImportFileError(`the file is a ${other} file, not ${kind.name}: its columns are those of ${other}`);
    throw new ImportFileError(`unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; the columns of ${kind.name} are ${kind.columns.map(templateHeader).join(", ")}`);
  }
  const missing = kind.columns.filter((c) => c.required && !columns.some((f) => f.column.key === c.key));
  if (missing.length > 0) throw new ImportFileError(`missing column${missing.length > 1 ? "s" : ""} ${missing.map(templateHeader).join(", ")} (a ${kind.name} file needs it)`);
  const rows: ImportRow[] = [];
  for (let next = await records.next(); !next.done; next = await records.next()) {
    if (rows.length === IMPORT_LIMITS.maxRows) throw new ImportFileError(`the file has more than ${IMPORT_LIMITS.maxRows} rows; split it`);
    const { record, info } = next.value;
    const values: Record<string, string> = {};
    for (const [j, c] of columns.entries()) values[c.column.key] = cellValue(record[j] ?? "");
    rows.push({ row: info.lines, values });
  }
  return { columns, rows, sha256 };
}
