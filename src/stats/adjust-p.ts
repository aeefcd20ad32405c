/**
 * Multiple-comparison corrections: adjusted p-values in the input order, so that "adjusted p ≤ α"
 * is the decision of the procedure at level α.
 */

function checkPValues(ps: readonly number[]): void {
  ps.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} is ${p}: p-values must lie in [0, 1]`);
  });
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate, no assumption on dependence):
 * sorted ascending, p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1) · p₍ⱼ₎).
 * Reference: S. Holm, Scand. J. Statist. 6 (1979) 65–70.
 *
 * @example holmAdjust([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg step-up adjustment (controls the false discovery rate under independence or
 * positive dependence): sorted ascending, p̃₍ᵢ₎ = min over j ≥ i of min(1, m · p₍ⱼ₎ / j).
 * Reference: Benjamini & Hochberg, JRSS B 57 (1995) 289–300.
 *
 * @example benjaminiHochbergAdjust([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, i } = order[rank]!;
    running = Math.min(running, Math.min(1, (m * p) / (rank + 1)));
    out[i] = running;
  }
  return out;
}
