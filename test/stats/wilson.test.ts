import { describe, expect, it } from "vitest";
import { correctCount, wilsonInterval } from "../../src/stats/wilson.js";

describe("Wilson score interval", () => {
  it("50 of 100 correct: [0.4038, 0.5962] (by hand: 0.5 ± 1.96/1.0384·√(0.0025 + 0.000096))", () => {
    const w = wilsonInterval(50, 100);
    expect(w.estimate).toBe(0.5);
    const z = 1.959963984540054;
    const half = (z / (1 + (z * z) / 100)) * Math.sqrt(0.25 / 100 + (z * z) / 40000);
    expect(w.lo).toBeCloseTo(0.5 - half, 12);
    expect(w.hi).toBeCloseTo(0.5 + half, 12);
    expect(w.lo).toBeCloseTo(0.40383, 5);
    expect(w.hi).toBeCloseTo(0.59617, 5);
  });
  it("0 of 10 starts at 0 and ends at z²/(n+z²) = 0.2775; stays inside [0, 1]", () => {
    const w = wilsonInterval(0, 10);
    expect(w.lo).toBe(0);
    expect(w.hi).toBeCloseTo(3.841458820694124 / (10 + 3.841458820694124), 12);
    expect(wilsonInterval(10, 10).hi).toBe(1);
  });
  it("narrows as n grows: MMLU's 1000 items give ±3 points at 39.4 %", () => {
    const w = wilsonInterval(394, 1000);
    expect(w.hi - w.lo).toBeCloseTo(0.0605, 3);
  });
  it("rejects counts that are not counts", () => {
    expect(() => wilsonInterval(11, 10)).toThrow(/successes/);
    expect(() => wilsonInterval(1.5, 10)).toThrow(/whole/);
    expect(() => wilsonInterval(0, 0)).toThrow(/trials/);
  });
  it("turns a printed accuracy back into its correct count, and refuses one no count can print", () => {
    expect(correctCount(39.4, 1000)).toBe(394);
    expect(correctCount(68.25, 400, 0.005)).toBe(273);
    expect(() => correctCount(68.4, 400, 0.05)).toThrow(/no whole number/);
  });
});
