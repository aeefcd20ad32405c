import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { fakeHwmon, fakeRapl } from "./fake-sys.js";
import { inspectFile } from "../../src/pipeline/ingest/inspect.js";

const dir = mkdtempSync(join(tmpdir(), "slm-sensors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noCommands = { commandExists: () => false };

describe("power sensor detection", () => {
  it("finds nothing on a bare machine and says why for each kind", () => {
    const d = detectPowerSensors({ sysRoot: join(dir, "empty"), ...noCommands });
    expect(d.sensors).toEqual([]);
    expect(d.checks.map((c) => c.kind)).toEqual([
      "rapl",
      "ina3221-hwmon",
      "ina3221-iio",
      "tegrastats",
      "jtop",
      "pmic",
      "nvidia-smi",
    ]);
    expect(d.checks.every((c) => !c.available && c.reason.length > 0)).toBe(true);
  });

  it("prefers RAPL psys (whole platform) over package zones", () => {
    const root = join(dir, "psys");
    for (const [z, name] of [
      ["intel-rapl:0", "package-0"],
      ["intel-rapl:1", "psys"],
      ["intel-rapl:0:0", "core"],
    ] as const) {
      mkdirSync(join(root, "sys/class/powercap", z), { recursive: true });
      writeFileSync(join(root, "sys/class/powercap", z, "name"), name);
      writeFileSync(join(root, "sys/class/powercap", z, "energy_uj"), "123");
    }
    const d = detectPowerSensors({ sysRoot: root, ...noCommands });
    expect(d.sensors[0]!.kind).toBe("rapl");
    expect(d.sensors[0]!.channels.map((c) => c.source)).toEqual([expect.stringContaining("psys")]);
    expect(d.sensors[0]!.scope).toMatch(/platform/);
  });

  it.skipIf(process.getuid?.() === 0)("reports an unreadable RAPL counter as root-only", () => {
    const root = join(dir, "locked");
    mkdirSync(join(root, "sys/class/powercap/intel-rapl:0"), { recursive: true });
    writeFileSync(join(root, "sys/class/powercap/intel-rapl:0/name"), "package-0");
    writeFileSync(join(root, "sys/class/powercap/intel-rapl:0/energy_uj"), "1");
    chmodSync(join(root, "sys/class/powercap/intel-rapl:0/energy_uj"), 0o000);
    const d = detectPowerSensors({ sysRoot: root, ...noCommands });
    expect(d.checks[0]!.reason).toMatch(/not readable.*root/);
  });

  it("finds a Jetson INA3221 input rail on hwmon and logs V×I as watts", async () => {
    const root = join(dir, "jetson");
    fakeHwmon(root, "VDD_IN", 5000, 1200); // 5 V × 1.2 A = 6 W
    const d = detectPowerSensors({ sysRoot: root, ...noCommands });
    expect(d.sensors[0]!.kind).toBe("ina3221-hwmon");
    expect(d.sensors[0]!.format).toBe("usb-csv");
    let log = "";
    const h = d.sensors[0]!.channels[0]!.start((t) => (log += t), 10);
    await new Promise((r) => setTimeout(r, 60));
    await h.stop();
    const lines = log.trim().split("\n");
    expect(lines[0]).toBe("time_s,power_w");
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines.slice(1)) expect(l).toMatch(/^\d+\.\d{6},6\.0000$/);
    const file = join(root, "power-ina3221.csv");
    writeFileSync(file, log);
    const i = (await inspectFile(file)).inspection as { format: string; mean_power_w: number };
    expect(i.format).toBe("usb-csv");
    expect(i.mean_power_w).toBeCloseTo(6, 9);
  });

  it("samples a RAPL counter into a log whose counter deltas give the true power", async () => {
    const root = join(dir, "rapl");
    const rapl = fakeRapl(root, 12.5);
    try {
      const d = detectPowerSensors({ sysRoot: root, ...noCommands });
      const ch = d.sensors[0]!.channels[0]!;
      let log = "";
      const h = ch.start((t) => (log += t), 20);
      await new Promise((r) => setTimeout(r, 400));
      await h.stop();
      expect(log).toMatch(/^# RAPL zone package-0: .*\n# max_energy_range_uj=262143328850\ntime_s,energy_uj\n/);
      const rows = log
        .trim()
        .split("\n")
        .filter((l) => /^\d/.test(l))
        .map((l) => l.split(",").map(Number));
      const [t0, e0] = rows[0]!;
      const [t1, e1] = rows[rows.length - 1]!;
      const meanW = ((e1! - e0!) * 1e-6) / (t1! - t0!);
      expect(meanW).toBeGreaterThan(12.5 * 0.9);
      expect(meanW).toBeLessThan(12.5 * 1.1);
    } finally {
      rapl.stop();
    }
  });
});
