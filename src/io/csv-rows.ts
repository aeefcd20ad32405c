import { z } from "zod";
import type { Issue } from "../errors.js";
import { num, type NumberRule } from "./catalog/fields.js";
import type { CsvTable } from "./csv.js";
import { issuesError } from "./json.js";

/**
 * Validating the rows of a CSV table (from io/csv.ts) with a zod schema: one schema per row, one
 * cell schema per column (`cell.number({ min: 0 })`, `cell.oneOf(IDS)` …) turning the cell's text
 * into a typed value. Every bad cell of the file is reported at once, each with its line and column.
 */

/** Cell schemas: the text of one cell (trimmed) → a typed value, with the project's messages. */
export const cell = {
  /** Required text. */
  text() {
    return z
      .string()
      .trim()
      .refine((t) => t !== "", { error: "a value is required", abort: true });
  },
  /** Text, or null for an empty cell. */
  optionalText() {
    return z
      .string()
      .trim()
      .transform((t) => (t === "" ? null : t));
  },
  /** A finite number within `rule` ("0x10" and "1e3" read as JavaScript's Number reads them). */
  number(rule: NumberRule = {}) {
    return z
      .string()
      .trim()
      .refine((t) => t !== "" && Number.isFinite(Number(t)), { error: "expected a finite number", abort: true })
      .transform(Number)
      .pipe(num(rule));
  },
  /** A number within `rule`, or null for an empty cell. */
  optionalNumber(rule: NumberRule = {}) {
    return blankAsNull(cell.number(rule));
  },
  /** One of `values` (the canonical ids). */
  oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z
      .string()
      .trim()
      .pipe(z.enum(values, { error: `expected one of ${values.join(", ")}` }));
  },
  /** One of `values`, or null for an empty cell. */
  optionalOneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return blankAsNull(cell.oneOf(values));
  },
  /** true/yes/1 or false/no/0, in any case. */
  boolean() {
    return z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["true", "yes", "1", "false", "no", "0"], { error: "expected true or false" }))
      .transform((t) => t === "true" || t === "yes" || t === "1");
  },
};

/** An empty (or blank) cell reads as null; any other text must satisfy `schema`. */
function blankAsNull<S extends z.ZodType<unknown, string>>(schema: S) {
  return z.string().transform((t, ctx): z.output<S> | null => {
    if (t.trim() === "") return null;
    const r = schema.safeParse(t);
    if (r.success) return r.data;
    for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: [...i.path] });
    return z.NEVER;
  });
}

/** A decoded row with the 1-based line its record starts on. */
export interface CsvRow<T> {
  line: number;
  row: T;
}

export interface DecodeCsvOptions {
  /** Said after every issue that carries no hint of its own. */
  hint?: string;
  /** Stop after this many issues (a file with a wrong column would otherwise report every row). */
  maxIssues?: number;
}

type RowSchema = z.ZodObject | z.ZodPipe<z.ZodObject, z.ZodType>;

/**
 * Validates every record of `table` against `schema` (an object schema keyed by column name,
 * optionally piped into a transform). Columns the schema names must be in the header; other
 * columns are ignored. Throws one input error carrying every issue (file, line, column, cell text).
 */
export function decodeCsvRows<S extends RowSchema>(
  schema: S,
  table: CsvTable,
  file: string,
  options: DecodeCsvOptions = {},
): CsvRow<z.output<S>>[] {
  const max = options.maxIssues ?? 50;
  const shape = schema instanceof z.ZodPipe ? schema.in.shape : schema.shape;
  const issues: Issue[] = Object.keys(shape)
    .filter((column) => !table.header.includes(column))
    .map((column) => ({
      message: `missing column "${column}"`,
      file,
      field: column,
      hint: `add a "${column}" column to the header`,
    }));
  if (issues.length > 0) throw issuesError(issues);
  const rows: CsvRow<z.output<S>>[] = [];
  for (const record of table.records) {
    const result = schema.safeParse(record.values);
    if (result.success) rows.push({ line: record.line, row: result.data as z.output<S> });
    else for (const i of result.error.issues) issues.push(cellIssue(i, record.line, record.values, file, options.hint));
    if (issues.length >= max) break;
  }
  if (issues.length > 0) throw issuesError(issues.slice(0, max));
  return rows;
}

function cellIssue(
  raw: z.core.$ZodIssue,
  line: number,
  values: Record<string, string>,
  file: string,
  hint: string | undefined,
): Issue {
  const column = typeof raw.path[0] === "string" ? raw.path[0] : undefined;
  const text = column === undefined ? undefined : values[column];
  const issueHint = (raw as { params?: { hint?: string } }).params?.hint ?? hint;
  return {
    message: raw.message,
    file,
    line,
    ...(column === undefined ? {} : { field: column }),
    ...(text === undefined ? {} : { text }),
    ...(issueHint === undefined ? {} : { hint: issueHint }),
  };
}
