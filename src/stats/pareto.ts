/**
 * Pareto frontiers of trade-offs where one coordinate is a cost (lower is better: energy per
 * inference, latency) and the other a benefit (higher is better: accuracy).
 */

export interface TradeOffPoint {
  cost: number;
  benefit: number;
}

/** Does a dominate b: no worse on both counts and strictly better on one? */
export function dominates(a: TradeOffPoint, b: TradeOffPoint): boolean {
  return a.cost <= b.cost && a.benefit >= b.benefit && (a.cost < b.cost || a.benefit > b.benefit);
}

/**
 * Indices of the non-dominated points, by increasing cost (hence increasing benefit). Of identical
 * points the first is kept; points with a non-finite coordinate are never on the frontier.
 * O(n log n).
 *
 * @example paretoIndices([{cost: 1, benefit: 50}, {cost: 2, benefit: 40}, {cost: 3, benefit: 60}]) // [0, 2]
 */
export function paretoIndices(points: readonly TradeOffPoint[]): number[] {
  const order = points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => Number.isFinite(p.cost) && Number.isFinite(p.benefit))
    .sort((a, b) => a.cost - b.cost || b.benefit - a.benefit || a.i - b.i);
  const out: number[] = [];
  let best = -Infinity;
  for (const p of order) {
    if (p.benefit > best) {
      out.push(p.i);
      best = p.benefit;
    }
  }
  return out;
}

/** A trade-off point known only up to intervals (rounding of the cost, a confidence interval of the benefit). */
export interface UncertainTradeOffPoint {
  costLo: number;
  costHi: number;
  benefitLo: number;
  benefitHi: number;
}

/**
 * Frontier membership under uncertainty:
 * - `dominated`: some other point is surely better (its worst case beats this one's best case),
 * - `frontier`: no other point can possibly dominate it (their best case cannot beat its worst case),
 * - `uncertain`: on or off the frontier depending on where the true values lie.
 *
 * @example
 * paretoStatus([
 *   { costLo: 1, costHi: 1, benefitLo: 60, benefitHi: 60 },
 *   { costLo: 2, costHi: 2, benefitLo: 40, benefitHi: 50 },
 * ]) // ["frontier", "dominated"]
 */
export function paretoStatus(points: readonly UncertainTradeOffPoint[]): ("frontier" | "uncertain" | "dominated")[] {
  return points.map((p, i) => {
    let possiblyDominated = false;
    for (let j = 0; j < points.length; j++) {
      if (j === i) continue;
      const q = points[j]!;
      // q surely dominates p: q's worst (highest cost, lowest benefit) beats p's best.
      if (dominates({ cost: q.costHi, benefit: q.benefitLo }, { cost: p.costLo, benefit: p.benefitHi }))
        return "dominated";
      // q possibly dominates p: q's best beats p's worst.
      if (dominates({ cost: q.costLo, benefit: q.benefitHi }, { cost: p.costHi, benefit: p.benefitLo }))
        possiblyDominated = true;
    }
    return possiblyDominated ? "uncertain" : "frontier";
  });
}
