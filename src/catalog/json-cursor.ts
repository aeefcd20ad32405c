import { inputError, type SlmError } from "../errors.js";
import type { JsonDocument } from "./json-lines.js";

/**
 * Retiring (see json-lines.ts): its last user is model/calibration-file.ts.
 * A position inside a JSON document with typed readers. Every reader either returns a value of the
 * promised type or throws an input error naming the file, line, field path and offending text.
 * Missing-value policy: `x()` requires the key, `optX()` accepts a missing key or null as null.
 */
export class JsonCursor {
  constructor(
    readonly doc: JsonDocument,
    readonly path: string,
    readonly value: unknown,
  ) {}

  static root(doc: JsonDocument): JsonCursor {
    return new JsonCursor(doc, "", doc.value);
  }

  error(message: string, hint?: string): SlmError {
    const text = this.value === undefined ? undefined : JSON.stringify(this.value);
    return inputError(message, {
      file: this.doc.file,
      ...(this.doc.lineOf(this.path) === undefined ? {} : { line: this.doc.lineOf(this.path) as number }),
      ...(this.path === "" ? {} : { field: this.path }),
      ...(text === undefined ? {} : { text }),
      ...(hint === undefined ? {} : { hint }),
    });
  }

  get isMissing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /** The child at `key` (an object member); requires this value to be an object. */
  key(key: string): JsonCursor {
    const obj = this.object();
    return new JsonCursor(this.doc, this.path === "" ? key : `${this.path}.${key}`, obj[key]);
  }

  object(): Record<string, unknown> {
    if (typeof this.value !== "object" || this.value === null || Array.isArray(this.value)) {
      throw this.error(this.value === undefined ? "a value is required" : "expected an object");
    }
    return this.value as Record<string, unknown>;
  }

  array(opts: { minLength?: number } = {}): JsonCursor[] {
    if (!Array.isArray(this.value)) {
      throw this.error(this.value === undefined ? "a list is required" : "expected a list");
    }
    if (opts.minLength !== undefined && this.value.length < opts.minLength) {
      throw this.error(`expected at least ${opts.minLength} item(s)`);
    }
    return this.value.map((v, i) => new JsonCursor(this.doc, `${this.path}[${i}]`, v));
  }

  string(opts: { pattern?: RegExp; hint?: string } = {}): string {
    if (typeof this.value !== "string" || this.value.trim() === "") {
      throw this.error(this.value === undefined ? "a value is required" : "expected a non-empty string");
    }
    if (opts.pattern && !opts.pattern.test(this.value)) {
      throw this.error(`expected text matching ${opts.pattern}`, opts.hint);
    }
    return this.value;
  }

  optString(): string | null {
    return this.isMissing ? null : this.string();
  }

  number(opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number } = {}): number {
    const v = this.value;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw this.error(v === undefined ? "a number is required" : "expected a finite number");
    }
    if (opts.integer && !Number.isInteger(v)) throw this.error("expected an integer");
    if (opts.min !== undefined && v < opts.min) throw this.error(`expected a number ≥ ${opts.min}`);
    if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin) {
      throw this.error(`expected a number > ${opts.exclusiveMin}`);
    }
    if (opts.max !== undefined && v > opts.max) throw this.error(`expected a number ≤ ${opts.max}`);
    return v;
  }

  optNumber(opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number } = {}): number | null {
    return this.isMissing ? null : this.number(opts);
  }

  boolean(): boolean {
    if (typeof this.value !== "boolean") {
      throw this.error(this.value === undefined ? "true or false is required" : "expected true or false");
    }
    return this.value;
  }

  oneOf<T extends string>(values: readonly T[]): T {
    const s = this.string();
    if (!(values as readonly string[]).includes(s)) {
      throw this.error(`expected one of ${values.join(", ")}`);
    }
    return s as T;
  }

  /** Read an optional object member with `read`, or null when it is missing or null. */
  opt<T>(key: string, read: (c: JsonCursor) => T): T | null {
    const c = this.key(key);
    return c.isMissing ? null : read(c);
  }
}
