import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { inspectFile } from "../../src/pipeline/ingest/inspect.js";

// Fake `tegrastats` and `vcgencmd` on PATH: the samplers spawn them for real and the ingester
// reads what they logged.
const dir = mkdtempSync(join(tmpdir(), "slm-sensor-cmd-"));
const bin = join(dir, "bin");
const savedPath = process.env.PATH;
beforeAll(() => {
  mkdirSync(bin);
  writeFileSync(
    join(bin, "tegrastats"),
    '#!/bin/sh\nwhile true; do echo "RAM 2000/3964MB (lfb 1x4MB) CPU [12%@1479,5%@1479] POM_5V_IN 4500/4680 POM_5V_GPU 0/0 POM_5V_CPU 1078/1205"; sleep 0.05; done\n',
  );
  writeFileSync(
    join(bin, "vcgencmd"),
    '#!/bin/sh\n[ "$1" = pmic_read_adc ] || exit 1\necho "   VDD_CORE_A current(7)=2.00000000A"\necho "   VDD_CORE_V volt(15)=0.80000000V"\necho "  3V3_SYS_A current(2)=0.10000000A"\necho "  3V3_SYS_V volt(10)=3.30000000V"\necho "    EXT5V_V volt(24)=5.10000000V"\n',
  );
  chmodSync(join(bin, "tegrastats"), 0o755);
  chmodSync(join(bin, "vcgencmd"), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

async function sampleToFile(kind: string, ms: number, intervalMs: number): Promise<string> {
  const d = detectPowerSensors({ sysRoot: join(dir, "nosys"), commandExists: (c) => existsSync(join(bin, c)) });
  const s = d.sensors.find((x) => x.kind === kind)!;
  expect(s).toBeDefined();
  let log = "";
  const h = s.channels[0]!.start((t) => (log += t), intervalMs);
  await new Promise((r) => setTimeout(r, ms));
  await h.stop();
  const file = join(dir, s.channels[0]!.fileName);
  writeFileSync(file, log);
  return file;
}

describe("command-based power sensors", () => {
  it("logs tegrastats lines with epoch stamps that the tegrastats reader integrates", async () => {
    const file = await sampleToFile("tegrastats", 500, 50);
    const r = await inspectFile(file);
    const i = r.inspection as {
      format: string;
      samples: number;
      mean_power_w: number;
      rail: string;
      duration_s: number;
    };
    expect(i.format).toBe("tegrastats");
    expect(i.rail).toBe("POM_5V_IN");
    expect(i.samples).toBeGreaterThan(3);
    expect(i.mean_power_w).toBeCloseTo(4.5, 6);
    expect(i.duration_s).toBeGreaterThan(0.1);
  });

  it("logs vcgencmd pmic_read_adc blocks with epoch stamps that the PMIC reader sums over rails", async () => {
    const file = await sampleToFile("pmic", 600, 100);
    const r = await inspectFile(file);
    const i = r.inspection as { format: string; samples: number; mean_power_w: number };
    expect(i.format).toBe("pmic");
    expect(i.samples).toBeGreaterThan(2);
    expect(i.mean_power_w).toBeCloseTo(2 * 0.8 + 0.1 * 3.3, 6); // Σ V×I; EXT5V is voltage only
  });
});
