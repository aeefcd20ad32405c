import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import type { SimulateRequest } from "../../src/simulate/simulate.js";
import { idleToleranceW } from "../../src/simulate/tolerance.js";
import { roundTrip } from "./helpers.js";

/** Each meter on a board where it is real (or, for RAPL and nvidia-smi, a hypothetical one), at two rates. */
const METER_CASES: { meter: string; device: string; backend: string; benchmark: string; rates: number[] }[] = [
  { meter: "tegrastats", device: "jetson-nano", backend: "cpu", benchmark: "winogrande", rates: [1, 10] },
  { meter: "tegrastats", device: "jetson-orin-nano", backend: "cpu", benchmark: "hellaswag", rates: [1, 5] },
  { meter: "jtop", device: "jetson-orin-nano", backend: "gpu", benchmark: "hellaswag", rates: [1, 10] },
  { meter: "pmic", device: "raspberry-pi-5", backend: "cpu", benchmark: "winogrande", rates: [1, 10] },
  { meter: "fnirsi", device: "raspberry-pi-5", backend: "cpu", benchmark: "winogrande", rates: [100, 20] },
  { meter: "usb-csv", device: "jetson-nano", backend: "cpu", benchmark: "winogrande", rates: [10, 2] },
  { meter: "rapl", device: "jetson-orin-nano", backend: "cpu", benchmark: "winogrande", rates: [10, 1] },
  { meter: "nvidia-smi", device: "jetson-orin-nano", backend: "gpu", benchmark: "hellaswag", rates: [10, 2] },
];

async function checkRoundTrip(req: SimulateRequest) {
  const { run, result } = await roundTrip(req);
  const truth = run.truth;
  expect(result.quarantined).toEqual([]);
  expect(result.inferences).toHaveLength(truth.inferences.length);
  const idleTolW = idleToleranceW(truth.meter.sensor, truth.idle.end_s - truth.idle.start_s, truth.workload);
  expect(Math.abs(result.run.idlePowerW! - truth.idle.power_w)).toBeLessThanOrEqual(idleTolW);
  result.inferences.forEach((row, i) => {
    const t = truth.inferences[i]!;
    // Tokens exactly, latency to the printed resolution.
    expect(row.promptTokens).toBe(t.promptTokens);
    expect(row.genTokens).toBe(t.genTokens);
    expect(Math.abs(row.latencyS - t.latencyS)).toBeLessThanOrEqual(t.latencyResolutionS + 1e-9);
    // Energy within the bound the sensor model explains, gross and net of idle.
    expect(row.energyGrossJ).not.toBeNull();
    expect(Math.abs(row.energyGrossJ! - t.energyJ)).toBeLessThanOrEqual(t.energyToleranceJ);
    expect(Math.abs(row.energyNetJ! - t.energyNetJ)).toBeLessThanOrEqual(
      t.energyToleranceJ + idleTolW * t.latencyS * t.repetitions,
    );
  });
  // The run's energy: the sum of per-inference bounds (their edge errors partly cancel in practice).
  const totalTol = truth.inferences.reduce((s, t) => s + t.energyToleranceJ, 0);
  const ingestedJ = result.inferences.reduce((s, r) => s + r.energyGrossJ!, 0);
  expect(Math.abs(ingestedJ - truth.totals.energy_j)).toBeLessThanOrEqual(totalTol);
  return { run, result };
}

describe("simulate → ingest recovers the truth within what the sensor model explains", () => {
  for (const c of METER_CASES) {
    for (const hz of c.rates) {
      it(`${c.meter} at ${hz} Hz on ${c.device}/${c.backend} (${c.benchmark})`, async () => {
        await checkRoundTrip({
          device: c.device,
          backend: c.backend,
          model: "llama-3.2-1b",
          benchmark: c.benchmark,
          meter: c.meter,
          runtime: "collector",
          sampleHz: hz,
          seed: 11,
          inferences: 12,
        });
      });
    }
  }

  for (const runtime of ["llama.cpp", "ollama", "llama-bench", "collector"]) {
    it(`the ${runtime} log round-trips latency, tokens and energy (FNIRSI at 100 Hz, Pi 5, TinyLlama MMLU)`, async () => {
      const { run, result } = await checkRoundTrip({
        device: "raspberry-pi-5",
        backend: "cpu",
        model: "tinyllama-1.1b",
        benchmark: "mmlu",
        meter: "fnirsi",
        runtime,
        seed: 5,
        inferences: runtime === "llama-bench" ? 2 : 6,
      });
      expect(result.manifest.simulated).toBe(true);
      if (runtime === "llama-bench")
        expect(result.inferences.map((r) => r.label)).toEqual(run.truth.inferences.map((t) => t.label));
    });
  }

  it("the calibrated model's truth round-trips too, for a power mode and quantization the paper never ran", async () => {
    const { run } = await checkRoundTrip({
      device: "jetson-orin-nano",
      backend: "cpu",
      powerMode: "7W",
      model: "gemma-2-2b",
      quantization: "Q4_K_M",
      benchmark: "hellaswag",
      meter: "tegrastats",
      runtime: "ollama",
      sampleHz: 5,
      seed: 8,
      inferences: 6,
      truth: "model",
    });
    expect(run.truth.workload.source).toMatch(/^calibrated model/);
    expect(run.truth.workload.powerMode).toBe("7W");
  });

  it("a fast meter gets long inferences right to well under 1 %", async () => {
    const { run, result } = await checkRoundTrip({
      device: "raspberry-pi-5",
      backend: "cpu",
      model: "phi-3-mini",
      benchmark: "hellaswag",
      meter: "fnirsi",
      runtime: "collector",
      seed: 2,
      inferences: 4,
    });
    result.inferences.forEach((row, i) => {
      const t = run.truth.inferences[i]!;
      expect(Math.abs(row.energyGrossJ! / t.energyJ - 1)).toBeLessThan(0.005);
      expect(t.energyToleranceJ / t.energyJ).toBeLessThan(0.02);
    });
  });

  it("1 Hz tegrastats misses most of a 50 ms inference's energy, as its bound says it may", async () => {
    const { run, result } = await roundTrip({
      device: "jetson-orin-nano",
      backend: "gpu",
      model: "llama-3.2-1b",
      benchmark: "winogrande",
      meter: "tegrastats",
      runtime: "collector",
      sampleHz: 1,
      seed: 4,
      inferences: 20,
    });
    const rel = result.inferences.map((row, i) => Math.abs(row.energyGrossJ! / run.truth.inferences[i]!.energyJ - 1));
    expect(Math.max(...rel)).toBeGreaterThan(0.2);
    result.inferences.forEach((row, i) =>
      expect(Math.abs(row.energyGrossJ! - run.truth.inferences[i]!.energyJ)).toBeLessThanOrEqual(
        run.truth.inferences[i]!.energyToleranceJ,
      ),
    );
    // The ingester warns about windows too short for the sampling rate.
    expect(result.inferences.every((r) => r.warnings.some((w) => /shorter than/.test(w.message)))).toBe(true);
  });

  it("is sensitive: half a second of error in the manifest's clock offset breaks the bound", async () => {
    const { run, dir } = await roundTrip({
      device: "raspberry-pi-5",
      backend: "cpu",
      model: "llama-3.2-1b",
      benchmark: "winogrande",
      meter: "fnirsi",
      runtime: "collector",
      seed: 6,
      inferences: 8,
    });
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    m.clock_offset_s += 0.5;
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(m, null, 2) + "\n");
    const shifted = await ingestBundle(dir);
    const outside = shifted.inferences.filter(
      (row, i) =>
        Math.abs(row.energyGrossJ! - run.truth.inferences[i]!.energyJ) > run.truth.inferences[i]!.energyToleranceJ,
    );
    expect(outside.length).toBeGreaterThan(0);
  });
});
