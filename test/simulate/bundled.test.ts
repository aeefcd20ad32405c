import { cpSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POWER_FORMATS } from "../../src/ingest/types.js";
import { bundledRawDirs, ingestBundledRaw } from "../../src/pipeline/bundled-raw.js";
import { PATHS } from "../../src/pipeline/paths.js";
import { RUNTIME_IDS } from "../../src/simulate/runtimes/types.js";
import type { SimulationTruth } from "../../src/simulate/simulate.js";
import { parseCsv } from "../../src/io/csv.js";
import { readAll, root, simulate } from "./helpers.js";

const dirs = bundledRawDirs(root);
const truthOf = (d: string) => JSON.parse(readFileSync(join(d, "truth.json"), "utf8")) as SimulationTruth;

describe("the bundled simulated raw runs (data/raw)", () => {
  it("cover every power format but CodeCarbon, and every runtime log", () => {
    const meters = new Set(dirs.map((d) => JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")).meter));
    for (const f of POWER_FORMATS.filter((f) => f !== "codecarbon")) expect(meters.has(f)).toBe(true);
    const runtimes = new Set(dirs.map((d) => truthOf(d).runtime));
    for (const r of RUNTIME_IDS) expect(runtimes.has(r)).toBe(true);
  });

  it("are labelled simulated, and stay small", () => {
    let bytes = 0;
    for (const d of dirs) {
      const m = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8"));
      expect(m.simulated).toBe(true);
      expect(m.notes).toMatch(/^SIMULATED/);
      for (const f of readdirSync(d)) bytes += readFileSync(join(d, f)).length;
    }
    expect(bytes).toBeLessThan(400_000);
  });

  for (const d of dirs) {
    it(`${d.split("/").pop()} is what its truth.json request regenerates, byte for byte`, () => {
      const t = truthOf(d);
      const { request: q } = t;
      const run = simulate({
        device: q.device,
        backend: q.backend,
        powerMode: q.powerMode,
        model: q.model,
        quantization: q.quantization,
        benchmark: q.benchmark,
        inferences: q.inferences,
        meter: q.meter,
        runtime: q.runtime,
        sampleHz: q.sampleHz,
        seed: q.seed,
        damage: q.damage,
        truth: q.truth,
      });
      const files = readAll(d);
      expect(files["manifest.json"]).toBe(JSON.stringify(run.manifest, null, 2) + "\n");
      for (const f of run.files) expect(files[f.name]).toBe(f.text);
      expect(files["truth.json"]).toBe(JSON.stringify(run.truth, null, 2) + "\n");
    });
  }

  it("ingest into data/processed within their truth's bounds, idempotently, leaving the raw files untouched", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "slm-raw-"));
    cpSync(join(root, PATHS.rawDir), join(tmp, PATHS.rawDir), { recursive: true });
    const before = dirs.map((d) => readAll(join(tmp, PATHS.rawDir, d.split("/").pop()!)));
    const w1 = await ingestBundledRaw(tmp);
    expect(w1.map((w) => w.path)).toEqual([
      "data/processed/inferences.csv",
      "data/processed/runs.csv",
      "data/processed/quarantine.csv",
      "data/processed/ingest-summary.json",
      "data/processed/parquet",
      "data/processed/simulated-vs-truth.csv",
    ]);
    const vs = parseCsv(
      readFileSync(join(tmp, "data/processed/simulated-vs-truth.csv"), "utf8"),
      "simulated-vs-truth.csv",
    );
    expect(vs.records).toHaveLength(dirs.length);
    for (const r of vs.records) expect(r.values.within_bound).toBe("true");
    const w2 = await ingestBundledRaw(tmp);
    expect(w2.every((w) => !w.changed)).toBe(true);
    expect(dirs.map((d) => readAll(join(tmp, PATHS.rawDir, d.split("/").pop()!)))).toEqual(before);
  });
});
