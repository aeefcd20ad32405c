import { z } from "zod";
import type { Issue } from "../errors.js";
import { issuesError } from "./json.js";
import type { CsvTable } from "./csv.js";

/**
 * Typed rows of a whole-file CSV table: one zod object schema per row, its fields parsing the cell
 * text (`csvText.number()`…). Every bad cell of every row becomes one issue naming file, line and
 * column; they are reported together as one input error.
 */

type Ctx = z.core.$RefinementCtx<string>;

const fail = (ctx: Ctx, message: string, hint?: string): typeof z.NEVER => {
  ctx.addIssue({ code: "custom", message, ...(hint === undefined ? {} : { params: { hint } }) });
  return z.NEVER;
};

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

function toNumber(text: string, ctx: Ctx, rule: NumberRule): number {
  const t = text.trim();
  const v = t === "" ? NaN : Number(t);
  if (!Number.isFinite(v)) return fail(ctx, "expected a finite number");
  if (rule.integer && !Number.isInteger(v)) return fail(ctx, "expected an integer");
  if (rule.min !== undefined && v < rule.min) return fail(ctx, `expected a number ≥ ${rule.min}`);
  if (rule.max !== undefined && v > rule.max) return fail(ctx, `expected a number ≤ ${rule.max}`);
  return v;
}

function toOneOf<T extends string>(text: string, ctx: Ctx, values: readonly T[]): T {
  const t = text.trim();
  if (!(values as readonly string[]).includes(t))
    return fail(ctx, `expected one of ${values.join(", ")}`, "use the canonical id");
  return t as T;
}

const BOOLEANS: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };

/** Field schemas from a cell's text (trimmed); `optional…` ones read an empty cell as null. */
export const csvText = {
  string: () =>
    z.string().transform((text, ctx) => (text.trim() === "" ? fail(ctx, "a value is required") : text.trim())),
  optionalString: () => z.string().transform((text) => (text.trim() === "" ? null : text.trim())),
  number: (rule: NumberRule = {}) => z.string().transform((text, ctx) => toNumber(text, ctx, rule)),
  optionalNumber: (rule: NumberRule = {}) =>
    z.string().transform((text, ctx) => (text.trim() === "" ? null : toNumber(text, ctx, rule))),
  oneOf: <T extends string>(values: readonly T[]) => z.string().transform((text, ctx) => toOneOf(text, ctx, values)),
  optionalOneOf: <T extends string>(values: readonly T[]) =>
    z.string().transform((text, ctx) => (text.trim() === "" ? null : toOneOf(text, ctx, values))),
  optionalBoolean: () =>
    z.string().transform((text, ctx) => {
      const t = text.trim().toLowerCase();
      if (t === "") return null;
      return BOOLEANS[t] ?? fail(ctx, "expected true or false");
    }),
};

/** A row of `table` decoded, with the line it came from. */
export type CsvRow<S extends z.ZodObject> = z.output<S> & { line: number };

/**
 * Decodes every record of `table` (read from `file`) with the row schema; unknown columns are
 * ignored, a missing one is reported at the header line. All problems are reported at once.
 */
export function decodeCsvRows<S extends z.ZodObject>(schema: S, table: CsvTable, file: string): CsvRow<S>[] {
  const missing = Object.keys(schema.shape).filter((k) => !table.header.includes(k));
  if (missing.length > 0) {
    throw issuesError(
      missing.map((k) => ({
        message: `missing column "${k}"`,
        file,
        line: 1,
        field: k,
        hint: `add a "${k}" column to the header`,
      })),
    );
  }
  const issues: Issue[] = [];
  const rows: CsvRow<S>[] = [];
  for (const rec of table.records) {
    const r = schema.safeParse(rec.values);
    if (r.success) {
      rows.push({ ...r.data, line: rec.line });
      continue;
    }
    for (const i of r.error.issues) {
      const field = String(i.path[0] ?? "");
      const hint = (i as { params?: { hint?: string } }).params?.hint;
      issues.push({
        message: i.message,
        file,
        line: rec.line,
        ...(field === "" ? {} : { field, text: rec.values[field] ?? "" }),
        ...(hint === undefined ? {} : { hint }),
      });
    }
  }
  if (issues.length > 0) throw issuesError(issues);
  return rows;
}
