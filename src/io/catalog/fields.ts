import { visit } from "jsonc-parser";
import { z } from "zod";
import { type Issue } from "../../errors.js";
import { issuesError, parseJsonDocument, type JsonDocument } from "../json.js";

/**
 * The field rules the catalogs (and the user's `--device-spec` / `--model-spec` files) share, as zod
 * schemas with this project's messages: "expected a number ≥ 1", "expected a non-empty string"…
 * A missing optional field and `null` mean the same (read as null, or as the field's default).
 */

export interface NumberRule {
  min?: number;
  max?: number;
  /** The number must be greater than this. */
  exclusiveMin?: number;
  integer?: boolean;
}

/** A finite number within `rule`; the first rule it breaks is the one reported. */
export function num(rule: NumberRule = {}) {
  let s = z.number({ error: "expected a finite number" });
  if (rule.integer) s = s.int({ error: "expected an integer", abort: true });
  if (rule.min !== undefined) s = s.gte(rule.min, { error: `expected a number ≥ ${rule.min}`, abort: true });
  if (rule.exclusiveMin !== undefined) {
    s = s.gt(rule.exclusiveMin, { error: `expected a number > ${rule.exclusiveMin}`, abort: true });
  }
  if (rule.max !== undefined) s = s.lte(rule.max, { error: `expected a number ≤ ${rule.max}`, abort: true });
  return s;
}

/** A string with something in it besides white space. */
export function text() {
  return z
    .string({ error: "expected a non-empty string" })
    .refine((s) => s.trim() !== "", { error: "expected a non-empty string", abort: true });
}

/** A lowercase slug id (`my-board`), with `hint` saying what to write instead. */
export const SLUG = /^[a-z0-9][a-z0-9._-]*$/;
export function slug(hint: string) {
  return text().refine((s) => SLUG.test(s), { error: `expected text matching ${String(SLUG)}`, params: { hint } });
}

export function bool() {
  return z.boolean({ error: "expected true or false" });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(", ")}` });
}

export function object<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, { error: "expected an object" });
}

export function list<S extends z.ZodType>(item: S, minLength = 0) {
  const s = z.array(item, { error: "expected a list" });
  return minLength > 0 ? s.min(minLength, { error: `expected at least ${minLength} item(s)` }) : s;
}

/** Missing or null reads as null. */
export function orNull<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((v): z.output<S> | null => v ?? null);
}

/** Missing or null reads as `fallback`. */
export function orDefault<S extends z.ZodType>(schema: S, fallback: () => z.output<S>) {
  return schema.nullish().transform((v): z.output<S> => v ?? fallback());
}

/** `schemaVersion`: this version reads 1. */
export const schemaVersion = num({ integer: true }).refine((v) => v === 1, {
  error: "unsupported schemaVersion",
  params: { hint: "this version of slm-energy reads schemaVersion 1" },
});

/** Values at `key` of `items` that occur more than once, with the index of each repeat. */
export function repeats<T>(items: readonly T[], key: (item: T) => string): { index: number; value: string }[] {
  const seen = new Set<string>();
  const out: { index: number; value: string }[] = [];
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) out.push({ index, value });
    seen.add(value);
  });
  return out;
}

/** The object `value` holds under `key` when a file wraps its entry (`{"device": {...}}`), else the value. */
export function unwrap(value: unknown, key: string): { value: unknown; at: string[] } {
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  return isObject && key in value ? { value: (value as Record<string, unknown>)[key], at: [key] } : { value, at: [] };
}

/**
 * A catalog or spec file's JSON (strict, as io/json.ts parses it), where a key given twice in one
 * object is an error rather than the last one silently winning.
 */
export function parseCatalogJson(text: string, file: string): JsonDocument {
  const doc = parseJsonDocument(text, file);
  const open: Set<string>[] = [];
  const repeated: Issue[] = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, _offset, _length, startLine) => {
      const keys = open[open.length - 1];
      if (keys?.has(key)) {
        repeated.push({
          message: `invalid JSON: duplicate key "${key}"`,
          file,
          line: startLine + 1,
          hint: "give each key once",
        });
      }
      keys?.add(key);
    },
  });
  if (repeated.length > 0) throw issuesError(repeated);
  return doc;
}

/** A catalog's list of entries (at least one), each id given once; a repeat is reported at its `id`. */
export function uniqueIdList<S extends z.ZodType<{ id: string }>>(item: S, what: string) {
  return list(item, 1).superRefine((items, ctx) => {
    for (const r of repeats(items, (x) => x.id)) {
      ctx.addIssue({ code: "custom", path: [r.index, "id"], message: `duplicate ${what} id "${r.value}"` });
    }
  });
}
