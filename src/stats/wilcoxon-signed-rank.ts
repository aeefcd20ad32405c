import { normalTwoSidedP } from "./normal.js";

export interface SignedRankTest {
  /** Pairs with a non-zero difference (zeros are dropped: Wilcoxon's convention). */
  n: number;
  /** Sum of the ranks of positive differences, and of negative ones. */
  wPlus: number;
  wMinus: number;
  /** Two-sided p-value. */
  pValue: number;
  /** "exact" (enumerated null distribution, ties included) or "normal" (large n, tie-corrected). */
  method: "exact" | "normal";
  /**
   * Matched-pairs rank-biserial correlation (W⁺ − W⁻)/(W⁺ + W⁻), in [−1, 1]: the effect size.
   * +1 when every difference is positive.
   */
  rankBiserial: number;
}

/** Average ranks of |d| (ties share the mean of the ranks they span), 1-based. */
function averageRanks(abs: readonly number[]): number[] {
  const order = abs.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(abs.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && order[e + 1]!.v === order[s]!.v) e++;
    const r = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) ranks[order[k]!.i] = r;
    s = e + 1;
  }
  return ranks;
}

/** Largest n whose null distribution is enumerated exactly (by dynamic programming over rank sums). */
export const EXACT_SIGNED_RANK_MAX_N = 200;

/**
 * Wilcoxon signed-rank test of paired differences d (e.g. ln energy on platform A − ln energy on
 * platform B, paired over model × benchmark). Two-sided. For n ≤ 200 the p-value is exact: the null
 * distribution of W⁺ (every sign equally likely) is counted by dynamic programming over the
 * (doubled, so integer) average ranks, so ties are handled exactly too.
 * Reference: F. Wilcoxon, Biometrics Bulletin 1 (1945) 80–83; Kerby (2014) for the rank-biserial r.
 *
 * @example wilcoxonSignedRank([1, 2, 3, 4, 5]) // W⁺ = 15, p = 2/32 = 0.0625, r = 1
 */
export function wilcoxonSignedRank(differences: readonly number[]): SignedRankTest {
  differences.forEach((d, i) => {
    if (!Number.isFinite(d)) throw new RangeError(`difference ${i} is ${d}: drop missing pairs first`);
  });
  const nz = differences.filter((d) => d !== 0);
  const n = nz.length;
  if (n === 0) return { n: 0, wPlus: 0, wMinus: 0, pValue: 1, method: "exact", rankBiserial: 0 };
  const ranks = averageRanks(nz.map(Math.abs));
  let wPlus = 0;
  nz.forEach((d, i) => {
    if (d > 0) wPlus += ranks[i]!;
  });
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  const rankBiserial = (wPlus - wMinus) / total;
  if (n <= EXACT_SIGNED_RANK_MAX_N) {
    // Doubled ranks are integers; count sign assignments by their positive rank sum.
    const r2 = ranks.map((r) => Math.round(2 * r));
    const max = r2.reduce((a, b) => a + b, 0);
    let dist = new Float64Array(max + 1);
    dist[0] = 1;
    for (const r of r2) {
      const next = new Float64Array(max + 1);
      for (let s = 0; s <= max; s++) {
        const c = dist[s]!;
        if (c === 0) continue;
        next[s] = next[s]! + c * 0.5;
        if (s + r <= max) next[s + r] = next[s + r]! + c * 0.5;
      }
      dist = next;
    }
    const w2 = Math.round(2 * wPlus);
    let lower = 0;
    let upper = 0;
    for (let s = 0; s <= max; s++) {
      if (s <= w2) lower += dist[s]!;
      if (s >= w2) upper += dist[s]!;
    }
    return { n, wPlus, wMinus, pValue: Math.min(1, 2 * Math.min(lower, upper)), method: "exact", rankBiserial };
  }
  // Normal approximation with the tie correction of the variance.
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let tie = 0;
  for (const t of counts.values()) tie += t ** 3 - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tie / 48;
  const z = (wPlus - total / 2) / Math.sqrt(variance);
  return { n, wPlus, wMinus, pValue: normalTwoSidedP(z), method: "normal", rankBiserial };
}
