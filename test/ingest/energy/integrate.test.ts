import { describe, expect, it } from "vitest";
import {
  expectedRelError,
  idleBaselineW,
  integrateWindows,
  maxRelError,
  totalEnergy,
  WindowIntegrator,
} from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import type { PowerSample } from "../../../src/ingest/types.js";
import { fixture } from "../power/helpers.js";

const pts = (...xs: [number, number][]): PowerSample[] => xs.map(([tS, powerW], i) => ({ tS, powerW, line: i + 1 }));

describe("integrateWindows", () => {
  it("integrates a 1 Hz tegrastats log inside an inference window to within 0.1 %", async () => {
    // POM_5V_IN = 4.0 + 0.1 t W; over [2.5, 7.25] s: ∫ = 4·4.75 + 0.05·(7.25² − 2.5²) = 21.315625 J
    const log = readPowerLog(fixture("tegrastats-nano.log"), { intervalMs: 1000 });
    const [w] = await integrateWindows(log, [{ id: "q1", startS: 2.5, endS: 7.25 }]);
    expect(Math.abs(w!.energyJ - 21.315625) / 21.315625).toBeLessThan(1e-3);
    expect(w!.energyJ).toBeCloseTo(21.315625, 9); // linear power: the trapezoid is exact
    expect(w!.samples).toBe(5); // t = 3, 4, 5, 6, 7
    expect(w!.coverage).toBe(1);
    expect(w!.warnings).toEqual([]);
  });

  it("interpolates power at window edges that fall between readings", async () => {
    const [w] = await integrateWindows(pts([0, 0], [10, 10]), [{ id: "a", startS: 2, endS: 4 }]);
    expect(w!.energyJ).toBeCloseTo(6, 12); // ∫₂⁴ t dt
    expect(w!.meanPowerW).toBeCloseTo(3, 12);
    expect(w!.samples).toBe(0);
  });

  it("aligns windows with the clock offset (power time + offset = window time)", async () => {
    const samples = pts([100, 1], [101, 1], [102, 5], [103, 5]);
    const [w] = await integrateWindows(samples, [{ id: "a", startS: 2, endS: 3 }], { clockOffsetS: -100 });
    expect(w!.energyJ).toBeCloseTo(5, 12);
  });

  it("reports gross and net energy: net = gross − idle power × covered seconds", async () => {
    const [w] = await integrateWindows(pts([0, 6], [10, 6]), [{ id: "a", startS: 1, endS: 5 }], { idlePowerW: 2.5 });
    expect(w!.energyJ).toBeCloseTo(24, 12);
    expect(w!.netEnergyJ).toBeCloseTo(14, 12);
    const [noIdle] = await integrateWindows(pts([0, 6], [10, 6]), [{ id: "a", startS: 1, endS: 5 }]);
    expect(noIdle!.netEnergyJ).toBeNull();
  });

  it("applies a linear calibration to every reading: true = gain × read + offset", async () => {
    const [w] = await integrateWindows(pts([0, 3], [10, 3]), [{ id: "a", startS: 0, endS: 10 }], {
      calibration: { gain: 1.2, offsetW: 0.5 },
    });
    expect(w!.energyJ).toBeCloseTo((1.2 * 3 + 0.5) * 10, 12);
    await expect(integrateWindows([], [], { calibration: { gain: 0, offsetW: 0 } })).rejects.toThrow(/gain/);
  });

  it("returns results in the order given, for unsorted and overlapping windows", async () => {
    const samples = pts([0, 1], [1, 2], [2, 3], [3, 4]);
    const r = await integrateWindows(samples, [
      { id: "late", startS: 2, endS: 3 },
      { id: "all", startS: 0, endS: 3 },
      { id: "early", startS: 0, endS: 1 },
    ]);
    expect(r.map((w) => [w.id, w.energyJ])).toEqual([
      ["late", 3.5],
      ["all", 7.5],
      ["early", 1.5],
    ]);
  });

  it("integrates RAPL and CodeCarbon spans as constant power, exactly", async () => {
    const spans: PowerSample[] = [
      { tS: 10, powerW: 30, spanS: 10, line: 2 },
      { tS: 15, powerW: 60, spanS: 5, line: 3 },
    ];
    const [w] = await integrateWindows(spans, [{ id: "a", startS: 8, endS: 12 }]);
    expect(w!.energyJ).toBeCloseTo(2 * 30 + 2 * 60, 12);
    const gap: PowerSample[] = [
      { tS: 10, powerW: 30, spanS: 10, line: 2 },
      { tS: 30, powerW: 30, spanS: 10, line: 3 },
    ];
    const [g] = await integrateWindows(gap, [{ id: "a", startS: 0, endS: 30 }]);
    expect(g!.energyJ).toBeCloseTo(600, 12);
    expect(g!.coverage).toBeCloseTo(2 / 3, 12);
    expect(g!.warnings.map((x) => x.code)).toContain("partial-coverage");
  });

  it("warns about a gap longer than 3× the median interval inside a window", async () => {
    const s = pts(...Array.from({ length: 20 }, (_, i): [number, number] => [i < 10 ? i : i + 5, 2]));
    const [w, clear] = await integrateWindows(s, [
      { id: "gap", startS: 8, endS: 16 },
      { id: "clear", startS: 16, endS: 20 },
    ]);
    const gap = w!.warnings.find((x) => x.code === "gap")!;
    expect(gap.gapS).toBe(6);
    expect(gap.atS).toBe(9);
    expect(clear!.warnings).toEqual([]);
  });

  it("warns when a window is shorter than two sampling intervals, with the error to expect", async () => {
    const s = pts(...Array.from({ length: 11 }, (_, i): [number, number] => [i, 5]));
    const [w] = await integrateWindows(s, [{ id: "a", startS: 3.2, endS: 4.7 }]);
    const short = w!.warnings.find((x) => x.code === "short-window")!;
    expect(short.expectedRelError).toBeCloseTo(1 / (Math.sqrt(6) * 1.5), 12);
    expect(short.maxRelError).toBeCloseTo(1 / 1.5, 12);
    expect(short.message).toMatch(/expect ~27 % error .* up to 67 %/);
    expect(w!.energyJ).toBeCloseTo(7.5, 12); // constant power has no such error
  });

  it("counts only the covered part of windows that reach beyond the trace, and says so", async () => {
    const [part, none] = await integrateWindows(pts([0, 2], [10, 2]), [
      { id: "part", startS: 8, endS: 12 },
      { id: "none", startS: 20, endS: 30 },
    ]);
    expect(part!.energyJ).toBeCloseTo(4, 12);
    expect(part!.coverage).toBeCloseTo(0.5, 12);
    expect(part!.meanPowerW).toBeCloseTo(2, 12);
    expect(none!.energyJ).toBe(0);
    expect(none!.meanPowerW).toBeNull();
    expect(none!.warnings.map((x) => x.code)).toEqual(["no-coverage"]);
  });

  it("flags empty windows and refuses samples out of order or without time", async () => {
    const [w] = await integrateWindows(pts([0, 1], [1, 1]), [{ id: "z", startS: 1, endS: 1 }]);
    expect(w!.warnings.map((x) => x.code)).toEqual(["empty-window"]);
    await expect(integrateWindows(pts([1, 1], [0, 1]), [])).rejects.toThrow(/out of time order/);
    await expect(integrateWindows([{ tS: null, powerW: 1, line: 4 }], [])).rejects.toThrow(/no time/);
  });

  it("accepts a sync iterable, an async iterable and the incremental integrator alike", async () => {
    const s = pts([0, 1], [2, 3]);
    async function* gen() {
      yield* s;
    }
    const win = [{ id: "a", startS: 0, endS: 2 }];
    const acc = new WindowIntegrator(win);
    for (const x of s) acc.push(x);
    const viaSet = await integrateWindows(new Set(s), win);
    expect(viaSet).toEqual(await integrateWindows(gen(), win));
    expect(acc.finish()).toEqual(viaSet);
    expect(viaSet[0]!.energyJ).toBe(4);
  });
});

describe("totalEnergy and idleBaselineW", () => {
  it("integrates a whole trace and reports the sampling it saw", async () => {
    const t = await totalEnergy(pts([0, 1], [1, 3], [3, 3]));
    expect(t).toMatchObject({ energyJ: 8, durationS: 3, coveredS: 3, samples: 3, startS: 0, endS: 3, maxIntervalS: 2 });
    expect(t.meanPowerW).toBeCloseTo(8 / 3, 12);
    expect(await totalEnergy([])).toMatchObject({ energyJ: 0, samples: 0, meanPowerW: null, medianIntervalS: null });
  });

  it("refuses readings out of time order, naming the line", async () => {
    await expect(totalEnergy(pts([0, 1], [1, 1], [1, 1]))).rejects.toThrow(/out of time order \(t=1 after t=1\)/);
  });

  it("finds the median sampling interval of irregular sampling and the longest one", async () => {
    const t = await totalEnergy(pts([0, 1], [1, 1], [2, 1], [3, 1], [8, 1], [8.5, 1]));
    expect(t.medianIntervalS).toBe(1);
    expect(t.maxIntervalS).toBe(5);
    expect(t.energyJ).toBe(8.5);
  });

  it("measures idle power as the time-weighted mean over the idle segment", async () => {
    const log = parsePowerText("time_s,power_w\n0,2\n5,2\n6,4\n10,4\n").samples;
    expect(await idleBaselineW(log, { startS: 0, endS: 5 })).toBeCloseTo(2, 12);
    expect(await idleBaselineW(log, { startS: 4, endS: 8 })).toBeCloseTo((2 + 3 + 4 + 4) / 4, 12);
    await expect(idleBaselineW(log, { startS: 8, endS: 20 })).rejects.toThrow(/cover 17 %/);
    await expect(idleBaselineW(log, { startS: 3, endS: 3 })).rejects.toThrow(/empty/);
  });

  it("documents the short-window error estimate as δ/(√6·T), bounded by δ/T", () => {
    expect(expectedRelError(1, 1)).toBeCloseTo(0.408, 3);
    expect(maxRelError(0.1, 2)).toBeCloseTo(0.05, 12);
  });
});

describe("the window sweep's line spans", () => {
  it("records, in the same sweep, the lines inside each window and the two readings bracketing it", async () => {
    const samples = pts([0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1]); // lines 1 … 6
    const [a, b, c, d] = await integrateWindows(samples, [
      { id: "a", startS: 1.5, endS: 3.5 }, // readings at 2 and 3 inside; 1 and 4 bracket it
      { id: "b", startS: 2, endS: 3 }, // edges on readings: the reading before 2 still opens its first trapezoid
      { id: "c", startS: 4.5, endS: 9 }, // runs past the log: its last reading closes it
      { id: "d", startS: 10, endS: 11 }, // after the log: no reading reaches it
    ]);
    expect(a!.lines).toEqual({ lineStart: 2, lineEnd: 5 });
    expect(b!.lines).toEqual({ lineStart: 2, lineEnd: 4 });
    expect(c!.lines).toEqual({ lineStart: 5, lineEnd: 6 });
    expect(d!.lines).toBeNull();
  });

  it("spans a multi-line reading (a PMIC block) by its first and last line", async () => {
    const samples: PowerSample[] = [
      { tS: 0, powerW: 1, line: 1, lineEnd: 4 },
      { tS: 1, powerW: 1, line: 5, lineEnd: 8 },
      { tS: 2, powerW: 1, line: 9, lineEnd: 12 },
    ];
    const [w] = await integrateWindows(samples, [{ id: "a", startS: 0.5, endS: 1.5 }]);
    expect(w!.lines).toEqual({ lineStart: 1, lineEnd: 12 });
  });
});
