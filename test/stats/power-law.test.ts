import { describe, expect, it } from "vitest";
import { fitLogLog } from "../../src/stats/power-law.js";

describe("log-log power-law fits", () => {
  it("recovers an exact power law y = 3·x^0.5 with R² = 1 and zero standard error", () => {
    const x = [1, 2, 4, 8];
    const f = fitLogLog(
      x,
      x.map((v) => 3 * Math.sqrt(v)),
    );
    expect(f.exponent.estimate).toBeCloseTo(0.5, 12);
    expect(f.coefficient[""]).toBeCloseTo(3, 12);
    expect(f.rSquared).toBeCloseTo(1, 12);
    expect(f.exponentSe).toBeCloseTo(0, 12);
    expect(f.df).toBe(2);
  });
  it("slope CI by hand: ln y = 0, 1, 1, 2 at ln x = 0, 1, 2, 3 → b = 0.6, SE = √(0.2/2/5), t₀.₉₇₅(2) = 4.3027", () => {
    const x = [0, 1, 2, 3].map(Math.exp);
    const y = [0, 1, 1, 2].map(Math.exp);
    const f = fitLogLog(x, y);
    // Sxx = 5, Sxy = 3, Syy = 2 → b = 0.6, SSE = 2 − 1.8 = 0.2, R² = 0.9.
    expect(f.exponent.estimate).toBeCloseTo(0.6, 12);
    expect(f.rSquared).toBeCloseTo(0.9, 12);
    expect(f.exponentSe).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(f.exponent.hi - 0.6).toBeCloseTo(4.30265273 * Math.sqrt(0.02), 6);
  });
  it("grouped fit: one coefficient per group, the common exponent exact", () => {
    const x = [1, 2, 4, 1, 2, 4];
    const groups = ["mmlu", "mmlu", "mmlu", "winogrande", "winogrande", "winogrande"];
    const y = x.map((v, i) => (i < 3 ? 10 : 0.5) * v ** 1.3);
    const f = fitLogLog(x, y, { groups });
    expect(f.exponent.estimate).toBeCloseTo(1.3, 12);
    expect(f.coefficient.mmlu).toBeCloseTo(10, 12);
    expect(f.coefficient.winogrande).toBeCloseTo(0.5, 12);
    expect(f.df).toBe(3);
    expect(f.rSquared).toBeCloseTo(1, 12);
  });
  it("two points leave no degrees of freedom: exponent exact, interval undefined", () => {
    const f = fitLogLog([1, 10], [2, 20]);
    expect(f.exponent.estimate).toBeCloseTo(1, 12);
    expect(Number.isNaN(f.exponent.lo)).toBe(true);
  });
  it("refuses non-positive values and constant x", () => {
    expect(() => fitLogLog([1, 2, 0], [1, 2, 3])).toThrow(/x\[2\] is 0/);
    expect(() => fitLogLog([2, 2, 2], [1, 2, 3])).toThrow(/does not vary/);
  });
});
