import { describe, expect, it } from "vitest";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { readFixture, within01pct } from "./helpers.js";

describe("jtop CSV", () => {
  it("integrates `Power TOT` (mW) by its `time` column: 5 → 7 W over 4 s is 24 J", async () => {
    const r = await readFixture("jtop-orin.csv");
    expect(r.format).toBe("jtop-csv");
    expect(r.samples).toHaveLength(9);
    expect(within01pct(r.total.energyJ, 24)).toBe(true);
    expect(r.samples[0]!.tS).toBeCloseTo(Date.UTC(2025, 8, 21, 15, 38, 17) / 1000 + 0.123456, 6);
  });
  it("keeps the `Power <rail>` columns as rails and never adds them to the total", async () => {
    const r = await readFixture("jtop-orin.csv");
    expect(r.samples[0]!.powerW).toBe(5);
    expect(r.samples[0]!.railsW).toEqual({ VDD_CPU_GPU_CV: 2.9, VDD_SOC: 1.4 });
  });
  it("quarantines the cut last row, and reads the quoted uptime with its comma", async () => {
    const r = await readFixture("jtop-orin.csv");
    expect(r.quarantined.map((q) => q.line)).toEqual([11]);
    expect(r.quarantined[0]!.reason).toMatch(/expected 23 fields/);
  });
  it("reads jtop 3's `power cur` total and ignores its running `power avg`", () => {
    const r = parsePowerText(
      "time,uptime,GPU,power cur,power avg\n2021-03-01 10:00:00.000,100,0,4000,3000\n2021-03-01 10:00:01.000,101,0,5000,3100\n",
    );
    expect(r.format).toBe("jtop-csv");
    expect(r.samples.map((s) => s.powerW)).toEqual([4, 5]);
    expect(r.summary.rail).toBe("power cur");
  });
  it("stops when no total power column exists", () => {
    expect(() =>
      parsePowerText("time,CPU1,Power VDD_SOC\n2025-01-01 00:00:00,3,1000\n", { format: "jtop-csv" }),
    ).toThrowError(/no total power column/);
  });
});

describe("FNIRSI data logger", () => {
  it("multiplies voltage_V by current_A: 5.1 V × 0.49 A for 1 s at 100 Hz is 2.499 J", async () => {
    const r = await readFixture("fnirsi-fnb58.txt");
    expect(r.format).toBe("fnirsi");
    expect(r.samples).toHaveLength(101);
    expect(r.samples[0]!.powerW).toBeCloseTo(2.499, 12);
    expect(within01pct(r.total.energyJ, 2.499)).toBe(true);
    expect(r.quarantined.map((q) => q.line)).toEqual([103]);
  });
});

describe("generic USB-meter CSV", () => {
  it("reads time_s,power_w with CRLF: 2 → 4 W over 10 s is 30 J; N/A row and garbage quarantined", async () => {
    const r = await readFixture("usb-meter-w.csv");
    expect(r.format).toBe("usb-csv");
    expect(r.samples).toHaveLength(21);
    expect(within01pct(r.total.energyJ, 30)).toBe(true);
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [10, "power is N/A"],
      [16, "expected 3 fields as in the header, found 1 (truncated or garbled line?)"],
    ]);
  });
  it("reads mV and mA with milliseconds, semicolon-separated: 3 W over 5 s is 15 J", async () => {
    const r = await readFixture("usb-meter-va-ms.csv");
    expect(r.format).toBe("usb-csv");
    expect(r.samples[1]!.tS).toBe(0.25);
    expect(r.samples[0]!.powerW).toBeCloseTo(3, 12);
    expect(within01pct(r.total.energyJ, 15)).toBe(true);
  });
  it("reads ISO time stamps and a bare `W` column; a reading that steps back is quarantined", async () => {
    const r = await readFixture("usb-meter-iso.csv");
    expect(r.samples).toHaveLength(13);
    expect(within01pct(r.total.energyJ, 4.5)).toBe(true);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.reason).toMatch(/time stamp goes back by 0.5 s/);
  });
  it("skips # comments above the header", () => {
    const r = parsePowerText("# UM25C via rd-usb, 10 Hz\ntime_s,power_w\n0,1\n1,1\n");
    expect(r.format).toBe("usb-csv");
    expect(r.samples).toHaveLength(2);
  });
  it("reads a time-of-day column and rolls over at midnight", () => {
    const r = parsePowerText("Time,Power(W)\n23:59:59.500,2\n00:00:00.500,2\n00:00:01.500,2\n");
    expect(r.samples.map((s) => s.tS)).toEqual([86399.5, 86400.5, 86401.5]);
  });
  it("reads 13-digit epoch milliseconds in a unit-less time column", () => {
    const r = parsePowerText("timestamp,power_mw\n1758469097000,1500\n1758469098000,1500\n");
    expect(r.samples.map((s) => s.tS)).toEqual([1758469097, 1758469098]);
    expect(r.samples[0]!.powerW).toBe(1.5);
  });
  it("stops on an unknown unit, and on a power column without one, naming the column", () => {
    expect(() => parsePowerText("time_s,power [kWh]\n0,1\n", { format: "usb-csv", file: "m.csv" })).toThrowError(
      /unknown unit "kWh" in column "power \[kWh\]"/,
    );
    expect(() => parsePowerText("time_s,current_uA,voltage_V\n0,1,5\n", { format: "usb-csv" })).toThrowError(
      /unknown unit "ua"/,
    );
    expect(() => parsePowerText("time_s,power\n0,1\n", { format: "usb-csv" })).toThrowError(
      /power column "power" has no unit/,
    );
    expect(() => parsePowerText("time_s,temp_C\n0,1\n", { format: "usb-csv" })).toThrowError(/no power column/);
  });
  it("parses quoted fields on the string path and the same numbers on the byte path", () => {
    const r = parsePowerText('time_s,power_w,comment\n0,"1.25",x\n1,1.25,"a, b"\n2,1.25,\n');
    expect(r.samples.map((s) => s.powerW)).toEqual([1.25, 1.25, 1.25]);
    expect(r.summary.quarantined).toBe(0);
  });
});

describe("nvidia-smi CSV", () => {
  it("reads `200.00 W` values; an [N/A] row is quarantined: 200 W for 1 s is 200 J", async () => {
    const r = await readFixture("nvidia-smi.csv");
    expect(r.format).toBe("nvidia-smi");
    expect(r.samples).toHaveLength(10);
    expect(within01pct(r.total.energyJ, 200)).toBe(true);
    expect(r.quarantined[0]!.reason).toMatch(/power.draw is \[N\/A\]/);
    expect(r.samples[0]!.tS).toBeCloseTo(Date.UTC(2019, 7, 23, 14, 54, 47) / 1000 + 0.307, 6);
  });
  it("sums the GPUs of one poll (same timestamp) into one reading, keeping each as a rail", async () => {
    const r = await readFixture("nvidia-smi-2gpu.csv");
    expect(r.samples).toHaveLength(11);
    expect(r.samples[0]!.railsW).toEqual({ gpu0: 100, gpu1: 50 });
    expect(r.samples[0]!.lineEnd).toBe(3);
    expect(within01pct(r.total.energyJ, 150)).toBe(true);
  });
  it("accepts --format csv,nounits and [Not Supported]", () => {
    const r = parsePowerText(
      "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10.5\n2024/01/01 00:00:01.000, [Not Supported]\n2024/01/01 00:00:02.000, 10.5\n",
    );
    expect(r.samples.map((s) => s.powerW)).toEqual([10.5, 10.5]);
    expect(r.quarantined).toHaveLength(1);
  });
});

describe("RAPL energy_uj samples", () => {
  it("turns counter deltas into 15 W across a wrap-around at max_energy_range_uj: 15 J in 1 s", async () => {
    const r = await readFixture("rapl-package.log");
    expect(r.format).toBe("rapl");
    expect(r.samples).toHaveLength(10);
    for (const s of r.samples) {
      // epoch seconds in float64 resolve ~0.2 µs, so a 0.1 s interval is known to ~2e-6
      expect(s.powerW).toBeCloseTo(15, 3);
      expect(s.spanS).toBeCloseTo(0.1, 6);
    }
    expect(within01pct(r.total.energyJ, 15)).toBe(true);
    expect(r.total.startS).toBeCloseTo(1695310697.1, 6);
  });
  it("reads the CSV form with a max_energy_range_uj column the same way", async () => {
    const r = await readFixture("rapl-package.csv");
    expect(r.format).toBe("rapl");
    expect(within01pct(r.total.energyJ, 15)).toBe(true);
  });
  it("quarantines a wrap when the range is unknown, instead of counting negative energy", () => {
    const r = parsePowerText("time_s,energy_uj\n0,1000000\n1,3000000\n2,500000\n3,2500000\n");
    expect(r.samples.map((s) => s.powerW)).toEqual([2, 2]);
    expect(r.quarantined[0]!.reason).toMatch(/wrap-around.*max_energy_range_uj is unknown/);
    const known = parsePowerText("time_s,energy_uj\n0,1000000\n1,3000000\n2,500000\n", { maxEnergyRangeUj: 4_000_000 });
    expect(known.samples.map((s) => s.powerW)).toEqual([2, 1.5]);
  });
});

describe("CodeCarbon emissions.csv", () => {
  it("turns each row into an energy segment: 0.001 kWh over 120 s + 0.0005 kWh over 60 s = 5400 J", async () => {
    const r = await readFixture("codecarbon-emissions.csv");
    expect(r.format).toBe("codecarbon");
    expect(r.samples.map((s) => [s.powerW, s.spanS])).toEqual([
      [30, 120],
      [30, 60],
    ]);
    expect(r.samples[0]!.railsW!["cpu"]).toBeCloseTo(22.5, 9);
    expect(r.samples[0]!.railsW!["ram"]).toBeCloseTo(5.25, 9);
    expect(within01pct(r.total.energyJ, 5400)).toBe(true);
    expect(r.total.coveredS).toBeCloseTo(180, 9); // the 2 minutes between the runs are not covered
  });
  it("treats later rows of the same run_id as cumulative totals", () => {
    const head = "timestamp,run_id,duration,energy_consumed\n";
    const r = parsePowerText(head + "2025-01-01T00:01:00,r1,60,0.001\n2025-01-01T00:02:00,r1,120,0.003\n");
    expect(r.samples.map((s) => [s.powerW, s.spanS])).toEqual([
      [60, 60],
      [120, 60],
    ]);
  });
});
