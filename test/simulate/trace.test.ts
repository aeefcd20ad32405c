import { describe, expect, it } from "vitest";
import { PowerTrace, sumTraces } from "../../src/simulate/trace.js";
import { buildTimeline, DEFAULT_SCHEDULE } from "../../src/simulate/schedule.js";

describe("the true power trace", () => {
  const tr = new PowerTrace(Float64Array.from([0, 1, 2, 4]), Float64Array.from([2, 4, 4, 0]));

  it("integrates a piecewise-linear trace exactly, window ends interpolated", () => {
    expect(tr.energyJ(0, 4)).toBeCloseTo(3 + 4 + 4, 12);
    expect(tr.energyJ(0.5, 1.5)).toBeCloseTo((0.5 * (3 + 4)) / 2 + 0.5 * 4, 12);
    expect(tr.energyJ(3, 3)).toBe(0);
    expect(tr.powerAt(3)).toBe(2);
  });

  it("splits additively: E(a,c) = E(a,b) + E(b,c)", () => {
    for (const [a, b, c] of [
      [0, 0.3, 4],
      [0.7, 1.9, 3.3],
      [1, 2, 4],
    ] as const) {
      expect(tr.energyJ(a, b) + tr.energyJ(b, c)).toBeCloseTo(tr.energyJ(a, c), 12);
    }
  });

  it("sums traces knot by knot, staying exact", () => {
    const s = sumTraces([tr, { timesS: [0, 2.5, 4], powersW: [1, 0, 1] }]);
    expect(s.energyJ(0, 4)).toBeCloseTo(11 + (2.5 / 2 + 1.5 / 2), 12);
  });

  it("refuses windows outside the trace", () => {
    expect(() => tr.energyJ(-1, 1)).toThrow(/outside/);
  });
});

describe("the simulated timeline", () => {
  const jobs = [
    { promptTokens: 10, genTokens: 1, prefillS: 0.5, decodeS: 0.1, prefillPowerW: 8, decodePowerW: 6 },
    { promptTokens: 12, genTokens: 1, prefillS: 0.6, decodeS: 0.1, prefillPowerW: 8, decodePowerW: 6 },
  ];
  const t = buildTimeline(jobs, 3, { ...DEFAULT_SCHEDULE, seed: 1, startS: 1000, wanderSdW: 0 });

  it("gives each inference the energy of its levels, less the 1 ms ramp at its start", () => {
    const j = t.jobs[0]!;
    expect(j.latencyS).toBeCloseTo(0.6, 12);
    // prefill 0.5 s at 8 W, decode 0.1 s at 6 W; ramps of 1 ms from idle (3 W) and 8 → 6 W.
    const exact = 8 * 0.5 + 6 * 0.1 - 0.5 * 0.001 * (8 - 3) + 0.5 * 0.001 * (8 - 6);
    expect(j.energyJ).toBeCloseTo(exact, 10);
    expect(j.energyNetJ).toBeCloseTo(exact - 3 * 0.6, 10);
  });

  it("starts with an idle segment at idle power and keeps jobs apart", () => {
    expect(t.idle.powerW).toBeCloseTo(3, 12);
    expect(t.jobs[1]!.startS).toBeGreaterThan(t.jobs[0]!.endS);
    expect(t.jobs[0]!.startS - t.idle.endS).toBeGreaterThanOrEqual(0.5);
  });
});
