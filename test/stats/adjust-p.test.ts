import { describe, expect, it } from "vitest";
import { benjaminiHochbergAdjust, holmAdjust } from "../../src/stats/adjust-p.js";

describe("multiple-comparison corrections", () => {
  it("Holm on [0.01, 0.04, 0.03]: 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04) → [0.03, 0.06, 0.06]", () => {
    const r = holmAdjust([0.01, 0.04, 0.03]);
    expect(r[0]).toBeCloseTo(0.03, 12);
    expect(r[1]).toBeCloseTo(0.06, 12);
    expect(r[2]).toBeCloseTo(0.06, 12);
  });
  it("Holm caps at 1 and keeps the input order", () => {
    expect(holmAdjust([0.5, 0.001, 0.9, 0.02])).toEqual([1, 0.004, 1, 0.06]);
  });
  it("BH on [0.01, 0.04, 0.03]: min over the tail of m·p/rank → [0.03, 0.04, 0.04]", () => {
    const r = benjaminiHochbergAdjust([0.01, 0.04, 0.03]);
    expect(r[0]).toBeCloseTo(0.03, 12);
    expect(r[1]).toBeCloseTo(0.04, 12);
    expect(r[2]).toBeCloseTo(0.04, 12);
  });
  it("BH is never stricter than Holm, and both leave a single p alone", () => {
    const ps = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205];
    const h = holmAdjust(ps);
    const b = benjaminiHochbergAdjust(ps);
    ps.forEach((_, i) => expect(b[i]!).toBeLessThanOrEqual(h[i]! + 1e-15));
    expect(holmAdjust([0.2])).toEqual([0.2]);
    expect(benjaminiHochbergAdjust([0.2])).toEqual([0.2]);
  });
  it("rejects values that are not p-values", () => {
    expect(() => holmAdjust([0.1, 1.5])).toThrow(/p-value 1/);
  });
});
