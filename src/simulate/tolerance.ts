/**
 * How far an ingested energy may be from the truth, from the sensor model alone. For a window of
 * length L sampled every Δ by a meter that averages over A, reads up to `skew` late, and whose
 * window edges are known to ±u:
 *
 * - Level changes: a step of ΔP inside one sampling interval is misplaced by the interpolation by
 *   at most ΔP·w per edge (w = Δ + A + skew + u + time rounding), less when the whole window is
 *   shorter: ΔP·L. A window has two edges and one inner change (prefill → decode), so
 *   ΔP_range · min(L, 2.5·w). (A pure step costs ΔP·Δ/2 per edge; the bound doubles it to cover a
 *   neighbour's power bleeding in when the gap between inferences is shorter than Δ.)
 * - Noise of sd σ per reading averages down with the trapezoid weights: 4σ·√(L·min(L, Δ)).
 * - Rounding of each reading by ≤ q/2: q/2 · L (a counter: two counts per window).
 * - The slow wander of the true power between samples: 4σ_w · min(L, Δ).
 *
 * So the rule of thumb: a window shorter than a few sampling intervals is dominated by the first
 * term, whose relative size is ΔP_range/P · min(1, 2.5 w / L).
 */
import type { SensorModel } from "./meters/types.js";
import type { TruthRecord } from "./runtimes/types.js";
import type { WorkloadTruth } from "./workload.js";

/** Relative spread of the per-inference power levels the schedule draws (5 sd of 3 % jitter). */
const LEVEL_SPREAD = 1.2;
/** Wander sd as a share of idle power (see DEFAULT_SCHEDULE). */
const WANDER_SHARE = 0.02;

export interface ToleranceParts {
  edgeJ: number;
  noiseJ: number;
  quantJ: number;
  wanderJ: number;
  totalJ: number;
}

export function energyToleranceParts(
  r: Pick<TruthRecord, "latencyS" | "repetitions" | "edgeUncertaintyS">,
  s: SensorModel,
  w: WorkloadTruth,
): ToleranceParts {
  const reps = Math.max(1, r.repetitions);
  const L = r.latencyS * reps;
  const dt = s.intervalS;
  const width = dt + s.averagingS + s.skewS + r.edgeUncertaintyS + s.timeResolutionS;
  const top = w.idlePowerW + (Math.max(w.prefillPowerW, w.decodePowerW) - w.idlePowerW) * LEVEL_SPREAD;
  const range = top - w.idlePowerW;
  const edgeJ = range * Math.min(L, 2.5 * width);
  const noiseJ = 4 * s.noiseW * Math.sqrt(L * Math.min(L, dt));
  const quantJ = s.counter ? s.quantW * dt : (s.quantW / 2) * L;
  const wanderJ = 4 * WANDER_SHARE * w.idlePowerW * Math.min(L, dt);
  const totalJ = (edgeJ + noiseJ + quantJ + wanderJ) / reps;
  return { edgeJ: edgeJ / reps, noiseJ: noiseJ / reps, quantJ: quantJ / reps, wanderJ: wanderJ / reps, totalJ };
}

export function energyToleranceJ(
  r: Pick<TruthRecord, "latencyS" | "repetitions" | "edgeUncertaintyS">,
  s: SensorModel,
  w: WorkloadTruth,
): number {
  return energyToleranceParts(r, s, w).totalJ;
}

/** Error bound of the idle baseline (W) measured over `idleS` seconds of the log. */
export function idleToleranceW(s: SensorModel, idleS: number, w: WorkloadTruth): number {
  const n = Math.max(1, idleS / s.intervalS);
  return (
    (4 * s.noiseW) / Math.sqrt(n) +
    s.quantW / 2 +
    4 * WANDER_SHARE * w.idlePowerW * Math.min(1, s.intervalS / idleS) +
    (s.counter ? s.quantW : 0)
  );
}
