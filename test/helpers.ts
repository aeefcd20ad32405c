import { cpSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";

/** The project root (the folder above test/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The slide text the tables were transcribed from, when shared/ sits beside the project. */
export const SLIDES = resolve(ROOT, "..", "shared", "paper", "energy-footprint-slm-edges-slides.txt");
export const haveSlides = existsSync(SLIDES);

/** A scratch copy of the project's data/ and README.md, for commands that write outputs. */
export function scratchRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), "slm-energy-"));
  cpSync(join(ROOT, "data"), join(dir, "data"), { recursive: true });
  cpSync(join(ROOT, "README.md"), join(dir, "README.md"));
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  return dir;
}

/** Run the CLI in-process with a given project root; capture stdout, stderr and the exit code. */
export async function runCli(args: string[], root = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const before = process.env.SLM_ENERGY_ROOT;
  process.env.SLM_ENERGY_ROOT = root;
  try {
    const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  } finally {
    if (before === undefined) delete process.env.SLM_ENERGY_ROOT;
    else process.env.SLM_ENERGY_ROOT = before;
  }
}
