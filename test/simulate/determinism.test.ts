import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSimulatedBundle } from "../../src/simulate/bundle.js";
import { TRUTH_FILE } from "../../src/simulate/simulate.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { readAll, simulate } from "./helpers.js";

const req = {
  device: "raspberry-pi-5",
  backend: "cpu",
  model: "gemma-2-2b",
  benchmark: "winogrande",
  meter: "pmic",
  runtime: "ollama",
  seed: 9,
  inferences: 5,
} as const;

describe("simulated bundles are deterministic", () => {
  it("the same seed writes byte-identical files", () => {
    const a = join(mkdtempSync(join(tmpdir(), "slm-sim-")), "a");
    const b = join(mkdtempSync(join(tmpdir(), "slm-sim-")), "b");
    writeSimulatedBundle(a, simulate(req));
    writeSimulatedBundle(b, simulate(req));
    expect(readAll(a)).toEqual(readAll(b));
  });

  it("another seed writes another run", () => {
    expect(simulate({ ...req, seed: 10 }).files[0]!.text).not.toEqual(simulate(req).files[0]!.text);
  });

  it("the truth does not depend on the meter that watches it", () => {
    const a = simulate(req).truth.inferences.map((t) => [t.startS, t.endS, t.energyJ]);
    const b = simulate({ ...req, meter: "fnirsi" }).truth.inferences.map((t) => [t.startS, t.endS, t.energyJ]);
    expect(b).toEqual(a);
  });

  it("labels the bundle simulated and keeps the truth beside it", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "slm-sim-")), "c");
    writeSimulatedBundle(dir, simulate(req));
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(m.simulated).toBe(true);
    expect(m.notes).toMatch(/^SIMULATED/);
    const truth = JSON.parse(readFileSync(join(dir, TRUTH_FILE), "utf8"));
    expect(truth.simulated).toBe(true);
    const r = await ingestBundle(dir);
    // The manifest has only keys the ingester knows: no warnings about it.
    expect(r.warnings.filter((w) => w.file.endsWith("manifest.json"))).toEqual([]);
  });

  it("refuses to write into a folder that holds something", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "slm-sim-")), "d");
    writeSimulatedBundle(dir, simulate(req));
    expect(() => writeSimulatedBundle(dir, simulate(req))).toThrow(/not empty/);
  });
});
