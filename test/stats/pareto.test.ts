import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dominates, paretoIndices, paretoStatus } from "../../src/stats/pareto.js";

describe("Pareto frontier", () => {
  // Five (energy Wh, accuracy %) choices; by hand: B is beaten by A (cheaper, better), D by C.
  const five = [
    { cost: 1, benefit: 40 }, // A: cheapest → frontier
    { cost: 2, benefit: 35 }, // B: dominated by A
    { cost: 3, benefit: 60 }, // C: frontier
    { cost: 4, benefit: 55 }, // D: dominated by C
    { cost: 5, benefit: 70 }, // E: most accurate → frontier
  ];
  it("keeps A, C, E of five points, by increasing cost", () => {
    expect(paretoIndices(five)).toEqual([0, 2, 4]);
  });
  it("of identical points keeps the first; equal cost keeps the better; non-finite never wins", () => {
    expect(
      paretoIndices([
        { cost: 1, benefit: 5 },
        { cost: 1, benefit: 5 },
      ]),
    ).toEqual([0]);
    expect(
      paretoIndices([
        { cost: 1, benefit: 5 },
        { cost: 1, benefit: 6 },
      ]),
    ).toEqual([1]);
    expect(
      paretoIndices([
        { cost: Number.NaN, benefit: 99 },
        { cost: 2, benefit: 1 },
      ]),
    ).toEqual([1]);
  });
  it("dominance needs no worse on both and better on one", () => {
    expect(dominates({ cost: 1, benefit: 40 }, { cost: 2, benefit: 35 })).toBe(true);
    expect(dominates({ cost: 1, benefit: 40 }, { cost: 1, benefit: 40 })).toBe(false);
  });
  it("under uncertainty: surely dominated, surely on, or uncertain", () => {
    const s = paretoStatus([
      { costLo: 1, costHi: 1, benefitLo: 58, benefitHi: 62 }, // cheapest: nobody can beat it on cost
      { costLo: 2, costHi: 2, benefitLo: 40, benefitHi: 50 }, // worse than the first's worst case
      { costLo: 3, costHi: 3, benefitLo: 55, benefitHi: 65 }, // the first might be better or not
    ]);
    expect(s).toEqual(["frontier", "dominated", "uncertain"]);
  });
});

describe("paretoIndices, on random points", () => {
  it("returns exactly the non-dominated points, ordered by cost (property)", () => {
    const point = fc.record({ cost: fc.integer({ min: 0, max: 20 }), benefit: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), (pts) => {
        const front = paretoIndices(pts);
        for (const i of front) expect(pts.some((q) => dominates(q, pts[i]!))).toBe(false);
        for (let i = 0; i < pts.length; i++) {
          if (front.includes(i)) continue;
          // Off the frontier: dominated, or a duplicate of a frontier point.
          const p = pts[i]!;
          expect(
            front.some((j) => dominates(pts[j]!, p) || (pts[j]!.cost === p.cost && pts[j]!.benefit === p.benefit)),
          ).toBe(true);
        }
        for (let k = 1; k < front.length; k++) {
          expect(pts[front[k]!]!.cost).toBeGreaterThan(pts[front[k - 1]!]!.cost);
          expect(pts[front[k]!]!.benefit).toBeGreaterThan(pts[front[k - 1]!]!.benefit);
        }
      }),
    );
  });
});
