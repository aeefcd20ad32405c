import { describe, expect, it } from "vitest";
import {
  bandwidthBoundTokensPerS,
  fitEffectiveBandwidth,
  fitPowerLaw,
  predictionErrorPct,
  summarizeSweep,
  type SweepPoint,
} from "../../src/probe/index.js";

describe("bandwidth-bound fit", () => {
  it("recovers exponent −1 and the bandwidth from exact bandwidth-bound rates", () => {
    const bw = 12e9; // 12 GB/s
    const pts = [50, 100, 200, 400].map((mb) => ({ bytesPerToken: mb * 1e6, tokensPerS: bw / (mb * 1e6) }));
    const f = fitPowerLaw(pts);
    expect(f.exponent).toBeCloseTo(-1, 10);
    expect(f.coefficient).toBeCloseTo(bw, 0);
    expect(f.rSquared).toBeCloseTo(1, 10);
    expect(fitEffectiveBandwidth(pts).bytesPerS).toBeCloseTo(bw, 0);
  });

  it("shows a flatter exponent when a fixed per-token overhead dominates small models", () => {
    // 2 ms of overhead per token on top of streaming at 10 GB/s.
    const pts = [5, 10, 20, 40].map((mb) => ({ bytesPerToken: mb * 1e6, tokensPerS: 1 / (0.002 + (mb * 1e6) / 10e9) }));
    expect(fitPowerLaw(pts).exponent).toBeGreaterThan(-0.8);
  });

  it("takes the geometric mean of tokens/s × bytes as the effective bandwidth", () => {
    const f = fitEffectiveBandwidth([
      { bytesPerToken: 1e8, tokensPerS: 100 }, // 10 GB/s
      { bytesPerToken: 1e8, tokensPerS: 250 }, // 25 GB/s
    ]);
    expect(f.bytesPerS).toBeCloseTo(Math.sqrt(10e9 * 25e9), 0);
    expect(f.rmsLogError).toBeCloseTo(Math.log(2.5) / 2, 12);
  });

  it("predicts and scores a decode rate", () => {
    expect(bandwidthBoundTokensPerS(20e9, 100e6)).toBe(200);
    expect(predictionErrorPct(150, 200)).toBe(-25);
    expect(() => fitPowerLaw([{ bytesPerToken: 1, tokensPerS: 1 }])).toThrow(/at least 2 points/);
  });

  it("fits only the points beyond the cache when summarizing a sweep", () => {
    const point = (model: string, bytes: number, tps: number, fitted: boolean): SweepPoint => ({
      model,
      quant: "Q8_0",
      scale: 0.1,
      parameters: 1,
      fileBytes: 1,
      weightBytesPerToken: bytes,
      bytesPerToken: bytes,
      promptTokens: 100,
      decodeTokensPerS: tps,
      decodeTokensPerSMedian: tps,
      prefillTokensPerS: 1,
      prefillGflopsPerS: 1,
      achievedGBps: (tps * bytes) / 1e9,
      predictedDecodeTokensPerS: 20e9 / bytes,
      errorPct: predictionErrorPct(tps, 20e9 / bytes),
      modelDecodeTokensPerS: null,
      modelErrorPct: null,
      modelPrefillTokensPerS: null,
      modelNote: null,
      fitted,
      bundle: null,
    });
    const r = summarizeSweep(
      "tinyllama-1.1b",
      [point("small", 5e6, 3000, false), point("a", 1e8, 100, true), point("b", 2e8, 50, true)],
      20e9,
      64e6,
    );
    expect(r.fit.powerLaw!.n).toBe(2);
    expect(r.fit.powerLaw!.exponent).toBeCloseTo(-1, 10);
    expect(r.fit.effectiveBandwidthGBps).toBeCloseTo(10, 10);
    expect(r.prediction.meanAbsErrorPct).toBeCloseTo(50, 10); // measured 10 GB/s vs predicted 20
    expect(r.prediction.meanAbsErrorPctWithFittedBandwidth).toBeCloseTo(0, 10);
  });
});
