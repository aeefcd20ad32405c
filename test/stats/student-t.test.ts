import { describe, expect, it } from "vitest";
import { regularizedBeta, studentTCdf, studentTQuantile, studentTTwoSidedP } from "../../src/stats/student-t.js";

describe("Student's t", () => {
  it("gives the table's two-sided 95 % critical values", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736, 7);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.30265273, 7);
    expect(studentTQuantile(0.975, 8)).toBeCloseTo(2.306004135, 7);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138852, 7);
  });
  it("matches closed forms: df = 1 is Cauchy, df = 2 has cdf ½ + t/(2√(2+t²))", () => {
    for (const t of [-3, -0.5, 0, 1, 7]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(studentTTwoSidedP(4.30265273, 2)).toBeCloseTo(0.05, 8);
  });
  it("regularized beta: I_x(1,1) = x and I_x(a,1) = x^a", () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.6, 3, 1)).toBeCloseTo(0.216, 12);
  });
  it("refuses zero degrees of freedom", () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(/degrees of freedom/);
  });
});
