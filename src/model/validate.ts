import { BENCHMARKS } from "../domain/ids.js";
import { usageError } from "../errors.js";
import { fitStatistical, predictRooflineUncalibrated, predictStatistical } from "./baselines.js";
import { calibrate, predictObservation, skeletonOf } from "./calibration.js";
import { paramsFromVector, type Priors } from "./fit.js";
import { platformOf, type Observation } from "./observations.js";
import type { World } from "./world.js";

/**
 * Cross-validation of the calibrated model and its two baselines. Each fold holds out a
 * (model, platform) pair, a whole model, or a whole platform; everything is refitted on the rest
 * (bootstrap included) and the held-out cells are predicted.
 */
export const SCHEMES = ["loo-pair", "loo-model", "loo-device"] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface ErrorSummary {
  mape_pct: number;
  median_ape_pct: number;
  max_ape_pct: number;
  /** Share of held-out measurements inside the 90% prediction interval; null without intervals. */
  coverage_pct: number | null;
  n: number;
}

export interface MetricSummary extends ErrorSummary {
  by_benchmark: Record<string, ErrorSummary>;
}

export interface ValueCheck {
  measured: number;
  predicted: number;
  low: number | null;
  high: number | null;
  ape_pct: number;
}

export interface ValidationCell {
  fold: string;
  device: string;
  backend: string;
  power_mode: string;
  model: string;
  benchmark: string;
  /** Per inference (s). */
  latency_s: ValueCheck;
  /** Per inference (Wh). */
  energy_wh: ValueCheck;
  baselines: {
    statistical: { latency_s: ValueCheck; energy_wh: ValueCheck };
    roofline_uncalibrated: { latency_s: ValueCheck; energy_wh: ValueCheck };
  };
  transfers: string[];
}

export interface ValidationReport {
  scheme: Scheme;
  latency: MetricSummary;
  energy: MetricSummary;
  baselines: {
    statistical: { latency: MetricSummary; energy: MetricSummary };
    roofline_uncalibrated: { latency: MetricSummary; energy: MetricSummary };
  };
  folds: number;
  bootstrap: number;
  cells: ValidationCell[];
}

export function foldKey(scheme: Scheme, o: Observation): string {
  if (scheme === "loo-pair") return `${platformOf(o)} × ${o.model}`;
  if (scheme === "loo-model") return o.model;
  return `${o.device}/${o.backend}`;
}

const check = (
  measured: number,
  predicted: number,
  low: number | null = null,
  high: number | null = null,
): ValueCheck => ({
  measured,
  predicted,
  low,
  high,
  ape_pct: (Math.abs(predicted - measured) / measured) * 100,
});

function summarize(checks: readonly ValueCheck[]): ErrorSummary {
  const ape = checks.map((c) => c.ape_pct).sort((a, b) => a - b);
  const n = ape.length;
  const withInterval = checks.filter((c) => c.low !== null && c.high !== null);
  return {
    mape_pct: n ? ape.reduce((a, b) => a + b, 0) / n : NaN,
    median_ape_pct:
      n === 0 ? NaN : n % 2 ? (ape[(n - 1) / 2] as number) : ((ape[n / 2 - 1] as number) + (ape[n / 2] as number)) / 2,
    max_ape_pct: ape[n - 1] ?? NaN,
    coverage_pct: withInterval.length
      ? (withInterval.filter((c) => c.measured >= (c.low as number) && c.measured <= (c.high as number)).length /
          withInterval.length) *
        100
      : null,
    n,
  };
}

function summarizeBy(cells: readonly ValidationCell[], pick: (c: ValidationCell) => ValueCheck): MetricSummary {
  const benchmarks = [...new Set(cells.map((c) => c.benchmark))].sort(
    (a, b) => BENCHMARKS.indexOf(a as never) - BENCHMARKS.indexOf(b as never),
  );
  return {
    ...summarize(cells.map(pick)),
    by_benchmark: Object.fromEntries(
      benchmarks.map((b) => [b, summarize(cells.filter((c) => c.benchmark === b).map(pick))]),
    ),
  };
}

export interface ValidateOptions {
  bootstrap?: number;
  seed?: number;
  /** Prior strengths and loss of the fits (default PRIORS). */
  priors?: Readonly<Priors>;
  /** Called after each fold (progress on stderr). */
  onFold?: (done: number, total: number, fold: string) => void;
}

export function validate(
  obs: readonly Observation[],
  world: World,
  scheme: Scheme,
  options: ValidateOptions = {},
): ValidationReport {
  if (!SCHEMES.includes(scheme)) throw usageError(`unknown scheme "${scheme}"`, `use one of ${SCHEMES.join(", ")}`);
  const folds = [...new Set(obs.map((o) => foldKey(scheme, o)))];
  if (folds.length < 2) throw usageError(`scheme ${scheme} needs at least two folds; the data have ${folds.length}`);
  const bootstrap = options.bootstrap ?? 100;
  const cells: ValidationCell[] = [];
  folds.forEach((fold, fi) => {
    const test = obs.filter((o) => foldKey(scheme, o) === fold);
    const train = obs.filter((o) => foldKey(scheme, o) !== fold);
    const cal = calibrate(train, world, {
      bootstrap,
      seed: (options.seed ?? 1) + fi,
      name: `fold ${fold}`,
      ...(options.priors ? { priors: options.priors } : {}),
    });
    const est = paramsFromVector(cal.parameterNames, cal.estimate, skeletonOf(cal));
    const statL = fitStatistical(train, (o) => o.latencyS);
    const statE = fitStatistical(train, (o) => o.energyWh);
    for (const o of test) {
      const p = predictObservation(cal, o, world);
      const sl = predictStatistical(statL, o);
      const se = predictStatistical(statE, o);
      const rf = predictRooflineUncalibrated(o, world, est);
      cells.push({
        fold,
        device: o.device,
        backend: o.backend,
        power_mode: o.powerMode,
        model: o.model,
        benchmark: o.benchmark,
        latency_s: check(o.latencyS, p.latency_s, p.interval.low.latency_s, p.interval.high.latency_s),
        energy_wh: check(o.energyWh, p.energy_wh, p.interval.low.energy_wh, p.interval.high.energy_wh),
        baselines: {
          statistical: {
            latency_s: check(o.latencyS, sl.value, sl.low, sl.high),
            energy_wh: check(o.energyWh, se.value, se.low, se.high),
          },
          roofline_uncalibrated: {
            latency_s: check(o.latencyS, rf.latencyS),
            energy_wh: check(o.energyWh, rf.energyWh),
          },
        },
        transfers: p.transfers.map((t) => `${t.parameter} from ${t.from}: ${t.reason}`).concat(p.notes),
      });
    }
    options.onFold?.(fi + 1, folds.length, fold);
  });
  return {
    scheme,
    latency: summarizeBy(cells, (c) => c.latency_s),
    energy: summarizeBy(cells, (c) => c.energy_wh),
    baselines: {
      statistical: {
        latency: summarizeBy(cells, (c) => c.baselines.statistical.latency_s),
        energy: summarizeBy(cells, (c) => c.baselines.statistical.energy_wh),
      },
      roofline_uncalibrated: {
        latency: summarizeBy(cells, (c) => c.baselines.roofline_uncalibrated.latency_s),
        energy: summarizeBy(cells, (c) => c.baselines.roofline_uncalibrated.energy_wh),
      },
    },
    folds: folds.length,
    bootstrap,
    cells,
  };
}
