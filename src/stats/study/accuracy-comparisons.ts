import type { Benchmark, ModelId } from "../../domain/ids.js";
import { benjaminiHochbergAdjust, holmAdjust } from "../adjust-p.js";
import { cohensH, effectSizeLabel, riskDifferenceInterval, twoProportionZTest } from "../two-proportion.js";
import type { Estimate } from "../types.js";
import type { StudyObservation } from "./observations.js";

/** One pairwise accuracy comparison of two models on one platform and benchmark. */
export interface AccuracyComparison {
  platform: string;
  benchmark: Benchmark;
  modelA: ModelId;
  modelB: ModelId;
  accuracyPctA: number;
  accuracyPctB: number;
  inferences: number;
  /** Risk difference A − B in percentage points, with Newcombe's 95 % interval. */
  differencePp: Estimate;
  /** Cohen's h (arcsine effect size) and its verbal label. */
  cohensH: number;
  effect: "negligible" | "small" | "medium" | "large";
  z: number;
  pValue: number;
  /** Holm-adjusted p over the whole family of comparisons (all platforms and benchmarks). */
  pHolm: number;
  /** Benjamini–Hochberg-adjusted p over the same family. */
  pBh: number;
  /** Holm-adjusted p ≤ α. */
  significant: boolean;
}

/**
 * Every pair of models on every (platform, benchmark), compared with a two-proportion z-test at
 * the study's n (each model answered the same items, but the per-item answers are not published,
 * so the test treats the two runs as independent samples — conservative for positively correlated
 * answers). The family for the Holm and BH corrections is all comparisons returned.
 */
export function compareModelAccuracies(observations: readonly StudyObservation[], alpha = 0.05): AccuracyComparison[] {
  const groups = new Map<string, StudyObservation[]>();
  for (const o of observations) {
    const k = `${o.platform}|${o.benchmark}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(o);
  }
  const raw: Omit<AccuracyComparison, "pHolm" | "pBh" | "significant">[] = [];
  for (const os of groups.values()) {
    for (let i = 0; i < os.length; i++) {
      for (let j = i + 1; j < os.length; j++) {
        // A is the more accurate of the two, so differences read as positive gaps.
        const [a, b] =
          os[i]!.correct / os[i]!.inferences >= os[j]!.correct / os[j]!.inferences
            ? [os[i]!, os[j]!]
            : [os[j]!, os[i]!];
        raw.push({
          platform: a.platform,
          benchmark: a.benchmark,
          modelA: a.model,
          modelB: b.model,
          ...comparePair(a, b),
        });
      }
    }
  }
  return withCorrections(raw, alpha);
}

/** One model's accuracy on two platforms, compared. */
export type PlatformAccuracyComparison = Omit<AccuracyComparison, "modelA" | "modelB" | "platform"> & {
  model: ModelId;
  platformA: string;
  platformB: string;
};

/**
 * The same model on two platforms should score the same (same weights, same items): differences
 * are run-to-run noise or backend numerics. Compared pairwise per (model, benchmark) with Holm
 * over the family — a sanity check of the measurement, not a finding.
 */
export function compareAccuracyAcrossPlatforms(
  observations: readonly StudyObservation[],
  alpha = 0.05,
): PlatformAccuracyComparison[] {
  const groups = new Map<string, StudyObservation[]>();
  for (const o of observations) {
    const k = `${o.model}|${o.benchmark}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(o);
  }
  const raw = [];
  for (const os of groups.values()) {
    for (let i = 0; i < os.length; i++) {
      for (let j = i + 1; j < os.length; j++) {
        const a = os[i]!;
        const b = os[j]!;
        raw.push({
          model: a.model,
          platformA: a.platform,
          platformB: b.platform,
          benchmark: a.benchmark,
          ...comparePair(a, b),
        });
      }
    }
  }
  return withCorrections(raw, alpha);
}

/** Two runs' accuracies compared: z-test, risk difference (percentage points) with its interval, Cohen's h. */
function comparePair(a: StudyObservation, b: StudyObservation) {
  const t = twoProportionZTest(a.correct, a.inferences, b.correct, b.inferences);
  const rd = riskDifferenceInterval(a.correct, a.inferences, b.correct, b.inferences);
  const h = cohensH(a.correct / a.inferences, b.correct / b.inferences);
  return {
    accuracyPctA: a.accuracyPct,
    accuracyPctB: b.accuracyPct,
    inferences: a.inferences,
    differencePp: { ...rd, estimate: rd.estimate * 100, lo: rd.lo * 100, hi: rd.hi * 100 },
    cohensH: h,
    effect: effectSizeLabel(h),
    z: t.z,
    pValue: t.pValue,
  };
}

/** Holm and Benjamini–Hochberg adjusted p-values over the whole family; significance by Holm. */
function withCorrections<T extends { pValue: number }>(
  raw: readonly T[],
  alpha: number,
): (T & { pHolm: number; pBh: number; significant: boolean })[] {
  const holm = holmAdjust(raw.map((r) => r.pValue));
  const bh = benjaminiHochbergAdjust(raw.map((r) => r.pValue));
  return raw.map((r, i) => ({ ...r, pHolm: holm[i]!, pBh: bh[i]!, significant: holm[i]! <= alpha }));
}
