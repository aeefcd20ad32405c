import { describe, expect, it } from "vitest";
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
    expect(paretoIndices([{ cost: 1, benefit: 5 }, { cost: 1, benefit: 5 }])).toEqual([0]);
    expect(paretoIndices([{ cost: 1, benefit: 5 }, { cost: 1, benefit: 6 }])).toEqual([1]);
    expect(paretoIndices([{ cost: Number.NaN, benefit: 99 }, { cost: 2, benefit: 1 }])).toEqual([1]);
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
