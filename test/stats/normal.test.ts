import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalQuantile, normalTwoSidedP, zCritical } from "../../src/stats/normal.js";

describe("standard normal", () => {
  it("gives the textbook critical values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 11);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(zCritical(0.9)).toBeCloseTo(1.6448536269514722, 12);
  });
  it("inverts the CDF and keeps relative accuracy in the far tail", () => {
    for (const z of [-3, -1, 0, 0.5, 2, 4]) expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 7);
    // P(|Z| > 10) = 1.523970e-23: representable, not rounded to 0.
    expect(normalTwoSidedP(10) / 1.5239706e-23).toBeCloseTo(1, 5);
    expect(erfc(0)).toBeCloseTo(1, 7);
  });
  it("rejects impossible probabilities", () => {
    expect(() => normalQuantile(0)).toThrow(/0 < p < 1/);
    expect(() => zCritical(1.2)).toThrow(/confidence/);
  });
});
