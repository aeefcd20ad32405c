import { inputError, type SlmError } from "../errors.js";

/**
 * Retiring: read CSV rows with `decodeCsvRows(schema, parseCsv(text, file), file)` from io/csv-rows.ts
 * instead, whose `cell.*` schemas mirror `f.*` here (same messages) and report every bad cell at once.
 * Still used by paper/load.ts, stats/ingested.ts and model/runs.ts; delete this file once they move.
 *
 * Minimal schemas for tabular files: each column has a parser from its text to a typed value that
 * throws with file, line and field when the text does not fit. Used at every boundary where a
 * CSV or JSON file enters the program.
 */
export type FieldParser<T> = (text: string, where: FieldWhere) => T;

export interface FieldWhere {
  file: string;
  line: number;
  field: string;
}

const fail = (where: FieldWhere, message: string, text: string, hint?: string): SlmError =>
  inputError(message, { ...where, text, ...(hint === undefined ? {} : { hint }) });

export const f = {
  string(opts: { optional?: boolean } = {}): FieldParser<string> {
    return (text, where) => {
      const t = text.trim();
      if (t === "" && !opts.optional) throw fail(where, "a value is required", text);
      return t;
    };
  },
  optionalString(): FieldParser<string | null> {
    return (text) => (text.trim() === "" ? null : text.trim());
  },
  number(opts: { min?: number; max?: number; integer?: boolean } = {}): FieldParser<number> {
    return (text, where) => {
      const t = text.trim();
      const v = t === "" ? NaN : Number(t);
      if (!Number.isFinite(v)) throw fail(where, "expected a finite number", text);
      if (opts.integer && !Number.isInteger(v)) throw fail(where, "expected an integer", text);
      if (opts.min !== undefined && v < opts.min) throw fail(where, `expected a number ≥ ${opts.min}`, text);
      if (opts.max !== undefined && v > opts.max) throw fail(where, `expected a number ≤ ${opts.max}`, text);
      return v;
    };
  },
  optionalNumber(opts: { min?: number; max?: number } = {}): FieldParser<number | null> {
    const inner = f.number(opts);
    return (text, where) => (text.trim() === "" ? null : inner(text, where));
  },
  oneOf<T extends string>(values: readonly T[]): FieldParser<T> {
    return (text, where) => {
      const t = text.trim();
      if (!(values as readonly string[]).includes(t)) {
        throw fail(where, `expected one of ${values.join(", ")}`, text, "use the canonical id");
      }
      return t as T;
    };
  },
  optionalOneOf<T extends string>(values: readonly T[]): FieldParser<T | null> {
    const inner = f.oneOf(values);
    return (text, where) => (text.trim() === "" ? null : inner(text, where));
  },
  boolean(): FieldParser<boolean> {
    return (text, where) => {
      const t = text.trim().toLowerCase();
      if (t === "true" || t === "yes" || t === "1") return true;
      if (t === "false" || t === "no" || t === "0") return false;
      throw fail(where, "expected true or false", text);
    };
  },
};

export type RowSchema<T> = { [K in keyof T]: FieldParser<T[K]> };

/** Parse one record (column name → text) with a row schema; unknown columns are ignored. */
export function parseRow<T>(schema: RowSchema<T>, values: Record<string, string>, file: string, line: number): T {
  const out = {} as T;
  for (const key of Object.keys(schema) as (keyof T & string)[]) {
    const text = values[key];
    const where = { file, line, field: key };
    if (text === undefined) {
      throw inputError(`missing column "${key}"`, { ...where, hint: `add a "${key}" column to the header` });
    }
    out[key] = schema[key](text, where);
  }
  return out;
}
