import { BENCHMARKS } from "../domain/ids.js";
import { usageError } from "../errors.js";
import { medianSorted } from "simple-statistics";
import { fitStatistical, predictRooflineUncalibrated, predictStatistical } from "./baselines.js";
import { calibrate } from "./calibrate.js";
import { skeletonOf } from "./calibration.js";
import { paramsFromVector, type Priors } from "./fit.js";
import { platformOf, type Observation } from "./observations.js";
import { predictObservation } from "./predict-calibrated.js";
import type { World } from "./world.js";

/**
 * Cross-validation of the calibrated model and its two baselines. Each fold holds out a
 * (model, platform) pair, a whole model, or a whole platform; everything is refitted on the rest
 * (bootstrap included) and the held-out cells are predicted. Its `--json` document is
 * io/model-validation.ts.
 */
export const SCHEMES = ["loo-pair", "loo-model", "loo-device"] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface ErrorSummary {
  mapePct: number;
  medianApePct: number;
  maxApePct: number;
  /** Share of held-out measurements inside the 90% prediction interval; null without intervals. */
  coveragePct: number | null;
  n: number;
}

export interface MetricSummary extends ErrorSummary {
  byBenchmark: Record<string, ErrorSummary>;
}

export interface ValueCheck {
  measured: number;
  predicted: number;
  low: number | null;
  high: number | null;
  apePct: number;
}

/** One predictor's checks of a cell. */
export interface CellChecks {
  /** Per inference (s). */
  latencyS: ValueCheck;
  /** Per inference (Wh). */
  energyWh: ValueCheck;
}

export interface ValidationCell extends CellChecks {
  fold: string;
  device: string;
  backend: string;
  powerMode: string;
  model: string;
  benchmark: string;
  baselines: { statistical: CellChecks; rooflineUncalibrated: CellChecks };
  transfers: string[];
}

/** One predictor's summaries. */
export interface PredictorSummary {
  latency: MetricSummary;
  energy: MetricSummary;
}

export interface ValidationReport extends PredictorSummary {
  scheme: Scheme;
  baselines: { statistical: PredictorSummary; rooflineUncalibrated: PredictorSummary };
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
  apePct: (Math.abs(predicted - measured) / measured) * 100,
});

function summarize(checks: readonly ValueCheck[]): ErrorSummary {
  const ape = checks.map((c) => c.apePct).sort((a, b) => a - b);
  const n = ape.length;
  const withInterval = checks.filter((c) => c.low !== null && c.high !== null);
  const inside = withInterval.filter((c) => c.measured >= (c.low as number) && c.measured <= (c.high as number));
  return {
    mapePct: n ? ape.reduce((a, b) => a + b, 0) / n : NaN,
    medianApePct: n === 0 ? NaN : medianSorted(ape),
    maxApePct: ape[n - 1] ?? NaN,
    coveragePct: withInterval.length ? (inside.length / withInterval.length) * 100 : null,
    n,
  };
}

function summarizeBy(cells: readonly ValidationCell[], pick: (c: ValidationCell) => ValueCheck): MetricSummary {
  const benchmarks = [...new Set(cells.map((c) => c.benchmark))].sort(
    (a, b) => BENCHMARKS.indexOf(a as never) - BENCHMARKS.indexOf(b as never),
  );
  return {
    ...summarize(cells.map(pick)),
    byBenchmark: Object.fromEntries(
      benchmarks.map((b) => [b, summarize(cells.filter((c) => c.benchmark === b).map(pick))]),
    ),
  };
}

function summarizePredictor(cells: readonly ValidationCell[], pick: (c: ValidationCell) => CellChecks) {
  return { latency: summarizeBy(cells, (c) => pick(c).latencyS), energy: summarizeBy(cells, (c) => pick(c).energyWh) };
}

export interface ValidateOptions {
  bootstrap?: number;
  seed?: number;
  /** Prior strengths and loss of the fits (default PRIORS). */
  priors?: Readonly<Priors>;
  /** Called after each fold (progress on stderr). */
  onFold?: (done: number, total: number, fold: string) => void;
}

/** Refit without one fold and predict its cells with the model and both baselines (pure: a worker task). */
export function validateFold(
  obs: readonly Observation[],
  world: World,
  scheme: Scheme,
  fold: string,
  options: { bootstrap: number; seed: number; priors?: Readonly<Priors> },
): ValidationCell[] {
  const test = obs.filter((o) => foldKey(scheme, o) === fold);
  const train = obs.filter((o) => foldKey(scheme, o) !== fold);
  const cal = calibrate(train, world, {
    bootstrap: options.bootstrap,
    seed: options.seed,
    name: `fold ${fold}`,
    ...(options.priors ? { priors: options.priors } : {}),
  });
  const est = paramsFromVector(cal.parameters, cal.estimate, skeletonOf(cal));
  const statL = fitStatistical(train, (o) => o.latencyS);
  const statE = fitStatistical(train, (o) => o.energyWh);
  return test.map((o) => {
    const p = predictObservation(cal, o, world);
    const sl = predictStatistical(statL, o);
    const se = predictStatistical(statE, o);
    const rf = predictRooflineUncalibrated(o, world, est);
    return {
      fold,
      device: o.device,
      backend: o.backend,
      powerMode: o.powerMode,
      model: o.model,
      benchmark: o.benchmark,
      latencyS: check(o.latencyS, p.latencyS, p.interval.low.latencyS, p.interval.high.latencyS),
      energyWh: check(o.energyWh, p.energyWh, p.interval.low.energyWh, p.interval.high.energyWh),
      baselines: {
        statistical: {
          latencyS: check(o.latencyS, sl.value, sl.low, sl.high),
          energyWh: check(o.energyWh, se.value, se.low, se.high),
        },
        rooflineUncalibrated: { latencyS: check(o.latencyS, rf.latencyS), energyWh: check(o.energyWh, rf.energyWh) },
      },
      transfers: p.transfers.map((t) => `${t.parameter} from ${t.from}: ${t.reason}`).concat(p.notes),
    };
  });
}

/** The folds of a scheme in the order `validate` runs them, each with its bootstrap seed. */
export function validationFolds(
  obs: readonly Observation[],
  scheme: Scheme,
  seed = 1,
): { fold: string; seed: number }[] {
  if (!SCHEMES.includes(scheme)) throw usageError(`unknown scheme "${scheme}"`, `use one of ${SCHEMES.join(", ")}`);
  const folds = [...new Set(obs.map((o) => foldKey(scheme, o)))];
  if (folds.length < 2) throw usageError(`scheme ${scheme} needs at least two folds; the data have ${folds.length}`);
  return folds.map((fold, fi) => ({ fold, seed: seed + fi }));
}

/** The report from every fold's cells, the folds in `validationFolds` order. */
export function validationReport(
  scheme: Scheme,
  bootstrap: number,
  perFold: readonly (readonly ValidationCell[])[],
): ValidationReport {
  const cells = perFold.flat();
  return {
    scheme,
    ...summarizePredictor(cells, (c) => c),
    baselines: {
      statistical: summarizePredictor(cells, (c) => c.baselines.statistical),
      rooflineUncalibrated: summarizePredictor(cells, (c) => c.baselines.rooflineUncalibrated),
    },
    folds: perFold.length,
    bootstrap,
    cells,
  };
}

export function validate(
  obs: readonly Observation[],
  world: World,
  scheme: Scheme,
  options: ValidateOptions = {},
): ValidationReport {
  const folds = validationFolds(obs, scheme, options.seed ?? 1);
  const bootstrap = options.bootstrap ?? 100;
  const perFold = folds.map(({ fold, seed }, fi) => {
    const cells = validateFold(obs, world, scheme, fold, {
      bootstrap,
      seed,
      ...(options.priors ? { priors: options.priors } : {}),
    });
    options.onFold?.(fi + 1, folds.length, fold);
    return cells;
  });
  return validationReport(scheme, bootstrap, perFold);
}
