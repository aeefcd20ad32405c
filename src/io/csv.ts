import { CsvError, parse } from "csv-parse/sync";
import { inputError } from "../errors.js";

/**
 * Whole-file CSV through one library (csv-parse): RFC 4180 quoting, CRLF or LF, a BOM, blank lines
 * skipped, every record with the 1-based line it starts on so later errors can name it. The
 * streaming byte-level power readers (io/power) are the only other CSV readers; the bench justifies them.
 */

/** One CSV record with the 1-based line number it starts on. */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** Parses CSV text named `file`; a ragged row, an unterminated quote or a duplicate column is an input error. */
export function parseCsv(text: string, file: string): CsvTable {
  const rows = tokenize(text, file);
  const first = rows.shift();
  if (!first) throw inputError("the CSV file is empty", { file, hint: "expected a header row" });
  const header = first.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw inputError(`duplicate column "${h}" in the header`, { file, line: first.line, field: h });
    seen.add(h);
  }
  const records = rows.map((row) => {
    if (row.fields.length !== header.length) {
      throw inputError(`expected ${header.length} fields, found ${row.fields.length}`, {
        file,
        line: row.line,
        text: row.fields.join(","),
        hint: "quote fields that contain commas, and check for a missing or extra column",
      });
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = row.fields[i] ?? ""));
    return { line: row.line, values };
  });
  return { header, records };
}

/** CSV rows as string lists, each with the line it starts on (blank lines dropped). */
export function tokenize(text: string, file: string): { line: number; fields: string[] }[] {
  let parsed: Parsed[];
  try {
    const options = { bom: true, raw: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;
    parsed = parse(text, options) as unknown as Parsed[];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      const what = e.code === "CSV_QUOTE_NOT_CLOSED" ? "unterminated quoted field" : e.message;
      throw inputError(what, {
        file,
        ...(line === undefined ? {} : { line }),
        hint: "close every quoted field and double the quotes inside one",
      });
    }
    throw e;
  }
  return parsed
    .filter((p) => !(p.record.length === 1 && p.record[0]!.trim() === ""))
    .map((p) => ({ line: p.info.lines - newlinesInside(p.raw), fields: p.record }));
}

/** Line breaks inside a record's raw text (not the skipped blank lines before it, nor its own end). */
function newlinesInside(raw: string): number {
  const s = raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Formats one CSV field: quoted only when it must be. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Deterministic CSV text (LF line ends, trailing newline) from a header and row objects. */
export function formatCsv(header: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) lines.push(header.map((h) => csvField(r[h] as string | number | null | undefined)).join(","));
  return lines.join("\n") + "\n";
}
