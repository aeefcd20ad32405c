import { describe, expect, it } from "vitest";
import { mean } from "simple-statistics";
import {
  bootstrapInterval,
  bootstrapMeanInterval,
  geometricMeanRatio,
  pairedBootstrapInterval,
} from "../../src/stats/bootstrap.js";
import { seededRandom } from "../../src/stats/rng.js";

describe("seeded resampling", () => {
  it("the generator is deterministic per seed and uniform on [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });
});

describe("bootstrap percentile intervals", () => {
  it("a constant sample has a zero-width interval at the constant", () => {
    const r = bootstrapMeanInterval([2.5, 2.5, 2.5, 2.5]);
    expect(r).toMatchObject({ estimate: 2.5, lo: 2.5, hi: 2.5, method: "bootstrap-percentile" });
  });
  it("is reproducible: same seed, same interval; another seed, a different one", () => {
    const xs = Array.from({ length: 50 }, (_, i) => Math.sin(i) + 2);
    expect(bootstrapMeanInterval(xs, { seed: 9 })).toEqual(bootstrapMeanInterval(xs, { seed: 9 }));
    expect(bootstrapMeanInterval(xs, { seed: 9 }).lo).not.toBe(bootstrapMeanInterval(xs, { seed: 10 }).lo);
  });
  it("agrees with the normal-theory interval of a mean, x̄ ± 1.96·s/√n, for a large sample", () => {
    // Latencies 1.00, 1.01, …, 1.99 s: mean 1.495, s = 0.29011, s/√n = 0.029011.
    const latencies = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
    const r = bootstrapMeanInterval(latencies, { resamples: 4000, seed: 3 });
    expect(r.estimate).toBeCloseTo(1.495, 12);
    expect(r.lo).toBeCloseTo(1.495 - 1.96 * 0.029011, 2);
    expect(r.hi).toBeCloseTo(1.495 + 1.96 * 0.029011, 2);
  });
  it("takes any statistic (here the median) and the generic and mean paths agree", () => {
    const xs = [5, 1, 4, 2, 3, 9, 7];
    expect(bootstrapInterval(xs, mean, { seed: 5 })).toEqual(bootstrapMeanInterval(xs, { seed: 5 }));
    const med = bootstrapInterval(xs, (s) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!, { seed: 5 });
    expect(med.estimate).toBe(4);
    expect(med.lo).toBeLessThanOrEqual(4);
    expect(med.hi).toBeGreaterThanOrEqual(4);
  });
  it("refuses a gap in the data instead of skipping it silently", () => {
    expect(() => bootstrapMeanInterval([1, Number.NaN, 2])).toThrow(/values\[1\] is NaN/);
    expect(() => bootstrapMeanInterval([])).toThrow(/at least one/);
  });
  it("paired: a constant ratio of 3 gives exactly 3, whatever the resampling", () => {
    const b = [0.1, 0.5, 2, 7];
    const a = b.map((x) => 3 * x);
    const r = pairedBootstrapInterval(a, b, geometricMeanRatio, { seed: 1 });
    expect(r.estimate).toBeCloseTo(3, 12);
    expect(r.lo).toBeCloseTo(3, 12);
    expect(r.hi).toBeCloseTo(3, 12);
    expect(geometricMeanRatio([2, 8], [1, 2])).toBeCloseTo(Math.sqrt(8), 12);
    expect(() => pairedBootstrapInterval([1], [1, 2], geometricMeanRatio)).toThrow(/equal lengths/);
  });
});
