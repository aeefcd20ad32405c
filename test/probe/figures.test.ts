import { describe, expect, it } from "vitest";
import { predictionErrorPct, summarizeSweep, type SweepPoint } from "../../src/probe/index.js";
import { sweepParityFigure, sweepRateFigure } from "../../src/figures/specs/sweep.js";

const point = (model: string, quant: "Q4_0" | "Q8_0", mib: number, tps: number, fitted: boolean): SweepPoint => {
  const bytes = mib * 2 ** 20;
  return {
    model,
    quant,
    scale: 0.1,
    parameters: 1e8,
    fileBytes: bytes,
    weightBytesPerToken: bytes,
    bytesPerToken: bytes,
    promptTokens: 100,
    decodeTokensPerS: tps,
    decodeTokensPerSMedian: tps,
    prefillTokensPerS: 100,
    prefillGflopsPerS: 10,
    achievedGBps: (tps * bytes) / 1e9,
    predictedDecodeTokensPerS: 20e9 / bytes,
    errorPct: predictionErrorPct(tps, 20e9 / bytes),
    modelDecodeTokensPerS: fitted ? 15e9 / bytes : null,
    modelErrorPct: fitted ? predictionErrorPct(tps, 15e9 / bytes) : null,
    modelPrefillTokensPerS: null,
    modelNote: null,
    fitted,
    bundle: null,
  };
};

describe("sweep figures", () => {
  const r = summarizeSweep(
    "tinyllama-1.1b",
    [point("a", "Q4_0", 8, 900, false), point("b", "Q4_0", 64, 150, true), point("c", "Q8_0", 128, 80, true)],
    20e9,
    64 * 2 ** 20,
  );

  it("plots each quantization, the probe's and the fitted bandwidth lines and the free fit on log axes", () => {
    const f = sweepRateFigure(r, "test machine");
    const names = f.data.map((d) => (d as { name?: string }).name);
    expect(names).toEqual([
      "Q4_0",
      "Q8_0",
      "B/bytes, probe 20.0 GB/s",
      expect.stringMatching(/^B\/bytes, fitted \d+\.\d GB\/s$/),
      expect.stringMatching(/^free fit: exponent -?\d\.\d\d$/),
    ]);
    expect(f.layout.xaxis?.type).toBe("log");
    // The probe line passes through 20e9 / bytes.
    const probe = f.data[2] as { x: number[]; y: number[] };
    expect(probe.y[0]! * probe.x[0]! * 2 ** 20).toBeCloseTo(20e9, 0);
  });

  it("puts measured against both predictions in the parity plot, model points only where the model ran", () => {
    const f = sweepParityFigure(r, "test machine");
    expect(f.data.map((d) => (d as { name?: string }).name)).toEqual([
      "parity",
      "B/bytes (probed bandwidth)",
      "calibrated model (slm-energy predict)",
    ]);
    expect((f.data[2] as { x: number[] }).x).toHaveLength(2);
  });
});
