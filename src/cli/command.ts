import type { ParseArgsConfig } from "node:util";
import { isSlmError, SlmError, usageError } from "../errors.js";

/** What a command receives: parsed options and positionals, plus where to print. */
export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input (`inspect -`); process.stdin when absent. */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Project root (the folder holding package.json and data/). */
  root: string;
}

/**
 * One CLI command. `usage` is the full --help text. `run` returns the exit code
 * (0 ok, 1 failure, 2 bad input or usage) or throws an SlmError, which main() maps to one.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  allowPositionals?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Option helpers: read a string / boolean / string list option with a usage error on misuse. */
export function optString(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new TypeError(`option --${name} is not a string option`);
  return v;
}

/** A path option (`--out`, say): given empty it would mean the working folder, so it is a usage error. */
export function optPath(ctx: CommandContext, name: string): string | undefined {
  const v = optString(ctx, name);
  if (v !== undefined && v.trim() === "") throw usageError(`--${name} is empty`, `give --${name} a path`);
  return v;
}

export function optFlag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

/** Comma-separated or repeated option as a list. */
export function optList(ctx: CommandContext, name: string): string[] | undefined {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  const items = Array.isArray(v) ? v : [v];
  return items
    .flatMap((x) => String(x).split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Bounds and default of a numeric option. */
export interface NumberOptionSpec {
  min?: number;
  max?: number;
  /** `min` itself is not allowed (e.g. "> 0"). */
  exclusiveMin?: boolean;
}

/**
 * A numeric option: undefined when absent, else a finite number within the bounds, or a usage error
 * in the one style every command shares: `--name must be a number > 0 (got "x")`.
 */
export function optNumber(ctx: CommandContext, name: string, spec: NumberOptionSpec = {}): number | undefined {
  return readNumber(ctx, name, spec, false);
}

/** An integer option, as optNumber. */
export function optInt(ctx: CommandContext, name: string, spec: NumberOptionSpec = {}): number | undefined {
  return readNumber(ctx, name, spec, true);
}

function readNumber(ctx: CommandContext, name: string, spec: NumberOptionSpec, integer: boolean): number | undefined {
  const text = optString(ctx, name);
  if (text === undefined) return undefined;
  const v = text.trim() === "" ? NaN : Number(text.trim());
  const ok =
    Number.isFinite(v) &&
    (!integer || Number.isInteger(v)) &&
    (spec.min === undefined || (spec.exclusiveMin ? v > spec.min : v >= spec.min)) &&
    (spec.max === undefined || v <= spec.max);
  if (ok) return v;
  throw usageError(
    `--${name} must be ${describeNumber(spec, integer)} (got ${JSON.stringify(text)})`,
    `run with --help`,
  );
}

function describeNumber(spec: NumberOptionSpec, integer: boolean): string {
  const kind = integer ? "an integer" : "a number";
  const lo = spec.min === undefined ? "" : `${spec.exclusiveMin ? ">" : "≥"} ${spec.min}`;
  const hi = spec.max === undefined ? "" : `≤ ${spec.max}`;
  const range = [lo, hi].filter((s) => s !== "").join(" and ");
  return range === "" ? kind : `${kind} ${range}`;
}

/**
 * Core errors say what is missing in domain words and name it in `field` (`format`, `intervalMs`,
 * `quantization` …); the CLI adds which option gives it. `options` maps those fields to flags.
 * Returns the error to throw: `e` itself when no option gives its field.
 */
export function withOptionHint(e: unknown, options: Record<string, string>): unknown {
  const flag = isSlmError(e) && e.field !== undefined ? options[e.field] : undefined;
  if (flag === undefined || !isSlmError(e)) return e;
  return new SlmError(e.code, e.message, {
    ...(e.file === undefined ? {} : { file: e.file }),
    ...(e.line === undefined ? {} : { line: e.line }),
    ...(e.text === undefined ? {} : { text: e.text }),
    hint: `${e.hint === undefined ? "" : `${e.hint}; `}on the command line: ${flag}`,
    issues: e.issues,
    cause: e,
  });
}

/** Runs `run`, rethrowing its errors with withOptionHint. */
export async function withOptionHints<T>(run: () => Promise<T>, options: Record<string, string>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw withOptionHint(e, options);
  }
}
