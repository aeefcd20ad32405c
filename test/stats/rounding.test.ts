import { describe, expect, it } from "vitest";
import {
  accuracyPerWhRange,
  edpPerInferenceRangeJs,
  energyPerInferenceRangeWh,
  printedInterval,
  ratioRange,
  relativeHalfWidth,
} from "../../src/stats/rounding.js";

describe("propagation of the published rounding", () => {
  it('"9.07" Wh stands for [9.065, 9.075]; over 1000 MMLU items that is [9.065, 9.075] mWh per inference', () => {
    const e = printedInterval("9.07");
    expect(e.lo).toBeCloseTo(9.065, 12);
    expect(e.hi).toBeCloseTo(9.075, 12);
    const per = energyPerInferenceRangeWh(e, 1000);
    expect(per.lo).toBeCloseTo(0.009065, 14);
    expect(per.hi).toBeCloseTo(0.009075, 14);
    expect(() => energyPerInferenceRangeWh(e, 0)).toThrow(/inferences/);
  });
  it("a one-digit latency is coarse: 0.05 s is ±10 %, so a ratio to it is known to ±10 %", () => {
    const l = printedInterval("0.05");
    expect(relativeHalfWidth(l)).toBeCloseTo(0.1, 12);
    const r = ratioRange(printedInterval("4.96"), l);
    // [4.955/0.055, 4.965/0.045] = [90.09, 110.33]
    expect(r.lo).toBeCloseTo(4.955 / 0.055, 10);
    expect(r.hi).toBeCloseTo(4.965 / 0.045, 10);
  });
  it("EDP of one inference: energy [Wh] × 3600 × latency, bounds multiply", () => {
    const edp = edpPerInferenceRangeJs({ lo: 0.001, hi: 0.002 }, { lo: 2, hi: 3 });
    expect(edp.lo).toBeCloseTo(7.2, 12);
    expect(edp.hi).toBeCloseTo(21.6, 12);
  });
  it("accuracy per Wh: the low end divides the low accuracy by the high energy", () => {
    const r = accuracyPerWhRange({ lo: 0.38, hi: 0.42 }, { lo: 0.01, hi: 0.02 });
    expect(r.lo).toBeCloseTo(19, 12);
    expect(r.hi).toBeCloseTo(42, 12);
  });
  it("scientific and grouped printing: 1.33e8 is ±0.005e8, 175,690 is ±0.5", () => {
    const a = printedInterval("1.33e8");
    expect(a.hi - a.lo).toBeCloseTo(1e6, 3);
    const b = printedInterval("175,690");
    expect(b.hi - b.lo).toBeCloseTo(1, 9);
  });
});
