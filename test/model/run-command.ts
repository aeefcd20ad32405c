import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Command } from "../../src/cli/command.js";
import { isSlmError } from "../../src/errors.js";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Run one command as the CLI would (its options parsed strictly), capturing output and exit code. */
export async function runCommand(cmd: Command, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  try {
    const parsed = parseArgs({
      args,
      options: cmd.options,
      allowPositionals: cmd.allowPositionals ?? false,
      strict: true,
    });
    const code = await cmd.run({
      values: parsed.values,
      positionals: parsed.positionals,
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      root: ROOT,
    });
    return { code, out, err };
  } catch (e) {
    if (isSlmError(e)) return { code: e.exitCode, out, err: err + e.format() };
    throw e;
  }
}
