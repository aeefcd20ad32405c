import { normalTwoSidedP } from "./normal.js";
import { wilsonInterval } from "./wilson.js";
import { checkConfidence, DEFAULT_CONFIDENCE, type Estimate } from "./types.js";

export interface TwoProportionTest {
  /** p̂₁ − p̂₂ */
  difference: number;
  /** Pooled z statistic. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

function checkCounts(k: number, n: number, which: string): void {
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`${which}: need whole numbers 0 ≤ successes ≤ trials, trials > 0; got ${k} of ${n}`);
  }
}

/**
 * Two-sided two-proportion z-test with the pooled variance (equivalent to Pearson's χ² test of a
 * 2×2 table without continuity correction): z = (p̂₁ − p̂₂) / √(p̄(1−p̄)(1/n₁ + 1/n₂)).
 *
 * @example twoProportionZTest(60, 100, 40, 100) // z = 2.8284, p = 0.00468
 */
export function twoProportionZTest(k1: number, n1: number, k2: number, n2: number): TwoProportionTest {
  checkCounts(k1, n1, "first sample");
  checkCounts(k2, n2, "second sample");
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const difference = p1 - p2;
  if (se === 0) return { difference, z: 0, pValue: 1 };
  const z = difference / se;
  return { difference, z, pValue: normalTwoSidedP(z) };
}

/**
 * Newcombe's hybrid score interval of a difference of two independent proportions (his method 10),
 * built from the two Wilson intervals; good coverage at any n, unlike the Wald interval.
 * Reference: R. G. Newcombe, Statistics in Medicine 17 (1998) 873–890.
 *
 * @example riskDifferenceInterval(60, 100, 40, 100) // 0.2 in [0.0618, 0.3244]
 */
export function riskDifferenceInterval(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
  confidence = DEFAULT_CONFIDENCE,
): Estimate {
  checkCounts(k1, n1, "first sample");
  checkCounts(k2, n2, "second sample");
  checkConfidence(confidence);
  const a = wilsonInterval(k1, n1, confidence);
  const b = wilsonInterval(k2, n2, confidence);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    lo: d - Math.sqrt((a.estimate - a.lo) ** 2 + (b.hi - b.estimate) ** 2),
    hi: d + Math.sqrt((a.hi - a.estimate) ** 2 + (b.estimate - b.lo) ** 2),
    confidence,
    method: "newcombe",
  };
}

/**
 * Cohen's h, the effect size of a difference of proportions on the arcsine scale:
 * h = 2·asin√p₁ − 2·asin√p₂. Conventional reading: 0.2 small, 0.5 medium, 0.8 large.
 *
 * @example cohensH(0.5, 0.5) // 0
 */
export function cohensH(p1: number, p2: number): number {
  if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
    throw new RangeError(`cohensH requires proportions in [0, 1], got ${p1} and ${p2}`);
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/** Cohen's verbal label of an effect size |h| or |d|. */
export function effectSizeLabel(h: number): "negligible" | "small" | "medium" | "large" {
  const a = Math.abs(h);
  return a < 0.2 ? "negligible" : a < 0.5 ? "small" : a < 0.8 ? "medium" : "large";
}
