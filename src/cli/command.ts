import type { ParseArgsConfig } from "node:util";

/** What a command receives: parsed options and positionals, plus where to print. */
export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
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
