import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { paretoFrontier, type CostBenefit } from "../../src/figures/pareto.js";

const dominates = (a: CostBenefit, b: CostBenefit): boolean =>
  a.cost <= b.cost && a.benefit >= b.benefit && (a.cost < b.cost || a.benefit > b.benefit);

describe("paretoFrontier", () => {
  it("keeps the cheapest point and every point that buys more benefit for more cost", () => {
    const pts = [
      { cost: 1, benefit: 50 },
      { cost: 2, benefit: 40 }, // dominated by the first
      { cost: 3, benefit: 60 },
      { cost: 3, benefit: 55 }, // same cost, less benefit
    ];
    expect(paretoFrontier(pts)).toEqual([0, 2]);
  });

  it("keeps one of several identical points and skips non-finite ones", () => {
    expect(paretoFrontier([{ cost: 1, benefit: 1 }, { cost: 1, benefit: 1 }, { cost: NaN, benefit: 99 }])).toEqual([0]);
    expect(paretoFrontier([])).toEqual([]);
  });

  it("returns exactly the non-dominated points, ordered by cost (property)", () => {
    const point = fc.record({ cost: fc.integer({ min: 0, max: 20 }), benefit: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), (pts) => {
        const front = paretoFrontier(pts);
        for (const i of front) expect(pts.some((q) => dominates(q, pts[i]!))).toBe(false);
        for (let i = 0; i < pts.length; i++) {
          if (front.includes(i)) continue;
          // Off the frontier: dominated, or a duplicate of a frontier point.
          const p = pts[i]!;
          expect(front.some((j) => dominates(pts[j]!, p) || (pts[j]!.cost === p.cost && pts[j]!.benefit === p.benefit))).toBe(true);
        }
        for (let k = 1; k < front.length; k++) {
          expect(pts[front[k]!]!.cost).toBeGreaterThan(pts[front[k - 1]!]!.cost);
          expect(pts[front[k]!]!.benefit).toBeGreaterThan(pts[front[k - 1]!]!.benefit);
        }
      }),
    );
  });
});
