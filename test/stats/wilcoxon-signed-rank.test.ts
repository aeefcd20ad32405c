import { describe, expect, it } from "vitest";
import { wilcoxonSignedRank } from "../../src/stats/wilcoxon-signed-rank.js";

describe("Wilcoxon signed-rank test", () => {
  it("five positive differences: W⁺ = 15, exact p = 2·(1/32) = 0.0625, rank-biserial 1", () => {
    const r = wilcoxonSignedRank([1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ n: 5, wPlus: 15, wMinus: 0, method: "exact", rankBiserial: 1 });
    expect(r.pValue).toBeCloseTo(0.0625, 12);
  });
  it("[1, −2, 3, 4, 5]: W⁺ = 13; P(W⁺ ≥ 13) = 3/32 (subsets of {1..5} summing ≥ 13) → p = 0.1875", () => {
    const r = wilcoxonSignedRank([1, -2, 3, 4, 5]);
    expect(r.wPlus).toBe(13);
    expect(r.pValue).toBeCloseTo(6 / 32, 12);
    expect(r.rankBiserial).toBeCloseTo((13 - 2) / 15, 12);
  });
  it("ties share average ranks and zeros are dropped", () => {
    // |d| = 1, 1, 2 → ranks 1.5, 1.5, 3; W⁺ = 1.5 + 3 = 4.5; null: 8 sign patterns, W⁺ ∈ {0,1.5,1.5,3,3,4.5,4.5,6}.
    const r = wilcoxonSignedRank([1, -1, 2, 0]);
    expect(r.n).toBe(3);
    expect(r.wPlus).toBe(4.5);
    // P(W⁺ ≥ 4.5) = 3/8, P(W⁺ ≤ 4.5) = 7/8 → p = min(1, 2·3/8) = 0.75
    expect(r.pValue).toBeCloseTo(0.75, 12);
  });
  it("is symmetric in the sign of the differences", () => {
    const d = [0.3, -1.2, 2.2, 0.7, 1.9, 2.5, -0.1];
    expect(wilcoxonSignedRank(d).pValue).toBeCloseTo(wilcoxonSignedRank(d.map((x) => -x)).pValue, 12);
    expect(wilcoxonSignedRank(d).rankBiserial).toBeCloseTo(-wilcoxonSignedRank(d.map((x) => -x)).rankBiserial, 12);
  });
  it("uses the tie-corrected normal approximation beyond 200 pairs", () => {
    const d = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1));
    const r = wilcoxonSignedRank(d);
    expect(r.method).toBe("normal");
    expect(r.pValue).toBeLessThan(1e-6);
  });
  it("all differences zero: nothing to test, p = 1", () => {
    expect(wilcoxonSignedRank([0, 0]).pValue).toBe(1);
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(/difference 1/);
  });
});
