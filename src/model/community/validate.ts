import { medianSorted } from "simple-statistics";
import { fitMixedModel, predictMixed, type MixedModelFit } from "../../stats/mixed-model.js";
import { ceilingOf, fitCommunityModel, measuredRate, predictRate, type CommunityModel, type Phase } from "./fit.js";
import type { CommunityCase } from "./case.js";
import { fitPowerModel, predictPower, type PowerCase } from "./power.js";

/**
 * Cross-validation of the runtime-aware model on the community corpus: each fold holds out every
 * row of one board, one source or one runtime, refits on the rest and predicts what it held out.
 * Beside it, two baselines on the same folds:
 *   statistical            ln(rate) = a + b·gpu + c·ln(weight GB) + d·ln(bandwidth) + e·ln(peak)
 *                          (least squares, no physics, no groups)
 *   roofline_uncalibrated  the ceiling itself (efficiency 1: bandwidth roofline for decode, matmul
 *                          peak for prefill) — what a spec sheet promises
 */
export const COMMUNITY_SCHEMES = ["loo-board", "loo-source", "loo-runtime"] as const;
export type CommunityScheme = (typeof COMMUNITY_SCHEMES)[number];
export type Quantity = Phase | "power";

export interface Check {
  id: string;
  fold: string;
  board: string;
  runtime: string;
  quantity: Quantity;
  measured: number;
  predicted: number;
  low: number | null;
  high: number | null;
  apePct: number;
  baselines: { statistical: number | null; rooflineUncalibrated: number | null };
}

export interface GroupError {
  medianApePct: number;
  n: number;
}

export interface QuantitySummary {
  medianApePct: number;
  mapePct: number;
  coveragePct: number | null;
  /** Median of (predicted − measured)/measured: > 0 predicts too high. */
  medianSignedPct: number;
  n: number;
  byBoard: Record<string, GroupError>;
  byRuntime: Record<string, GroupError>;
}

export interface CommunityValidation {
  scheme: CommunityScheme;
  folds: number;
  quantities: Record<Quantity, QuantitySummary | null>;
  baselines: {
    statistical: Record<Quantity, QuantitySummary | null>;
    rooflineUncalibrated: Record<Quantity, QuantitySummary | null>;
  };
  /** Peak-wall readings an average-power prediction exceeds, out of those checked. */
  peakBoundViolations: { n: number; above: number };
  checks: Check[];
}

const foldKey = (s: CommunityScheme, c: { board: string; source: string; runtime: string }): string =>
  s === "loo-board" ? c.board : s === "loo-source" ? c.source : c.runtime;

const ape = (p: number, m: number) => (Math.abs(p - m) / m) * 100;
const median = (xs: number[]) => (xs.length ? medianSorted([...xs].sort((a, b) => a - b)) : NaN);

function groupErrors(checks: readonly Check[], by: (c: Check) => string, value: (c: Check) => number) {
  const out: Record<string, GroupError> = {};
  const keys = [...new Set(checks.map(by))].sort();
  for (const k of keys) {
    const xs = checks.filter((c) => by(c) === k).map(value);
    out[k] = { medianApePct: median(xs), n: xs.length };
  }
  return out;
}

function summarise(checks: readonly Check[], pick: (c: Check) => number | null): QuantitySummary | null {
  const rows = checks.filter((c) => pick(c) !== null);
  if (rows.length === 0) return null;
  const err = (c: Check) => ape(pick(c) as number, c.measured);
  const errs = rows.map(err);
  const withInterval = pick === primary ? rows.filter((c) => c.low !== null && c.high !== null) : [];
  return {
    medianApePct: median(errs),
    mapePct: errs.reduce((a, b) => a + b, 0) / errs.length,
    coveragePct: withInterval.length
      ? (withInterval.filter((c) => c.measured >= (c.low as number) && c.measured <= (c.high as number)).length /
          withInterval.length) *
        100
      : null,
    medianSignedPct: median(rows.map((c) => (((pick(c) as number) - c.measured) / c.measured) * 100)),
    n: rows.length,
    byBoard: groupErrors(rows, (c) => c.board, err),
    byRuntime: groupErrors(rows, (c) => c.runtime, err),
  };
}
const primary = (c: Check): number => c.predicted;

/** The statistical baseline's design: no physics beyond the sizes, no groups. */
function statRow(c: CommunityCase): number[] {
  return [
    1,
    c.backend === "gpu" ? 1 : 0,
    Math.log(c.physics.weightBytes / 1e9),
    Math.log(c.peaks.bandwidthGBps),
    Math.log(c.peaks.matmulGflops),
  ];
}

function fitStatistical(cases: readonly CommunityCase[], phase: Phase): MixedModelFit | null {
  const used = cases.filter((c) => (measuredRate(c, phase) ?? 0) > 0);
  if (used.length < 6) return null;
  return fitMixedModel({
    y: used.map((c) => Math.log(measuredRate(c, phase) as number)),
    fixed: used.map(statRow),
    groups: [],
  });
}

function rateChecks(
  train: readonly CommunityCase[],
  test: readonly CommunityCase[],
  fold: string,
  start: CommunityModel,
): Check[] {
  const model = fitCommunityModel(train, start);
  const out: Check[] = [];
  for (const phase of ["decode", "prefill"] as const) {
    const stat = fitStatistical(train, phase);
    for (const c of test) {
      const m = measuredRate(c, phase);
      if (m === null || m <= 0) continue;
      const p = predictRate(model, c, phase);
      if (p === null) continue;
      out.push({
        id: c.id,
        fold,
        board: c.board,
        runtime: c.runtime,
        quantity: phase,
        measured: m,
        predicted: p.tokensPerS,
        low: p.low,
        high: p.high,
        apePct: ape(p.tokensPerS, m),
        baselines: {
          statistical: stat === null ? null : Math.exp(predictMixed(stat, statRow(c), {}).mean),
          rooflineUncalibrated: ceilingOf(c, phase),
        },
      });
    }
  }
  return out;
}

function powerChecks(train: readonly PowerCase[], test: readonly PowerCase[], fold: string) {
  const fit = fitPowerModel(train);
  const checks: Check[] = [];
  const peaks = { n: 0, above: 0 };
  if (fit === null) return { checks, peaks };
  const pooled = train.filter((c) => c.kind === "avg" && c.powerW !== null);
  const centre = pooled.length
    ? Math.exp(pooled.reduce((s, c) => s + Math.log((c.powerW as number) / c.envelopeW), 0) / pooled.length)
    : null;
  for (const c of test) {
    if (c.powerW === null || c.kind === null) continue;
    const p = predictPower(fit, c);
    if (c.kind === "peak") {
      peaks.n++;
      if (p.powerW > c.powerW) peaks.above++;
      continue;
    }
    checks.push({
      id: c.id,
      fold,
      board: c.board,
      runtime: c.runtime,
      quantity: "power",
      measured: c.powerW,
      predicted: p.powerW,
      low: p.low,
      high: p.high,
      apePct: ape(p.powerW, c.powerW),
      baselines: { statistical: centre === null ? null : centre * c.envelopeW, rooflineUncalibrated: c.envelopeW },
    });
  }
  return { checks, peaks };
}

export interface CommunityValidationOptions {
  onFold?: (done: number, total: number, fold: string) => void;
}

/** What one fold checked: its checks and the peak-wall readings it compared. */
export interface CommunityFoldResult {
  checks: Check[];
  peaks: { n: number; above: number };
}

/** The folds of a scheme, in the order the report lists them. */
export function communityFolds(
  cases: readonly CommunityCase[],
  powerCases: readonly PowerCase[],
  scheme: CommunityScheme,
): string[] {
  return [...new Set([...cases, ...powerCases].map((c) => foldKey(scheme, c)))].sort();
}

/**
 * One fold: refit without it and check what it held out (pure: a worker task). `start` is the whole
 * corpus's fit (`fitCommunityModel(cases)`): every fold starts from its variances — the same
 * answer, fewer EM iterations.
 */
export function communityFold(
  cases: readonly CommunityCase[],
  powerCases: readonly PowerCase[],
  scheme: CommunityScheme,
  fold: string,
  start: CommunityModel,
): CommunityFoldResult {
  const inFold = (c: { board: string; source: string; runtime: string }) => foldKey(scheme, c) === fold;
  const checks: Check[] = [];
  const peaks = { n: 0, above: 0 };
  const test = cases.filter(inFold);
  if (test.length)
    checks.push(
      ...rateChecks(
        cases.filter((c) => !inFold(c)),
        test,
        fold,
        start,
      ),
    );
  const ptest = powerCases.filter(inFold);
  if (ptest.length) {
    const r = powerChecks(
      powerCases.filter((c) => !inFold(c)),
      ptest,
      fold,
    );
    checks.push(...r.checks);
    peaks.n += r.peaks.n;
    peaks.above += r.peaks.above;
  }
  return { checks, peaks };
}

/** The report from every fold's result, the folds in `communityFolds` order. */
export function communityReport(scheme: CommunityScheme, perFold: readonly CommunityFoldResult[]): CommunityValidation {
  const checks = perFold.flatMap((r) => r.checks);
  const peakBoundViolations = { n: 0, above: 0 };
  for (const r of perFold) {
    peakBoundViolations.n += r.peaks.n;
    peakBoundViolations.above += r.peaks.above;
  }
  const per = (pick: (c: Check) => number | null) => {
    const q = (quantity: Quantity) =>
      summarise(
        checks.filter((c) => c.quantity === quantity),
        pick,
      );
    return { decode: q("decode"), prefill: q("prefill"), power: q("power") };
  };
  return {
    scheme,
    folds: perFold.length,
    quantities: per(primary),
    baselines: {
      statistical: per((c) => c.baselines.statistical),
      rooflineUncalibrated: per((c) => c.baselines.rooflineUncalibrated),
    },
    peakBoundViolations,
    checks,
  };
}

export function validateCommunity(
  cases: readonly CommunityCase[],
  powerCases: readonly PowerCase[],
  scheme: CommunityScheme,
  options: CommunityValidationOptions = {},
): CommunityValidation {
  const folds = communityFolds(cases, powerCases, scheme);
  const start = fitCommunityModel(cases);
  const perFold = folds.map((fold, i) => {
    const r = communityFold(cases, powerCases, scheme, fold, start);
    options.onFold?.(i + 1, folds.length, fold);
    return r;
  });
  return communityReport(scheme, perFold);
}

/** The boards a scheme predicts worst for a quantity, with the signed median (too fast or too slow). */
export function worstBoards(
  r: CommunityValidation,
  quantity: Quantity,
  k = 5,
): { board: string; medianApePct: number; medianSignedPct: number; n: number }[] {
  const checks = r.checks.filter((c) => c.quantity === quantity);
  const boards = [...new Set(checks.map((c) => c.board))];
  return boards
    .map((board) => {
      const cs = checks.filter((c) => c.board === board);
      return {
        board,
        medianApePct: median(cs.map((c) => c.apePct)),
        medianSignedPct: median(cs.map((c) => ((c.predicted - c.measured) / c.measured) * 100)),
        n: cs.length,
      };
    })
    .sort((a, b) => b.medianApePct - a.medianApePct)
    .slice(0, k);
}
