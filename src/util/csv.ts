import { inputError } from "../errors.js";

/** One CSV record with the 1-based line number it starts on. */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

/**
 * Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a BOM) keeping line numbers, so
 * that every later error can name file and line. Blank lines are skipped. A record with a
 * different number of fields than the header is an error naming its line.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const rows = tokenize(text.replace(/^\uFEFF/, ""), file);
  const first = rows.shift();
  if (!first) throw inputError("the CSV file is empty", { file, hint: "expected a header row" });
  const header = first.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw inputError(`duplicate column "${h}" in the header`, { file, line: first.line, field: h });
    seen.add(h);
  }
  const records: CsvRecord[] = [];
  for (const row of rows) {
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
    records.push({ line: row.line, values });
  }
  return { header, records };
}

function tokenize(text: string, file: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    let done = false;
    while (!done) {
      if (i < n && text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw inputError("unterminated quoted field", { file, line: startLine });
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
      }
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      fields.push(field);
      field = "";
      if (i >= n) done = true;
      else if (text[i] === ",") i++;
      else {
        if (text[i] === "\r") i++;
        if (text[i] === "\n") i++;
        line++;
        done = true;
      }
    }
    if (!(fields.length === 1 && fields[0]!.trim() === "")) out.push({ line: startLine, fields });
  }
  return out;
}

/** Format one CSV field: quoted only when it must be. */
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
