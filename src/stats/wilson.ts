import { zCritical } from "./normal.js";
import { checkConfidence, DEFAULT_CONFIDENCE, type Estimate } from "./types.js";

/**
 * Wilson score interval of a binomial proportion: k successes out of n trials. Unlike the Wald
 * interval it stays inside [0, 1] and keeps its coverage near 0 and 1.
 * Reference: E. B. Wilson, JASA 22 (1927) 209–212.
 *
 * centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
 *
 * @example wilsonInterval(50, 100) // { estimate: 0.5, lo: 0.40383, hi: 0.59617, … }
 */
export function wilsonInterval(successes: number, trials: number, confidence = DEFAULT_CONFIDENCE): Estimate {
  if (!Number.isInteger(trials) || trials <= 0)
    throw new RangeError(`wilsonInterval requires a whole number of trials > 0, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `wilsonInterval requires 0 ≤ successes ≤ trials as whole numbers, got ${successes} of ${trials}`,
    );
  }
  checkConfidence(confidence);
  const z = zCritical(confidence);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const denom = 1 + z2n;
  const centre = (p + z2n / 2) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  // At 0 or n successes the bound is exactly 0 or 1; the formula leaves a rounding residue there.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === trials ? 1 : Math.min(1, centre + half);
  return { estimate: p, lo, hi, confidence, method: "wilson" };
}

/**
 * The whole number of correct answers a printed accuracy stands for: round(pct × n / 100).
 * Throws when no whole number of n prints as that percentage within `halfUlpPct` (then the
 * accuracy or n is wrong, and a Wilson interval would be meaningless).
 *
 * @example correctCount(39.4, 1000) // 394
 */
export function correctCount(accuracyPct: number, trials: number, halfUlpPct = 0.05): number {
  const k = Math.round((accuracyPct * trials) / 100);
  if (Math.abs((k / trials) * 100 - accuracyPct) > halfUlpPct + 1e-9) {
    throw new RangeError(
      `no whole number of correct answers out of ${trials} prints as ${accuracyPct} % (nearest: ${k} = ` +
        `${((k / trials) * 100).toFixed(4)} %)`,
    );
  }
  return k;
}
