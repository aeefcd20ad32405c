import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBundle, ingestBundles } from "../../../src/pipeline/ingest/bundle.js";
import { ORIN, RPI, referenceEnergyJ } from "./helpers.js";

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

/** VDD_IN of every tegrastats line, at offset + k × 0.1 s (the log has no times of its own). */
function orinTrace(): [number, number][] {
  const m = manifestOf(ORIN);
  return readFileSync(join(ORIN, "tegrastats.log"), "utf8")
    .trim()
    .split("\n")
    .map((l, k) => [m.clock_offset_s + k * 0.1, Number(/VDD_IN (\d+)mW/.exec(l)![1]) / 1000]);
}

/** Σ V×I of every PMIC block (rails with both _A and _V), calibrated, at its epoch stamp. */
function pmicTrace(file: string, cal: { gain: number; offset_w: number }): [number, number][] {
  const out: [number, number][] = [];
  let t = NaN;
  let a = new Map<string, number>();
  let v = new Map<string, number>();
  const flush = () => {
    if (Number.isNaN(t)) return;
    let p = 0;
    for (const [rail, amps] of a) if (v.has(rail)) p += amps * v.get(rail)!;
    out.push([t, cal.gain * p + cal.offset_w]);
  };
  for (const line of readFileSync(file, "utf8").trim().split("\n")) {
    const m = /(\S+)_([AV]) (?:current|volt)\(\d+\)=([\d.]+)[AV]/.exec(line);
    if (!m) {
      flush();
      t = Number(line);
      a = new Map();
      v = new Map();
    } else (m[2] === "A" ? a : v).set(m[1]!, Number(m[3]));
  }
  flush();
  return out;
}

describe("ingesting a Jetson Orin Nano bundle (tegrastats every 100 ms + collector JSONL, idle window)", () => {
  it("gives each inference the trapezoid energy of VDD_IN over its window, to within 0.1 %", async () => {
    const b = await ingestBundle(ORIN);
    const trace = orinTrace();
    expect(b.inferences).toHaveLength(8);
    for (const r of b.inferences) {
      const ref = referenceEnergyJ(trace, r.startS!, r.endS!);
      expect(Math.abs(r.energyGrossJ! - ref) / ref).toBeLessThan(1e-3);
      expect(r.meanPowerW!).toBeGreaterThan(9.3); // prefill at ~10.2 W, decode at ~8.6 W
      expect(r.meanPowerW!).toBeLessThan(10.2);
    }
  });

  it("takes the idle baseline from the idle window and reports net = gross − idle × duration", async () => {
    const b = await ingestBundle(ORIN);
    const m = manifestOf(ORIN);
    const trace = orinTrace();
    const idleRef =
      referenceEnergyJ(trace, m.files.idle.start_s, m.files.idle.end_s) / (m.files.idle.end_s - m.files.idle.start_s);
    expect(b.run.idlePowerW!).toBeCloseTo(idleRef, 9);
    expect(b.run.idlePowerW!).toBeGreaterThan(4.9);
    expect(b.run.idlePowerW!).toBeLessThan(5.0);
    for (const r of b.inferences)
      expect(r.energyNetJ!).toBeCloseTo(r.energyGrossJ! - b.run.idlePowerW! * r.latencyS, 9);
  });

  it("computes the run's study metrics from its inferences", async () => {
    const b = await ingestBundle(ORIN);
    const g = b.run.gross;
    const sumJ = b.inferences.reduce((s, r) => s + r.energyGrossJ!, 0);
    const sumS = b.inferences.reduce((s, r) => s + r.latencyS, 0);
    expect(g.energyWh!).toBeCloseTo(sumJ / 3600, 12);
    expect(g.totalTimeS).toBeCloseTo(sumS, 12);
    expect(g.edpJs!).toBeCloseTo(sumJ * sumS, 9);
    expect(g.tokens).toBe(1698 + 32);
    expect(g.tokensPerWh!).toBeCloseTo(1730 / (sumJ / 3600), 6);
    expect(b.run.accuracyPct).toBe(75); // 6 of 8 correct
    expect(b.run.accuracySource).toBe("inferences (8 scored)");
    expect(b.run.net!.energyWh!).toBeLessThan(g.energyWh!);
    expect(b.quarantined).toEqual([]);
  });

  it("cites the raw lines behind each row: its JSONL line and the tegrastats lines bracketing its window", async () => {
    const b = await ingestBundle(ORIN);
    const r = b.inferences[0]!;
    expect(r.inferenceFile).toBe("orin-gpu-llama32-hellaswag/inferences.jsonl");
    expect(r.inferenceLines).toEqual([1, 1]);
    // window 6.400 … 7.424 s after the first sample: readings 64 … 75 inside, 64 and 75 bracket it (lines are k + 1)
    expect(r.power).toEqual([
      {
        file: "orin-gpu-llama32-hellaswag/tegrastats.log",
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        lines: [64, 76],
      },
    ]);
  });
});

describe("ingesting a Raspberry Pi 5 bundle (PMIC blocks + llama-server timings placed back to back, lm-eval accuracy)", () => {
  it("places the timeless requests from the manifest's start, gap_s apart, and warns that edges are approximate", async () => {
    const b = await ingestBundle(RPI);
    const m = manifestOf(RPI);
    expect(b.inferences.map((r) => r.placed)).toEqual([true, true, true, true, true]);
    expect(b.inferences[0]!.startS).toBe(m.placement.start_s);
    expect(b.inferences[1]!.startS).toBeCloseTo(b.inferences[0]!.endS! + 0.5, 9);
    expect(b.inferences[0]!.latencyS).toBeCloseTo(4.13861, 9);
    expect(b.inferences[0]!.warnings.map((w) => w.message).join()).toMatch(/placed back to back/);
  });

  it("applies the PMIC calibration before integrating, to within 0.1 % of a reference", async () => {
    const b = await ingestBundle(RPI);
    const m = manifestOf(RPI);
    const trace = pmicTrace(join(RPI, "pmic.log"), m.power_calibration);
    for (const r of b.inferences) {
      const ref = referenceEnergyJ(trace, r.startS!, r.endS!);
      expect(Math.abs(r.energyGrossJ! - ref) / ref).toBeLessThan(1e-3);
    }
    const idle = pmicTrace(join(RPI, "pmic-idle.log"), m.power_calibration);
    const idleRef =
      referenceEnergyJ(idle, idle[0]![0], idle[idle.length - 1]![0]) / (idle[idle.length - 1]![0] - idle[0]![0]);
    expect(b.run.idlePowerW!).toBeCloseTo(idleRef, 9);
    expect(b.run.idlePowerW!).toBeCloseTo(1.12 * 2.45 + 0.35, 1);
  });

  it("takes the accuracy from the lm-eval results when inferences are not scored", async () => {
    const b = await ingestBundle(RPI);
    expect(b.run.accuracyPct).toBeCloseTo(25.8, 10);
    expect(b.run.accuracySource).toBe("lm-eval mmlu acc (n=14042)");
    expect(b.run.gross.scored).toBe(0);
  });

  it("sorts runs by id and refuses two bundles with the same run id", async () => {
    const runs = await ingestBundles([RPI, ORIN]);
    expect(runs.map((r) => r.runId)).toEqual(["orin-gpu-llama32-hellaswag", "rpi5-tinyllama-mmlu"]);
    await expect(ingestBundles([ORIN, ORIN])).rejects.toMatchObject({ code: "E_INPUT", field: "run_id" });
  });
});

describe("comparing an ingested run with the paper", () => {
  it("puts each metric beside the paper's cell for the same platform, model and benchmark, per inference", async () => {
    const { loadPaper } = await import("../../../src/paper/load.js");
    const { inferenceCounts } = await import("../../../src/paper/inferences.js");
    const { compareWithPaper } = await import("../../../src/ingest/bundle/index.js");
    const { projectRoot } = await import("../../../src/io/project-root.js");
    const paper = loadPaper(projectRoot());
    const b = await ingestBundle(ORIN);
    const rows = compareWithPaper(b, paper.cells);
    expect(rows.map((r) => r.metric)).toEqual([
      "accuracy",
      "latency per inference",
      "energy per inference",
      "mean power",
      "tokens per second",
      "tokens per Wh",
    ]);
    const cell = (metric: string) =>
      paper.cells.find(
        (c) =>
          c.device === "jetson-orin-nano" &&
          c.backend === "gpu" &&
          c.model === "llama-3.2-1b" &&
          c.benchmark === "hellaswag" &&
          c.metric === metric,
      )!;
    const n = inferenceCounts(paper.cells).hellaswag;
    const energy = rows.find((r) => r.metric === "energy per inference")!;
    expect(energy.paper).toBeCloseTo(cell("energy_wh").value / n, 12);
    expect(energy.ratio).toBeCloseTo(b.run.gross.energyPerInferenceWh! / energy.paper!, 12);
    expect(rows[0]!.paper).toBe(cell("accuracy_pct").value);
    const rpi = compareWithPaper(await ingestBundle(RPI), paper.cells);
    expect(rpi.map((r) => r.metric)).toContain("inferences per Wh");
    const other = await ingestBundle(ORIN);
    other.manifest.model = "my-own-model";
    expect(compareWithPaper(other, paper.cells)).toEqual([]);
  });
});
