import { describe, expect, it } from "vitest";
import { summarizePowerLog } from "../../../src/pipeline/ingest/summarize.js";
import { fixture } from "../power/helpers.js";

// Every fixture with its hand-computed energy (see test/fixtures/power/README.md) and total rail.
const CASES: [string, number, string, number][] = [
  ["tegrastats-nano.log", 45, "POM_5V_IN", 11],
  ["tegrastats-orin.log", 140, "VDD_IN", 21],
  ["jtop-orin.csv", 24, "Power TOT", 9],
  ["pmic-rpi5.log", 2 * 3.50704987518584, "PMIC rails, Σ V×I", 4],
  ["pmic-rpi5-bare.log", 2 * 3.50704987518584, "PMIC rails, Σ V×I", 3],
  ["fnirsi-fnb58.txt", 2.499, "voltage_V × current_A", 101],
  ["usb-meter-w.csv", 30, "power_w", 21],
  ["usb-meter-va-ms.csv", 15, "Voltage (mV) × Current (mA)", 21],
  ["usb-meter-iso.csv", 4.5, "W", 13],
  ["nvidia-smi.csv", 200, "power.draw [W]", 10],
  ["nvidia-smi-2gpu.csv", 150, "power.draw [W]", 11],
  ["rapl-package.log", 15, "energy_uj counter", 10],
  ["rapl-package.csv", 15, "energy_uj counter", 10],
  ["codecarbon-emissions.csv", 5400, "energy_consumed", 2],
];

describe("summarizePowerLog (what inspect prints)", () => {
  it.each(CASES)("%s: energy within 0.1 %% of %d J, from the total rail", async (name, energyJ, rail, samples) => {
    const r = await summarizePowerLog(fixture(name));
    expect(Math.abs(r.energyJ - energyJ)).toBeLessThanOrEqual(1e-3 * energyJ);
    expect(r.rail).toBe(rail);
    expect(r.samples).toBe(samples);
    expect(r.kind).toBe("power");
  });

  it("spaces a log without times by intervalMs (default 1000 ms) and says so", async () => {
    const r = await summarizePowerLog(fixture("pmic-rpi5-bare.log"));
    expect(r).toMatchObject({ timed: false, intervalMs: 1000, durationS: 2, startS: 0, endS: 2 });
    const fast = await summarizePowerLog(fixture("pmic-rpi5-bare.log"), { intervalMs: 500 });
    expect(fast.durationS).toBe(1);
    expect(fast.energyJ).toBeCloseTo(3.50704987518584, 12);
  });

  it("applies a PMIC calibration (true = gain × read + offset) to the whole log", async () => {
    const r = await summarizePowerLog(fixture("pmic-rpi5-bare.log"), {
      intervalMs: 500,
      calibration: { gain: 1.25, offsetW: 0.8 },
    });
    expect(r.energyJ).toBeCloseTo(1.25 * 3.50704987518584 + 0.8, 12);
  });
});
