import { formatCsv } from "../io/csv.js";
import { jToWh } from "../metrics/units.js";
import { bootstrapMeanInterval, type BootstrapEstimate, type BootstrapOptions } from "./bootstrap.js";
import type { Estimate } from "./types.js";
import { wilsonInterval } from "./wilson.js";

/** The fields of one row of `data/processed/inferences.csv` the statistics need. */
export interface InferenceSample {
  runId: string;
  device: string;
  backend: string;
  powerMode: string | null;
  model: string;
  quantization: string | null;
  benchmark: string | null;
  latencyS: number;
  /** Gross board energy of the inference (J); null where the power log does not cover it. */
  energyGrossJ: number | null;
  correct: boolean | null;
}

/** Per-run uncertainty from per-inference data: bootstrap intervals of the means, Wilson for accuracy. */
export interface RunUncertainty {
  runId: string;
  device: string;
  backend: string;
  powerMode: string | null;
  model: string;
  quantization: string | null;
  benchmark: string | null;
  inferences: number;
  /** Mean latency per inference (s) with its bootstrap interval. */
  latencyS: BootstrapEstimate;
  /** Inferences with energy; mean energy per inference (Wh) with its bootstrap interval, or null when none. */
  inferencesWithEnergy: number;
  energyPerInferenceWh: BootstrapEstimate | null;
  /** Scored inferences; accuracy (%) with its Wilson interval, or null when none is scored. */
  scored: number;
  accuracyPct: Estimate | null;
}

/**
 * Uncertainty of each run's metrics from its per-inference rows: seeded bootstrap intervals of the
 * mean latency and of the mean energy per inference (over the inferences the power log covers;
 * uncovered ones are left out and counted), and a Wilson interval of the accuracy over the scored
 * inferences. Runs keep their first-seen order.
 */
export function runUncertainty(samples: readonly InferenceSample[], options: BootstrapOptions = {}): RunUncertainty[] {
  const runs = new Map<string, InferenceSample[]>();
  for (const s of samples) {
    if (!runs.has(s.runId)) runs.set(s.runId, []);
    runs.get(s.runId)!.push(s);
  }
  const out: RunUncertainty[] = [];
  for (const [runId, rows] of runs) {
    const first = rows[0]!;
    const energyWh = rows.filter((r) => r.energyGrossJ !== null).map((r) => jToWh(r.energyGrossJ!));
    const scored = rows.filter((r) => r.correct !== null);
    const correct = scored.filter((r) => r.correct).length;
    let acc: Estimate | null = null;
    if (scored.length > 0) {
      const w = wilsonInterval(correct, scored.length);
      acc = { ...w, estimate: w.estimate * 100, lo: w.lo * 100, hi: w.hi * 100 };
    }
    out.push({
      runId,
      device: first.device,
      backend: first.backend,
      powerMode: first.powerMode,
      model: first.model,
      quantization: first.quantization,
      benchmark: first.benchmark,
      inferences: rows.length,
      latencyS: bootstrapMeanInterval(
        rows.map((r) => r.latencyS),
        options,
      ),
      inferencesWithEnergy: energyWh.length,
      energyPerInferenceWh: energyWh.length > 0 ? bootstrapMeanInterval(energyWh, options) : null,
      scored: scored.length,
      accuracyPct: acc,
    });
  }
  return out;
}

const r6 = (x: number | undefined | null): number | string =>
  x === undefined || x === null || !Number.isFinite(x) ? "" : Number(x.toPrecision(6));

/** One row per ingested run with its intervals; `simulated` marks runs a simulator made, not a board. */
export function runUncertaintyCsv(runs: readonly RunUncertainty[], simulated: ReadonlySet<string> = new Set()): string {
  return formatCsv(
    [
      "run_id",
      "simulated",
      "device",
      "backend",
      "power_mode",
      "model",
      "quantization",
      "benchmark",
      "inferences",
      "latency_s",
      "latency_lo_s",
      "latency_hi_s",
      "inferences_with_energy",
      "energy_per_inference_wh",
      "energy_per_inference_lo_wh",
      "energy_per_inference_hi_wh",
      "scored",
      "accuracy_pct",
      "accuracy_lo_pct",
      "accuracy_hi_pct",
    ],
    runs.map((r) => ({
      run_id: r.runId,
      simulated: simulated.has(r.runId),
      device: r.device,
      backend: r.backend,
      power_mode: r.powerMode ?? "",
      model: r.model,
      quantization: r.quantization ?? "",
      benchmark: r.benchmark ?? "",
      inferences: r.inferences,
      latency_s: r6(r.latencyS.estimate),
      latency_lo_s: r6(r.latencyS.lo),
      latency_hi_s: r6(r.latencyS.hi),
      inferences_with_energy: r.inferencesWithEnergy,
      energy_per_inference_wh: r6(r.energyPerInferenceWh?.estimate),
      energy_per_inference_lo_wh: r6(r.energyPerInferenceWh?.lo),
      energy_per_inference_hi_wh: r6(r.energyPerInferenceWh?.hi),
      scored: r.scored,
      accuracy_pct: r6(r.accuracyPct?.estimate),
      accuracy_lo_pct: r6(r.accuracyPct?.lo),
      accuracy_hi_pct: r6(r.accuracyPct?.hi),
    })),
  );
}
