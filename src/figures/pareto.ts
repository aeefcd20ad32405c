/**
 * Pareto frontier of cost–benefit points: the points no other point beats on both counts
 * (lower or equal cost and higher or equal benefit, better on at least one).
 */
export interface CostBenefit {
  /** Lower is better (e.g. energy per inference, Wh). */
  cost: number;
  /** Higher is better (e.g. accuracy, %). */
  benefit: number;
}

/**
 * Indices of the non-dominated points, ordered by increasing cost (and so increasing benefit).
 * Of several identical points the first is kept. Points with a non-finite coordinate are never
 * on the frontier. O(n log n).
 *
 * @example paretoFrontier([{cost: 1, benefit: 50}, {cost: 2, benefit: 40}, {cost: 3, benefit: 60}]) // [0, 2]
 */
export function paretoFrontier(points: readonly CostBenefit[]): number[] {
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
