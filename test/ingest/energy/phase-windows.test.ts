import { describe, expect, it } from "vitest";
import { integrateWindows } from "../../../src/ingest/energy/index.js";
import type { PowerSample } from "../../../src/ingest/types.js";

/** A sawtooth-ish trace sampled every 0.1 s: power varies inside every window. */
const trace: PowerSample[] = Array.from({ length: 121 }, (_, k) => ({
  tS: k / 10,
  powerW: 3 + ((k * 7) % 11) / 2,
  line: k + 1,
}));

describe("phase sub-windows integrated in the same sweep as their inference", () => {
  it("gives a constant power's split exactly: P × prefill time and P × the rest", async () => {
    const flat: PowerSample[] = trace.map((s) => ({ ...s, powerW: 6.5 }));
    const [all, prefill, decode] = await integrateWindows(flat, [
      { id: "0", startS: 2.03, endS: 5.51 },
      { id: "0:prefill", startS: 2.03, endS: 2.78 },
      { id: "0:decode", startS: 2.78, endS: 5.51 },
    ]);
    expect(prefill!.energyJ).toBeCloseTo(6.5 * 0.75, 12);
    expect(decode!.energyJ).toBeCloseTo(6.5 * 2.73, 12);
    expect(prefill!.energyJ + decode!.energyJ).toBeCloseTo(all!.energyJ, 12);
  });

  it("adds up to the inference's energy on a varying power, and leaves the other windows' results unchanged", async () => {
    const windows = [
      { id: "0", startS: 1.05, endS: 3.96 },
      { id: "1", startS: 4.5, endS: 9.02 },
      { id: "span", startS: 1.05, endS: 9.02 },
    ];
    const alone = await integrateWindows(trace, windows);
    const withPhases = await integrateWindows(trace, [
      windows[0]!,
      windows[1]!,
      { id: "0:prefill", startS: 1.05, endS: 1.33 },
      { id: "0:decode", startS: 1.33, endS: 3.96 },
      { id: "1:prefill", startS: 4.5, endS: 6.07 },
      { id: "1:decode", startS: 6.07, endS: 9.02 },
      windows[2]!,
    ]);
    // Same bytes for the windows that were there before (the committed tables depend on it).
    expect([withPhases[0], withPhases[1], withPhases[6]]).toEqual(alone);
    for (const [w, p, d] of [
      [0, 2, 3],
      [1, 4, 5],
    ] as const) {
      const sum = withPhases[p]!.energyJ + withPhases[d]!.energyJ;
      expect(Math.abs(sum - withPhases[w]!.energyJ)).toBeLessThan(1e-12 * withPhases[w]!.energyJ);
    }
  });
});
