/** One reading whose time stamp jumps far ahead quarantines itself, not the readings after it (issue 13 #23). */
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

const T0 = 1758469097;

/** 300 readings 1 s apart at 5 W (usb-csv: the fast numeric path), with `edit` applied to the times. */
function csv(edit: (k: number, t: number) => number = (_k, t) => t): string {
  const rows = ["time_s,power_w"];
  for (let k = 0; k < 300; k++) rows.push(`${edit(k, T0 + k)},5`);
  return rows.join("\n") + "\n";
}

/** The same as tegrastats lines with epoch stamps (the object path). */
function tegra(edit: (k: number, t: number) => number): string {
  const rows: string[] = [];
  for (let k = 0; k < 300; k++) rows.push(`${edit(k, T0 + k)} RAM 1/2MB VDD_IN 5000mW/5000mW`);
  return rows.join("\n") + "\n";
}

describe("a time stamp jumping ahead", () => {
  for (const [name, make] of [
    ["usb-csv", csv],
    ["tegrastats", tegra],
  ] as const) {
    it(`${name}: a reading a day ahead is quarantined alone; the 299 others are read`, async () => {
      const r = parsePowerText(make((k, t) => (k === 100 ? t + 86400 : t)));
      expect(r.samples).toHaveLength(299);
      expect(r.quarantined).toHaveLength(1);
      expect(r.quarantined[0]!.line).toBe(name === "usb-csv" ? 102 : 101);
      expect(r.quarantined[0]!.reason).toMatch(/jumps 86401 s ahead of line .*a stray time stamp/);
      expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(5 * 299, 9);
    });
  }

  it("keeps a real gap (the logger paused 2 h) and a last reading far ahead", () => {
    const paused = parsePowerText(csv((k, t) => (k >= 150 ? t + 7200 : t)));
    expect(paused.quarantined).toEqual([]);
    expect(paused.samples).toHaveLength(300);
    const last = parsePowerText(csv((k, t) => (k === 299 ? t + 86400 : t)));
    expect(last.quarantined).toEqual([]);
    expect(last.samples.at(-1)!.tS).toBe(T0 + 299 + 86400);
  });

  it("still quarantines readings that go back before the last good one", () => {
    const r = parsePowerText(csv((k, t) => (k === 100 ? t + 86400 : k === 101 ? T0 + 50 : t)));
    expect(r.quarantined.map((q) => q.line)).toEqual([103, 102]);
    expect(r.samples).toHaveLength(298);
  });
});
