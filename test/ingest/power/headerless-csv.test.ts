/**
 * Power CSVs without a header (`--columns time_s,power_w`, manifest `power_columns`), or with rail
 * columns and no time (a tegrastats rail export), and a jtop-based logger's CSV (issue 13).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";
import { copyBundle, editManifest, ORIN } from "../bundle/helpers.js";

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

describe("power CSVs without a header", () => {
  it("reads `seconds,watts` lines with the caller's columns, the first line a reading", async () => {
    const r = parsePowerText("0.0,4.0\n0.5,5.0\n1.0,6.0\n", { columns: ["time_s", "power_w"] });
    expect(r.format).toBe("usb-csv");
    expect(r.samples.map((s) => [s.tS, s.powerW])).toEqual([
      [0, 4],
      [0.5, 5],
      [1, 6],
    ]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(5, 12);
  });

  it("spaces time-less readings by the interval, skips a `-` column, reads mW", async () => {
    const r = parsePowerText("a,2000\nb,4000\nc,6000\n", { columns: ["-", "power_mw"], intervalMs: 250 });
    expect(r.samples.map((s) => [s.tS, s.powerW])).toEqual([
      [0, 2],
      [0.25, 4],
      [0.5, 6],
    ]);
  });

  it("refuses column names that do not match the first line, naming the option", () => {
    let err: unknown;
    try {
      parsePowerText("0.0,4.0,1\n", { columns: ["time_s", "power_w"], file: "p.csv" });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ field: "columns", line: 1, message: expect.stringMatching(/3 field\(s\) but 2/) });
  });

  it("takes the input rail of a rail export without time as the total (POM_5V_IN, mW)", async () => {
    const text = "POM_5V_IN (mW),POM_5V_GPU (mW),POM_5V_CPU (mW)\n1000,0,100\n3000,500,900\n";
    const r = parsePowerText(text);
    expect(r.format).toBe("usb-csv");
    expect(r.summary.rail).toBe("POM_5V_IN (mW)");
    expect(r.samples.map((s) => [s.tS, s.powerW])).toEqual([
      [0, 1],
      [1, 3],
    ]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(2, 12);
  });
});

describe("a jtop-based logger's CSV", () => {
  it("takes System_Power_Inst (mW) as the total and Timestamp as the time, with `, ` separators", async () => {
    const text =
      "Timestamp, RAM_Usage, CPU_Power_Inst, GPU_Power_Inst, System_Power_Inst, Extra Power\n" +
      "2025-05-01 17:06:56, 11283/62841MB, 0, 2800, 4000, \n" +
      "2025-05-01 17:06:58, 11283/62841MB, 10, 2800, 5000, \n";
    const r = parsePowerText(text);
    expect(r.format).toBe("jtop-csv");
    expect(r.samples[1]!.railsW).toEqual({ CPU: 0.01, GPU: 2.8 });
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(9, 12);
  });
});

describe("--columns and power_columns", () => {
  it("inspect --columns reads a headerless CSV that detection cannot recognise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-cols-"));
    const f = join(dir, "watts.csv");
    writeFileSync(f, "0,10\n1,12\n2,14\n");
    const r = await cli("inspect", f, "--columns", "time_s,power_w", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ format: "usb-csv", samples: 3, energy_j: 24, rail: "power_w" });
    const bad = await cli("inspect", f, "--columns", "power_w");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/on the command line: --columns/);
  });

  it("the manifest's power_columns read a bundle's headerless power log; refused with another meter", async () => {
    const dir = copyBundle(ORIN);
    const t0 = 1763712000;
    const rows = Array.from({ length: 300 }, (_, k) => `${(t0 + k * 0.1).toFixed(1)},5.0`).join("\n");
    writeFileSync(join(dir, "watts.csv"), rows + "\n");
    editManifest(dir, (m) => {
      m.meter = null;
      m.power_columns = ["time_s", "power_w"];
      m.clock_offset_s = 0;
      (m.files as Record<string, unknown>).power = ["watts.csv"];
    });
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", dir, "--out", out, "--json");
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out).runs[0];
    expect(run.files.find((f: { role: string }) => f.role === "power").format).toBe("usb-csv");
    editManifest(dir, (m) => (m.meter = "tegrastats"));
    const bad = await cli("ingest", dir, "--out", out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/field "power_columns": power_columns apply to usb-csv logs, not tegrastats/);
  });
});

describe("a headerless CSV without --columns", () => {
  it("is not guessed, and the closest format says to name the columns", async () => {
    const { rankPowerFormats, detectPowerFormat } = await import("../../../src/ingest/power/detect.js");
    const head = "0.0,4.52\n0.5,4.61\n1.0,4.70\n";
    expect(detectPowerFormat(head)).toBeNull();
    const usb = rankPowerFormats(head).find((g) => g.format === "usb-csv")!;
    expect(usb.reason).toMatch(/numbers without a header: name the columns/);
  });
});
