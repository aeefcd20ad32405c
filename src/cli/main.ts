#!/usr/bin/env node
import { parseArgs } from "node:util";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SlmError, isSlmError, usageError } from "../errors.js";
import { projectRoot } from "../io/project-root.js";
import type { Command } from "./command.js";
import { COMMANDS } from "./commands/index.js";

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "slm-energy — energy footprint of small language models on edge devices",
    "",
    "Usage: slm-energy <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `slm-energy <command> --help` for a command's options.",
    "Exit codes: 0 ok, 1 failure, 2 bad input or usage.",
  ].join("\n");
}

/** Run the CLI with the given arguments; returns the exit code. Never calls process.exit. */
export async function main(
  argv: string[],
  io: {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    stdin?: AsyncIterable<Uint8Array | string>;
  } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(topUsage() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.stdout("slm-energy 0.1.0\n");
    return 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw usageError(`unknown command "${name}"`, "run `slm-energy --help` for the list of commands");
    // After `--` the arguments are another program's (`measure -- llama-bench -h`).
    const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
    if (own.includes("--help") || own.includes("-h")) {
      io.stdout(command.usage.trimEnd() + "\n");
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: joinNegativeValues(rest, command.options),
        options: command.options,
        allowPositionals: command.allowPositionals ?? false,
        strict: true,
      });
    } catch (e) {
      throw usageError((e as Error).message, `run \`slm-energy ${name} --help\``);
    }
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      stdout: io.stdout,
      stderr: io.stderr,
      ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
      root: projectRoot(),
    });
  } catch (e) {
    if (isSlmError(e)) {
      io.stderr(`slm-energy ${name}: error: ${e.format()}\n`);
      return e.exitCode;
    }
    const err = new SlmError("E_INTERNAL", (e as Error)?.message ?? String(e), { cause: e });
    io.stderr(`slm-energy ${name}: internal error: ${err.message}\n${(e as Error)?.stack ?? ""}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A reader that stops early (`slm-energy audit --json | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`slm-energy: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * `--prompt-tokens -5` → `--prompt-tokens=-5`, so a negative number reaches the option's own check
 * (which names the allowed range) instead of node's "argument is ambiguous".
 */
export function joinNegativeValues(args: readonly string[], options: Command["options"]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const name = a.startsWith("--") ? a.slice(2) : null;
    if (name !== null && options[name]?.type === "string" && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
