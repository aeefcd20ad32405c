import type { Benchmark } from "../../domain/ids.js";
import { fitLogLog, type LogLogFit } from "../power-law.js";
import type { ModelScale } from "./model-scales.js";
import type { StudyObservation } from "./observations.js";

export const SCALE_PREDICTORS = ["nominalB", "parametersB", "bytesPerToken"] as const;
export type ScalePredictor = (typeof SCALE_PREDICTORS)[number];
export const SCALE_RESPONSES = ["energyPerInferenceWh", "latencyS"] as const;
export type ScaleResponse = (typeof SCALE_RESPONSES)[number];

/** A log-log fit of a per-inference cost against a model-size measure on one platform. */
export interface ScalingFit {
  platform: string;
  /** null for the pooled fit over all benchmarks (one intercept per benchmark, common exponent). */
  benchmark: Benchmark | null;
  predictor: ScalePredictor;
  response: ScaleResponse;
  fit: LogLogFit;
  /** The points fitted: model, predictor value, response value. */
  points: { model: string; benchmark: Benchmark; x: number; y: number }[];
}

/**
 * Scaling of energy per inference and latency with model size, per platform: for each predictor
 * (nominal size, real parameter count, decode bytes per token) and response, one pooled fit over
 * the benchmarks (benchmark intercepts, common exponent; 12 points, 8 degrees of freedom) and one
 * fit per benchmark (4 points, 2 degrees of freedom: wide intervals, by necessity).
 */
export function scalingFits(observations: readonly StudyObservation[], scales: readonly ModelScale[]): ScalingFit[] {
  const scaleOf = new Map(scales.map((s) => [s.model, s]));
  const platforms = [...new Set(observations.map((o) => o.platform))];
  const benchmarks = [...new Set(observations.map((o) => o.benchmark))];
  const out: ScalingFit[] = [];
  for (const platform of platforms) {
    const os = observations.filter((o) => o.platform === platform && scaleOf.has(o.model));
    for (const response of SCALE_RESPONSES) {
      for (const predictor of SCALE_PREDICTORS) {
        const pts = os.map((o) => ({
          model: o.model,
          benchmark: o.benchmark,
          x: scaleOf.get(o.model)![predictor],
          y: o[response],
        }));
        const subsets: [Benchmark | null, typeof pts][] = [
          [null, pts],
          ...benchmarks.map((b): [Benchmark, typeof pts] => [b, pts.filter((p) => p.benchmark === b)]),
        ];
        for (const [benchmark, ps] of subsets) {
          const groups = benchmark === null ? ps.map((p) => p.benchmark) : undefined;
          if (ps.length < (benchmark === null ? new Set(groups).size + 2 : 3)) continue;
          const fit = fitLogLog(
            ps.map((p) => p.x),
            ps.map((p) => p.y),
            groups ? { groups } : {},
          );
          out.push({ platform, benchmark, predictor, response, fit, points: ps });
        }
      }
    }
  }
  return out;
}
