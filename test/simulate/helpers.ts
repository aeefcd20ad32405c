import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingestBundle, type BundleResult } from "../../src/pipeline/ingest/bundle.js";
import { loadPaper } from "../../src/paper/load.js";
import { writeSimulatedBundle } from "../../src/simulate/bundle.js";
import { simulateRun, type SimulateRequest, type SimulatedRun } from "../../src/simulate/simulate.js";

export const root = process.cwd();
export const paper = loadPaper(root);

export function simulate(req: SimulateRequest): SimulatedRun {
  return simulateRun(req, { root, paper });
}

/** Simulate, write the bundle to a fresh folder and ingest it. */
export async function roundTrip(
  req: SimulateRequest,
): Promise<{ run: SimulatedRun; result: BundleResult; dir: string }> {
  const run = simulate(req);
  const dir = join(mkdtempSync(join(tmpdir(), "slm-sim-")), "bundle");
  writeSimulatedBundle(dir, run);
  const result = await ingestBundle(dir);
  return { run, result, dir };
}

export function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}
