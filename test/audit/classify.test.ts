import { describe, expect, it } from "vitest";
import { classify } from "../../src/audit/classify.js";
import { interval, point } from "../../src/util/interval.js";

describe("classifying a printed number against its recomputation", () => {
  it("consistent when the printed value's rounding interval meets the recomputed one", () => {
    expect(classify("1.33e8", interval(1.3255e8, 1.3262e8)).verdict).toBe("consistent");
    expect(classify("0.25", point(1 / 4.06)).verdict).toBe("consistent"); // 0.2463 prints as 0.25
  });
  it("unit-factor for a J/Wh slip: printed = true ÷ 3.6", () => {
    const c = classify("4.56e8", point(1.6416e9));
    expect(c.verdict).toBe("unit-factor");
    expect(c.explanation).toMatch(/÷3\.6/);
    expect(c.ratio).toBeCloseTo(1 / 3.6, 2);
  });
  it("unit-factor for ×36 and ×2.78 (= 10 / 3.6)", () => {
    expect(classify("3.6e5", point(1e4)).explanation).toMatch(/×36/);
    expect(classify("2.78e4", point(1e4)).explanation).toMatch(/×2\.78/);
    expect(classify("7.2e6", point(2000)).explanation).toMatch(/×3600/);
    expect(classify("5.00", point(5000)).explanation).toMatch(/÷10\^3/);
  });
  it("typo for a misplaced decimal point (×10 is not a unit)", () => {
    const c = classify("7322.72", interval(732.2, 732.6));
    expect(c.verdict).toBe("typo");
    expect(c.explanation).toMatch(/misplaced decimal point/);
  });
  it("typo for transposed digits and for a wrong leading digit, not for a wrong last digit", () => {
    expect(classify("2802.55", interval(2820.5, 2820.6)).explanation).toMatch(/transposed/);
    expect(classify("8.22e9", interval(8.118e9, 8.121e9)).explanation).toMatch(/wrong leading digit/);
    const last = classify("3.27e9", interval(3.281e9, 3.283e9));
    expect(last.verdict).toBe("unexplained");
    expect(last.explanation).toMatch(/small difference/);
  });
  it("only a decimal-point typo when the recomputation rests on an estimate", () => {
    expect(classify("2802.55", interval(2820.5, 2820.6), "", { digitTypos: false }).verdict).toBe("unexplained");
    expect(classify("7322.72", interval(732.2, 732.6), "", { digitTypos: false }).verdict).toBe("typo");
  });
  it("unexplained when nothing fits", () => {
    const c = classify("6.78e9", point(1.006e10));
    expect(c.verdict).toBe("unexplained");
    expect(c.ratio).toBeCloseTo(0.674, 3);
  });
});
