/**
 * A query's rows as an aligned plain-text table (header, dashes, one line per row, then the row
 * count): numeric columns right-aligned, text left-aligned, NULL spelled out, long cells cut with
 * an ellipsis (the JSON output keeps them whole). Pure.
 */

type Cell = null | boolean | number | string | Cell[] | { [key: string]: Cell };

/** How many characters a cell may take before it is cut. */
export const MAX_CELL_CHARS = 48;

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/** Whether a DuckDB type name is a number type (its column is right-aligned). */
export const isNumericType = (type: string): boolean => NUMERIC_TYPE.test(type);

/** The text of one cell: NULL for null, numbers as JavaScript prints them, nested values as JSON; one line. */
export function cellText(v: Cell, max = MAX_CELL_CHARS): string {
  const s = v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const line = s.replace(/\r?\n/g, "\\n").replace(/\t/g, " ");
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The aligned table of `rows` under `columns` (types say which columns are numbers). */
export function textTable(
  columns: readonly string[],
  types: readonly string[],
  rows: readonly Record<string, Cell>[],
): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c] ?? null)));
  const heads = columns.map((c) => cellText(c));
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const right = types.map(isNumericType);
  const line = (row: readonly string[]) =>
    row
      .map((s, i) => (right[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(heads), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  out.push(`(${rows.length} ${rows.length === 1 ? "row" : "rows"})`);
  return out.join("\n") + "\n";
}
