import { describe, expect, it } from "vitest";
import {
  accuracyPct,
  aggregateRun,
  averagePowerW,
  edpJs,
  edpPerBillion,
  energyPerInferenceWh,
  jToWh,
  latencyS,
  perWh,
  powerWhPerS,
  throughputPerS,
  totalTimeS,
  whPerBillion,
  whToJ,
} from "../../src/metrics/index.js";

describe("metrics, on hand-computable cases", () => {
  it("accuracy is correct / total × 100", () => {
    expect(accuracyPct(197, 500)).toBeCloseTo(39.4, 12);
    expect(() => accuracyPct(5, 4)).toThrow(/exceeds/);
    expect(() => accuracyPct(1, 0)).toThrow(/positive/);
  });
  it("latency, total time and throughput are consistent", () => {
    expect(latencyS(4060, 1000)).toBeCloseTo(4.06, 12);
    expect(totalTimeS(4.06, 1000)).toBeCloseTo(4060, 9);
    expect(throughputPerS(1000, 4000)).toBe(0.25);
  });
  it("energy per inference, per Wh and power", () => {
    expect(energyPerInferenceWh(1.71, 1000)).toBeCloseTo(0.00171, 15);
    expect(perWh(1000, 8)).toBe(125);
    expect(averagePowerW(3600, 100)).toBe(36);
    expect(powerWhPerS(1, 100)).toBeCloseTo(0.01, 15);
    expect(whToJ(1)).toBe(3600);
    expect(jToWh(7200)).toBe(2);
  });
  it("EDP and per-billion normalisations", () => {
    expect(edpJs(10, 3)).toBe(30);
    expect(whPerBillion(2.2, 1.1)).toBeCloseTo(2, 12);
    expect(edpPerBillion(3e8, 2)).toBe(1.5e8);
    expect(() => whPerBillion(1, 0)).toThrow(/paramsB/);
  });
});

describe("aggregateRun", () => {
  it("turns per-inference records into the study's run metrics", () => {
    const m = aggregateRun([
      { latencyS: 1, energyWh: 0.001, tokens: 10, correct: true },
      { latencyS: 3, energyWh: 0.003, tokens: 30, correct: false },
    ]);
    expect(m.inferences).toBe(2);
    expect(m.totalTimeS).toBe(4);
    expect(m.latencyS).toBe(2);
    expect(m.energyWh).toBeCloseTo(0.004, 15);
    expect(m.edpJs).toBeCloseTo(0.004 * 3600 * 4, 9);
    expect(m.edpPerInferenceJs).toBeCloseTo(0.002 * 3600 * 2, 9);
    expect(m.tokensPerS).toBe(10);
    expect(m.tokensPerWh).toBeCloseTo(10000, 6);
    expect(m.powerW).toBeCloseTo(3.6, 12);
    expect(m.accuracyPct).toBe(50);
  });
  it("leaves a metric null when any record lacks what it needs", () => {
    const m = aggregateRun([
      { latencyS: 1, energyWh: null, tokens: 10, correct: null },
      { latencyS: 1, energyWh: 0.5, tokens: null, correct: null },
    ]);
    expect(m.energyWh).toBeNull();
    expect(m.tokens).toBeNull();
    expect(m.accuracyPct).toBeNull();
    expect(m.scored).toBe(0);
  });
});
