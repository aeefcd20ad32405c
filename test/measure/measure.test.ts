import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun, type MeasureRunOptions } from "../../src/pipeline/measure/run.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { fakeHwmon } from "../collect/fake-sys.js";
import { ROOT } from "../helpers.js";
import { stampedLines, TEGRASTATS_OWN_STAMP } from "../../src/collect/sampler.js";

// Fake sensors and a fake llama-bench as executables on PATH, spawned for real; fake /proc, /sys
// and /etc trees under an injected root. The bundles they leave are read back by `ingest`.
const dir = mkdtempSync(join(tmpdir(), "slm-measure-"));
const bin = join(dir, "bin");
const savedPath = process.env.PATH;
const CATALOG = ["raspberry-pi-5", "jetson-nano", "jetson-orin-nano", "jetson-orin-nano-super"];

/** A real Orin Nano tegrastats line (test/fixtures/power/tegrastats-orin.log): VDD_IN 7000 mW. */
const TEGRA_LINE = readFileSync(join(ROOT, "test/fixtures/power/tegrastats-orin.log"), "utf8").split("\n")[0]!;

/** The real llama-bench JSONL fixture's tests, with their repetitions shortened to 150 ms each. */
function benchLines(): string[] {
  return readFileSync(join(ROOT, "test/fixtures/inference/llama-bench.jsonl"), "utf8")
    .trim()
    .split("\n")
    .slice(0, 2)
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify({ ...o, avg_ns: 150_000_000, samples_ns: [150_000_000, 150_000_000] });
    });
}

const script = (name: string, body: string): void => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};

beforeAll(() => {
  mkdirSync(bin);
  script("tegrastats", `while true; do echo '${TEGRA_LINE}'; sleep 0.05; done`);
  const [pp, tg] = benchLines();
  script("llama-bench", `echo "args: $*" >&2\nsleep 0.35\necho '${pp}'\nsleep 0.35\necho '${tg}'`);
  process.env.PATH = `${bin}:${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

const nothing = join(dir, "nothing");
const fakeCommands = (c: string): boolean => existsSync(join(bin, c));

function options(
  out: string,
  command: string,
  args: string[],
  extra: Partial<MeasureRunOptions> = {},
): MeasureRunOptions {
  return {
    command,
    args,
    outDir: join(dir, out),
    meter: "auto",
    intervalMs: 50,
    idleS: 0,
    board: null,
    model: null,
    benchmark: null,
    label: null,
    grid: null,
    catalogIds: CATALOG,
    root: nothing,
    detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: () => false }),
    ...extra,
  };
}

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("measure", () => {
  it("wraps a fake llama-bench under a fake tegrastats: one window per repetition, per-phase energy", async () => {
    let stderr = "";
    const s = await measureRun(
      options("bench", "llama-bench", ["-m", "x.gguf"], {
        idleS: 0.3,
        detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: fakeCommands }),
        onStderr: (t) => (stderr += t),
      }),
    );
    expect(s.status).toBe("complete");
    expect(s.exitCode).toBe(0);
    expect(s.windows).toBe(4); // pp512 ×2, tg128 ×2
    expect(stderr).toContain("args: -m x.gguf -o jsonl"); // measure asked for JSONL
    const run = readJson(join(s.dir, "run.json"));
    expect((run.command as { argv: string[] }).argv).toEqual(["llama-bench", "-m", "x.gguf", "-o", "jsonl"]);
    const manifest = readJson(join(s.dir, "manifest.json"));
    expect(manifest.meter).toBe("tegrastats");
    expect(manifest.files).toMatchObject({ power: ["power-tegrastats.log"], idle: { start_s: expect.any(Number) } });
    expect(readFileSync(join(s.dir, "command.log"), "utf8")).toContain('"n_prompt": 512'.replace(": ", ":"));

    const r = await ingestBundle(s.dir);
    expect(r.inferences).toHaveLength(4);
    expect(r.run.idlePowerW).toBeCloseTo(7, 6);
    for (const row of r.inferences) {
      expect(row.energyGrossJ).toBeCloseTo(7 * 0.15, 1); // 7 W over each 150 ms repetition
    }
    const pp = r.inferences[0]!;
    expect(pp.promptTokens).toBe(512);
    expect(pp.energyPrefillJ).toBeCloseTo(pp.energyGrossJ!, 6);
    expect(r.inferences[3]!.genTokens).toBe(128);
  });

  it("on a machine without a sensor writes a timings-only bundle that ingests", async () => {
    const s = await measureRun(options("plain", "sh", ["-c", "echo hello; sleep 0.2"]));
    expect(s.status).toBe("complete");
    expect(s.sensor).toBeNull();
    expect(readFileSync(join(s.dir, "command.log"), "utf8")).toBe("hello\n");
    const run = readJson(join(s.dir, "run.json"));
    expect(run.power).toMatchObject({ measured: false, sensor: null });
    expect(String((run.power as { note: string }).note)).toMatch(/timings only/);
    const r = await ingestBundle(s.dir);
    expect(r.inferences).toHaveLength(1);
    expect(r.run.gross.latencyS).toBeGreaterThan(0.19);
    expect(r.run.gross.energyWh).toBeNull();
  });

  it("returns the command's exit code and records it", async () => {
    const s = await measureRun(options("fails", "sh", ["-c", "echo oops >&2; exit 3"]));
    expect(s.exitCode).toBe(3);
    expect(s.status).toBe("failed");
    expect(readJson(join(s.dir, "run.json")).command).toMatchObject({ exit_code: 3 });
    expect(readFileSync(join(s.dir, "command.log"), "utf8")).toBe("oops\n");
  });

  it("refuses a missing command and a missing meter before any folder exists", async () => {
    await expect(measureRun(options("none1", "no-such-command-xyz", []))).rejects.toThrow(/command not found/);
    await expect(measureRun(options("none2", "true", [], { meter: "tegrastats" }))).rejects.toThrow(
      /meter tegrastats is not on this machine \(probed rapl: .*tegrastats: no tegrastats command/,
    );
    expect(existsSync(join(dir, "none1"))).toBe(false);
    expect(existsSync(join(dir, "none2"))).toBe(false);
  });

  it("reads host facts from a fake Jetson tree, samples its INA3221 and warns on a wrong --board", async () => {
    const root = join(dir, "orin");
    mkdirSync(join(root, "proc/device-tree"), { recursive: true });
    writeFileSync(join(root, "proc/device-tree/model"), "NVIDIA Jetson Orin Nano Developer Kit\0");
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/nv_tegra_release"), "# R36 (release), REVISION: 4.3\n");
    mkdirSync(join(root, "sys/class/thermal/thermal_zone0"), { recursive: true });
    writeFileSync(join(root, "sys/class/thermal/thermal_zone0/type"), "cpu-thermal\n");
    writeFileSync(join(root, "sys/class/thermal/thermal_zone0/temp"), "47250\n");
    mkdirSync(join(root, "sys/devices/system/cpu/cpu0/cpufreq"), { recursive: true });
    writeFileSync(join(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"), "schedutil\n");
    writeFileSync(join(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"), "1510400\n");
    fakeHwmon(root, "VDD_IN", 5000, 1000);
    const notices: string[] = [];
    const s = await measureRun(
      options("orin-bundle", "sleep", ["0.3"], {
        meter: "ina3221",
        board: "raspberry-pi-5",
        root,
        detect: () => detectPowerSensors({ sysRoot: root, commandExists: () => false }),
        onNotice: (t) => notices.push(t),
      }),
    );
    expect(notices.join("\n")).toMatch(/--board raspberry-pi-5 but this host is jetson-orin-nano/);
    const run = readJson(join(s.dir, "run.json"));
    expect(run.board).toMatchObject({
      given: "raspberry-pi-5",
      detected: "jetson-orin-nano",
      device_tree_model: "NVIDIA Jetson Orin Nano Developer Kit",
    });
    expect(run.machine).toMatchObject({
      l4t_release: "# R36 (release), REVISION: 4.3",
      cpufreq: [{ cpu: "cpu0", governor: "schedutil", cur_khz: 1510400, max_khz: null }],
    });
    expect(run.temperatures).toMatchObject({
      before: [{ zone: "thermal_zone0", type: "cpu-thermal", temp_c: 47.25 }],
      after: [{ temp_c: 47.25 }],
    });
    const r = await ingestBundle(s.dir);
    expect(r.manifest.device).toBe("raspberry-pi-5");
    expect(r.inferences[0]!.energyGrossJ).toBeCloseTo(5 * 0.3, 0); // 5 V × 1 A over 0.3 s
  });

  it("stops the command on abort (Ctrl-C) and still leaves a valid bundle", async () => {
    const controller = new AbortController();
    const pending = measureRun(
      options("abort", "sh", ["-c", "echo start; exec sleep 30"], { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 300);
    const s = await pending;
    expect(s.status).toBe("interrupted");
    expect(s.exitCode).toBe(130);
    const r = await ingestBundle(s.dir);
    expect(r.inferences).toHaveLength(1);
    expect(r.inferences[0]!.latencyS).toBeLessThan(5);
  });
});

describe("the tegrastats sampler's stamp", () => {
  // Regression: JetPack 5+ tegrastats prints its own date; "epoch date time RAM …" was unreadable.
  it("replaces the date tegrastats prints with the epoch stamp, and leaves older lines alone", () => {
    const split = stampedLines(TEGRASTATS_OWN_STAMP);
    expect(split("09-21-2025 15:38:17 RAM 3645/7620MB VDD_IN 7000mW/5200mW\nRAM 2000/3964MB", 12.5)).toEqual([
      "12.500 RAM 3645/7620MB VDD_IN 7000mW/5200mW\n",
    ]);
    expect(split(" POM_5V_IN 4500/4680\n", 13)).toEqual(["13.000 RAM 2000/3964MB POM_5V_IN 4500/4680\n"]);
  });
});
