/**
 * Whole-file CSV tables through zod: each record of `parseCsv` validated against a row schema,
 * every bad cell of every row reported at once (file, line, column, the cell's text).
 */
import { z } from "zod";
import type { Issue } from "../../errors.js";
import type { CsvRecord } from "../csv.js";
import { fieldPath, issuesError } from "../json.js";

/** Bounds of a number cell. */
export interface CsvNumberSpec {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** A number cell (trimmed; empty or not a number is an error), within `spec`'s bounds. */
export function csvNumber(spec: CsvNumberSpec = {}) {
  let n = z.number();
  if (spec.integer) n = n.int({ error: "expected a whole number" });
  if (spec.min !== undefined) n = n.min(spec.min, { error: `expected a number ≥ ${spec.min}` });
  if (spec.max !== undefined) n = n.max(spec.max, { error: `expected a number ≤ ${spec.max}` });
  return z
    .string()
    .trim()
    .refine((s) => s !== "" && Number.isFinite(Number(s)), { error: "expected a number" })
    .transform(Number)
    .pipe(n);
}

/** A number cell that may be empty (null). */
export function csvOptionalNumber(spec: CsvNumberSpec = {}) {
  return z.union([z.literal("").transform(() => null), csvNumber(spec)]);
}

/** The rows of `records` decoded by `schema`, each with its line; one input error lists every problem. */
export function decodeCsvRows<S extends z.ZodType>(
  schema: S,
  records: readonly CsvRecord[],
  file: string,
  hint?: string,
): { row: z.output<S>; line: number }[] {
  const issues: Issue[] = [];
  const rows: { row: z.output<S>; line: number }[] = [];
  for (const rec of records) {
    const r = schema.safeParse(rec.values);
    if (r.success) {
      rows.push({ row: r.data, line: rec.line });
      continue;
    }
    for (const i of r.error.issues) {
      const column = String(i.path[0] ?? "");
      const cell = rec.values[column];
      const issueHint = (i as { params?: { hint?: string } }).params?.hint ?? hint;
      issues.push({
        message: cell === undefined ? `column "${column}" is missing` : i.message,
        file,
        line: rec.line,
        ...(i.path.length === 0 ? {} : { field: fieldPath(i.path) }),
        ...(cell === undefined ? {} : { text: cell }),
        ...(issueHint === undefined ? {} : { hint: issueHint }),
      });
    }
  }
  if (issues.length > 0) throw issuesError(issues);
  return rows;
}
