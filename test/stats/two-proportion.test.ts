import { describe, expect, it } from "vitest";
import {
  cohensH,
  effectSizeLabel,
  riskDifferenceInterval,
  twoProportionZTest,
} from "../../src/stats/two-proportion.js";
import { wilsonInterval } from "../../src/stats/wilson.js";

describe("two-proportion comparisons", () => {
  it("60/100 vs 40/100: pooled p = 0.5, z = 0.2/√(0.25·0.02) = 2.8284, p = 0.00468", () => {
    const t = twoProportionZTest(60, 100, 40, 100);
    expect(t.difference).toBeCloseTo(0.2, 12);
    expect(t.z).toBeCloseTo(2.828427, 6);
    expect(t.pValue).toBeCloseTo(0.004678, 5);
  });
  it("equal proportions give z = 0, p = 1; all-or-nothing pooled gives p = 1 too", () => {
    expect(twoProportionZTest(30, 100, 30, 100)).toMatchObject({ z: 0, pValue: 1 });
    expect(twoProportionZTest(10, 10, 20, 20).pValue).toBe(1);
  });
  it("Newcombe's interval is built from the two Wilson intervals", () => {
    const a = wilsonInterval(60, 100);
    const b = wilsonInterval(40, 100);
    const r = riskDifferenceInterval(60, 100, 40, 100);
    expect(r.estimate).toBeCloseTo(0.2, 12);
    expect(r.lo).toBeCloseTo(0.2 - Math.hypot(0.6 - a.lo, b.hi - 0.4), 12);
    expect(r.hi).toBeCloseTo(0.2 + Math.hypot(a.hi - 0.6, 0.4 - b.lo), 12);
    // Wilson 60/100 = [0.50200, 0.69062], 40/100 = [0.30938, 0.49800]:
    // lower 0.2 − √2·0.09800 = 0.0614, upper 0.2 + √2·0.09062 = 0.3282 (asymmetric, like the Wilson arms).
    expect(r.lo).toBeCloseTo(0.0614, 3);
    expect(r.hi).toBeCloseTo(0.3281, 3);
  });
  it("Cohen's h: 2·asin√1 − 2·asin√0 = π; 0.5 vs 0.5 = 0; labels by Cohen's cut-offs", () => {
    expect(cohensH(1, 0)).toBeCloseTo(Math.PI, 12);
    expect(cohensH(0.5, 0.5)).toBe(0);
    expect(cohensH(0.6, 0.4)).toBeCloseTo(2 * Math.asin(Math.sqrt(0.6)) - 2 * Math.asin(Math.sqrt(0.4)), 12);
    expect([0.1, 0.3, 0.6, 1].map(effectSizeLabel)).toEqual(["negligible", "small", "medium", "large"]);
  });
  it("rejects impossible counts", () => {
    expect(() => twoProportionZTest(5, 4, 1, 4)).toThrow(/first sample/);
    expect(() => cohensH(1.2, 0.5)).toThrow(/proportions/);
  });
});
