import { describe, expect, it } from "vitest";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { fixtureText, readFixture, within01pct } from "./helpers.js";

describe("tegrastats", () => {
  it("integrates a bare Jetson Nano log (POM_5V_IN 4.0 → 5.0 W over 10 s, 1 Hz) to 45 J within 0.1 %", async () => {
    const r = await readFixture("tegrastats-nano.log", { intervalMs: 1000 });
    expect(r.format).toBe("tegrastats");
    expect(r.samples).toHaveLength(11);
    expect(within01pct(r.total.energyJ, 45)).toBe(true);
    expect(r.summary.timed).toBe(false);
    expect(r.summary.intervalMs).toBe(1000);
  });

  it("takes power from the input rail only, never adding the GPU and CPU rails inside it", async () => {
    const r = await readFixture("tegrastats-nano.log");
    const first = r.samples[0]!;
    expect(first.powerW).toBe(4);
    expect(first.railsW).toEqual({ POM_5V_IN: 4, POM_5V_GPU: 0.3, POM_5V_CPU: 1.5 });
    // the running average (second number, 4680) is ignored
    expect(r.samples.map((s) => s.powerW)).toEqual([4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, 5]);
  });

  it("quarantines foreign text and the cut last line, keeping the 1-s spacing of the readings", async () => {
    const r = await readFixture("tegrastats-nano.log");
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [6, "not a tegrastats reading (no RAM figure and no power rails)"],
      [13, "reading without power rails (truncated line?)"],
    ]);
    expect(r.samples.map((s) => s.tS)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.samples[5]!.line).toBe(7);
  });

  it("spaces readings by --interval-ms when the log has no times", async () => {
    const r = await readFixture("tegrastats-nano.log", { intervalMs: 100 });
    expect(within01pct(r.total.energyJ, 4.5)).toBe(true);
  });

  it("reads a date-prefixed Orin log with CRLF line ends: VDD_IN 7 W for 20 s is 140 J", async () => {
    const r = await readFixture("tegrastats-orin.log");
    expect(r.format).toBe("tegrastats");
    expect(r.summary.timed).toBe(true);
    expect(r.samples).toHaveLength(21);
    expect(r.samples[0]!.tS).toBe(Date.UTC(2025, 8, 21, 15, 38, 17) / 1000);
    expect(r.samples[0]!.railsW).toEqual({ VDD_IN: 7, VDD_CPU_GPU_CV: 2.9, VDD_SOC: 1.5 });
    expect(within01pct(r.total.energyJ, 140)).toBe(true);
  });

  it("quarantines a duplicate time stamp and keeps the first reading", async () => {
    const r = await readFixture("tegrastats-orin.log");
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.line).toBe(12);
    expect(r.quarantined[0]!.reason).toMatch(/duplicate time stamp .* line 11/);
    expect(r.samples.every((s) => s.powerW === 7)).toBe(true);
  });

  it("gives the same energy for the date-prefixed and the bare spelling of the same readings", () => {
    const dated = fixtureText("tegrastats-orin.log")
      .split("\r\n")
      .filter((l) => l !== "");
    dated.splice(11, 1); // drop the duplicate
    const bare = dated.map((l) => l.replace(/^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d /, ""));
    const a = parsePowerText(dated.join("\n"));
    const b = parsePowerText(bare.join("\n"), { intervalMs: 1000 });
    expect(b.summary.timed).toBe(false);
    expect(b.samples.map((s) => s.powerW)).toEqual(a.samples.map((s) => s.powerW));
    expect(b.samples.map((s) => s.tS)).toEqual(a.samples.map((s) => s.tS! - a.samples[0]!.tS!));
  });

  it("reads epoch and ISO time stamps that wrappers put in front of a reading", () => {
    const line = "RAM 3645/7620MB VDD_IN 3000mW/2957mW VDD_SOC 1012mW/1012mW";
    const r = parsePowerText(`1758469097.25 ${line}\n[2025-09-21T15:38:18.250Z] ${line}\n`);
    expect(r.samples.map((s) => s.tS)).toEqual([1758469097.25, 1758469098.25]);
  });

  it("counts a truncated reading as a sampling slot, so later readings keep their times", () => {
    const ok = "RAM 1/2MB POM_5V_IN 1000/1000 POM_5V_GPU 0/0";
    const r = parsePowerText([ok, "RAM 1/2MB POM_5V", ok].join("\n"), { intervalMs: 500 });
    expect(r.samples.map((s) => s.tS)).toEqual([0, 1]);
  });

  it("stops with file, line and hint on a rail unit it does not know", () => {
    expect(() => parsePowerText("RAM 1/2MB VDD_IN 3.1A/3.0A\n", { file: "t.log" })).toThrowError(
      /unknown power unit "A"/,
    );
    try {
      parsePowerText("RAM 1/2MB VDD_IN 3.1A/3.0A\n", { file: "t.log" });
    } catch (e) {
      expect((e as { line: number }).line).toBe(1);
      expect((e as { hint: string }).hint).toMatch(/mW/);
    }
  });

  it("refuses a board without a known input rail or board rule unless the caller names it", () => {
    // Rails of no documented board (an AGX Orin line with its VIN_SYS_5V0 rail missing).
    const odd = "RAM 1/2MB VDD_GPU_SOC 3000mW/3000mW VDD_CPU_CV 400mW/400mW VDDQ_VDD2_1V8AO 700mW/700mW\n";
    expect(() => parsePowerText(odd + odd)).toThrowError(/no total input rail/);
    try {
      parsePowerText(odd, { file: "t.log" });
    } catch (e) {
      expect((e as { field: string }).field).toBe("inputRail");
      expect((e as { hint: string }).hint).toMatch(/sumRails/);
    }
    const r = parsePowerText(odd + odd, { inputRail: "VDD_GPU_SOC" });
    expect(r.samples[0]!.powerW).toBe(3);
  });

  it("takes AGX Orin's total as NVIDIA's documented sum of its module rails, and says so", () => {
    const agx =
      "RAM 1/2MB VDD_GPU_SOC 3000mW/3000mW VDD_CPU_CV 400mW/400mW VIN_SYS_5V0 5200mW/5200mW " +
      "VDDQ_VDD2_1V8AO 700mW/700mW\n";
    const r = parsePowerText(agx + agx);
    // VDDQ_VDD2_1V8AO is fed from VIN_SYS_5V0: never added.
    expect(r.samples[0]!.powerW).toBeCloseTo(8.6, 12);
    expect(r.summary.rail).toBe("VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
    expect(r.summary.totalRule).toMatch(/^sum VDD_GPU_SOC \+ VDD_CPU_CV \+ VIN_SYS_5V0 \(Jetson AGX Orin rule/);
    // The caller's choice wins over the board rule.
    const one = parsePowerText(agx + agx, { inputRail: "VIN_SYS_5V0" });
    expect(one.samples[0]!.powerW).toBe(5.2);
    expect(one.summary.totalRule).toBe("input rail VIN_SYS_5V0 (named by the caller)");
    const two = parsePowerText(agx + agx, { sumRails: ["VDD_GPU_SOC", "VDD_CPU_CV"] });
    expect(two.samples[0]!.powerW).toBeCloseTo(3.4, 12);
    expect(two.summary.totalRule).toBe("sum VDD_GPU_SOC + VDD_CPU_CV (named by the caller)");
    expect(parsePowerText(agx).summary.totalRule).not.toBeNull();
    expect(parsePowerText("RAM 1/2MB VDD_IN 3000mW/3000mW\n").summary.totalRule).toBe("input rail VDD_IN");
  });

  it("quarantines only the reading of a non-input rail with an unknown unit; the total stands (issue 13 #25)", () => {
    const bad = "RAM 1/2MB VDD_IN 3000mW/3000mW VDD_SOC 1.2A/1.2A VDD_CPU_GPU_CV 500mW/500mW\n";
    const ok = "RAM 1/2MB VDD_IN 3100mW/3050mW VDD_SOC 1000mW/1000mW VDD_CPU_GPU_CV 500mW/500mW\n";
    const r = parsePowerText(ok + bad + ok);
    expect(r.samples.map((s) => s.powerW)).toEqual([3.1, 3, 3.1]);
    expect(r.samples[1]!.railsW).toEqual({ VDD_IN: 3, VDD_CPU_GPU_CV: 0.5 });
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/unit "A" on rail VDD_SOC/) });
  });

  it("reads Thor / JetPack 7 lines: VIN input rail, VDD_GPU, no GR3D_FREQ, temperatures with a /limit", () => {
    const thor =
      "01-05-2026 10:00:00 RAM 4300/125772MB (lfb 30x4MB) SWAP 0/2048MB (cached 0MB) CPU [1%@972,2%@972] " +
      "EMC_FREQ 0%@665 cpu@35.1C/105C tj@36.2C/105C soc012@34.9C VDD_GPU 2376mW VDD_CPU_SOC_MSS 4100mW/4100mW " +
      "VIN_SYS_5V0 4200mW/4200mW VIN 17000mW/17000mW\n";
    const r = parsePowerText(thor);
    expect(r.samples[0]!.powerW).toBe(17);
    expect(r.samples[0]!.railsW).toEqual({ VDD_GPU: 2.376, VDD_CPU_SOC_MSS: 4.1, VIN_SYS_5V0: 4.2, VIN: 17 });
    expect(r.summary.rail).toBe("VIN");
  });

  it("sums separate supplies only when the caller names them (AGX boards without an input rail)", () => {
    const xavier = "RAM 1/2MB GPU 0/0 CPU 155/155 SOC 1089/1089 CV 0/0 VDDRQ 155/155 SYS5V 2059/2059\n";
    const r = parsePowerText(xavier + xavier, { inputRail: "GPU+CPU+SOC+CV+VDDRQ+SYS5V", intervalMs: 1000 });
    expect(r.samples[0]!.powerW).toBeCloseTo(3.458, 12);
    expect(r.summary.rail).toBe("GPU+CPU+SOC+CV+VDDRQ+SYS5V");
    expect(() => parsePowerText(xavier, { inputRail: "GPU+CPU+NOPE" })).toThrowError(/no total input rail/);
  });
});
