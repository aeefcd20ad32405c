/**
 * Power sensors the collector can sample on the machine it runs on, each written as a raw log in
 * a format `slm-energy ingest` reads:
 *
 * | sensor | where | log format |
 * |---|---|---|
 * | RAPL (Intel, AMD Zen) | `/sys/class/powercap/intel-rapl:N/energy_uj` (`psys` if present, else each package) | `rapl`: `# max_energy_range_uj=…`, `time_s,energy_uj` |
 * | INA3221 on hwmon (Jetson, JetPack 5/6) | `/sys/class/hwmon/hwmonN/` named `ina3221`, input rail `VDD_IN` | `usb-csv`: `time_s,power_w` |
 * | INA3221 on iio (Jetson Nano, JetPack 4) | `/sys/bus/i2c/drivers/ina3221x/DEV/iio:deviceN/`, rail `POM_5V_IN` | `usb-csv`: `time_s,power_w` |
 * | tegrastats (Jetson) | `tegrastats --interval MS` | `tegrastats`, each line prefixed with epoch seconds |
 * | Raspberry Pi 5 PMIC | `vcgencmd pmic_read_adc` | `pmic`, each block preceded by an epoch-seconds line |
 *
 * Detection tries them in this order and reports, for each, why it is or is not usable (RAPL is
 * root-only since Linux 5.10; a VM exposes none of them). Paths are resolved under `sysRoot` so
 * tests can point detection at a fake tree.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { PowerFormat } from "../ingest/types.js";
import { nowEpochS } from "./clock.js";

export type SensorKind = "rapl" | "ina3221-hwmon" | "ina3221-iio" | "tegrastats" | "pmic";
export const SENSOR_KINDS: readonly SensorKind[] = ["rapl", "ina3221-hwmon", "ina3221-iio", "tegrastats", "pmic"];

/** Appends text to one raw log; the collector flushes each write to the file. */
export type LogSink = (text: string) => void;

export interface SensorChannel {
  /** Log file name inside the bundle. */
  fileName: string;
  /** Human description: what is read, from where. */
  source: string;
  /** Starts sampling every `intervalMs`, writing to `sink`; returns a stopper. */
  start(sink: LogSink, intervalMs: number): SamplerHandle;
}

export interface PowerSensor {
  kind: SensorKind;
  format: PowerFormat;
  /** What the total means: RAPL measures the CPU package (or platform), not the wall. */
  scope: string;
  channels: SensorChannel[];
}

export interface SamplerHandle {
  /** Stop sampling; resolves when the last reading is written. */
  stop(): Promise<void>;
  /** Readings written so far. */
  readings(): number;
}

export interface SensorCheck {
  kind: SensorKind;
  available: boolean;
  reason: string;
}

export interface SensorDetection {
  sensors: PowerSensor[];
  checks: SensorCheck[];
}

export interface DetectOptions {
  /** Prefix for /sys paths (tests); default "/". */
  sysRoot?: string;
  /** Whether a command exists on PATH (tests inject it). */
  commandExists?: (cmd: string) => boolean;
}

const readable = (p: string): boolean => {
  try {
    accessSync(p, constants.R_OK);
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
};
const readText = (p: string): string => readFileSync(p, "utf8").trim();
const listDir = (p: string): string[] => {
  try {
    return readdirSync(p).sort();
  } catch {
    return [];
  }
};

function defaultCommandExists(cmd: string): boolean {
  const paths = (process.env.PATH ?? "").split(":").concat(["/usr/bin", "/usr/sbin", "/bin"]);
  return paths.some((d) => d !== "" && existsSync(join(d, cmd)));
}

/** A sampler that calls `read` on a timer and writes what it returns. */
function timerSampler(sink: LogSink, intervalMs: number, read: () => string | null): SamplerHandle {
  let n = 0;
  const tick = (): void => {
    const line = read();
    if (line !== null) {
      sink(line);
      n++;
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      tick(); // a last reading closes the final interval
    },
    readings: () => n,
  };
}

// --- RAPL --------------------------------------------------------------------------------------

function detectRapl(sysRoot: string): { sensor: PowerSensor | null; reason: string } {
  const base = join(sysRoot, "sys/class/powercap");
  const zones = listDir(base).filter((z) => /^intel-rapl:\d+$/.test(z));
  if (zones.length === 0) return { sensor: null, reason: `no RAPL zones under ${base}` };
  const named = zones.map((z) => ({
    z,
    name: existsSync(join(base, z, "name")) ? readText(join(base, z, "name")) : z,
  }));
  const psys = named.filter((x) => x.name === "psys");
  const chosen = psys.length > 0 ? psys : named.filter((x) => x.name.startsWith("package"));
  if (chosen.length === 0)
    return { sensor: null, reason: `RAPL zones ${zones.join(", ")} have no package or psys zone` };
  const unreadable = chosen.filter((x) => !readable(join(base, x.z, "energy_uj")));
  if (unreadable.length > 0) {
    return {
      sensor: null,
      reason: `${join(base, unreadable[0]!.z, "energy_uj")} is not readable (root-only since Linux 5.10): run as root, or \`sudo chmod o+r\` the energy_uj files`,
    };
  }
  const channels: SensorChannel[] = chosen.map(({ z, name }) => {
    const energyFile = join(base, z, "energy_uj");
    const maxFile = join(base, z, "max_energy_range_uj");
    return {
      fileName: chosen.length === 1 ? "power-rapl.csv" : `power-rapl-${name}.csv`,
      source: `RAPL ${name} (${energyFile})`,
      start(sink, intervalMs) {
        const max = readable(maxFile) ? readText(maxFile) : null;
        sink(
          `# RAPL zone ${name}: ${energyFile}\n${max !== null ? `# max_energy_range_uj=${max}\n` : ""}time_s,energy_uj\n`,
        );
        return timerSampler(sink, intervalMs, () => {
          const t = nowEpochS();
          try {
            return `${t.toFixed(6)},${readText(energyFile)}\n`;
          } catch {
            return null;
          }
        });
      },
    };
  });
  return {
    sensor: {
      kind: "rapl",
      format: "rapl",
      scope: psys.length > 0 ? "platform (RAPL psys)" : "CPU package(s) (RAPL), not the wall",
      channels,
    },
    reason: `RAPL ${chosen.map((x) => x.name).join(" + ")} readable`,
  };
}

// --- INA3221 -----------------------------------------------------------------------------------

const INPUT_RAILS = ["VDD_IN", "POM_5V_IN", "VIN", "VDD_IN_5V"];

function csvPowerChannel(fileName: string, source: string, readW: () => number | null): SensorChannel {
  return {
    fileName,
    source,
    start(sink, intervalMs) {
      sink("time_s,power_w\n");
      return timerSampler(sink, intervalMs, () => {
        const t = nowEpochS();
        const w = readW();
        return w === null ? null : `${t.toFixed(6)},${w.toFixed(4)}\n`;
      });
    },
  };
}

function detectHwmon(sysRoot: string): { sensor: PowerSensor | null; reason: string } {
  const base = join(sysRoot, "sys/class/hwmon");
  for (const h of listDir(base)) {
    const dir = join(base, h);
    if (!existsSync(join(dir, "name")) || readText(join(dir, "name")) !== "ina3221") continue;
    for (const ch of [1, 2, 3]) {
      const label = join(dir, `in${ch}_label`);
      if (!existsSync(label) || !INPUT_RAILS.includes(readText(label))) continue;
      const mv = join(dir, `in${ch}_input`);
      const ma = join(dir, `curr${ch}_input`);
      if (!readable(mv) || !readable(ma)) return { sensor: null, reason: `${mv} or ${ma} is not readable` };
      const rail = readText(label);
      return {
        sensor: {
          kind: "ina3221-hwmon",
          format: "usb-csv",
          scope: `board input rail ${rail} (INA3221)`,
          channels: [
            csvPowerChannel("power-ina3221.csv", `INA3221 ${rail} (${dir}, in${ch}_input × curr${ch}_input)`, () => {
              try {
                return (Number(readText(mv)) * Number(readText(ma))) / 1e6;
              } catch {
                return null;
              }
            }),
          ],
        },
        reason: `INA3221 ${rail} on ${dir}`,
      };
    }
    return { sensor: null, reason: `INA3221 at ${dir} has no input-rail label (${INPUT_RAILS.join(", ")})` };
  }
  return { sensor: null, reason: `no ina3221 under ${base}` };
}

function detectIio(sysRoot: string): { sensor: PowerSensor | null; reason: string } {
  const base = join(sysRoot, "sys/bus/i2c/drivers/ina3221x");
  for (const dev of listDir(base)) {
    for (const iio of listDir(join(base, dev)).filter((d) => d.startsWith("iio:device"))) {
      const dir = join(base, dev, iio);
      for (const ch of [0, 1, 2]) {
        const nameFile = join(dir, `rail_name_${ch}`);
        if (!existsSync(nameFile) || !INPUT_RAILS.includes(readText(nameFile))) continue;
        const pw = join(dir, `in_power${ch}_input`);
        if (!readable(pw)) return { sensor: null, reason: `${pw} is not readable` };
        const rail = readText(nameFile);
        return {
          sensor: {
            kind: "ina3221-iio",
            format: "usb-csv",
            scope: `board input rail ${rail} (INA3221)`,
            channels: [
              csvPowerChannel("power-ina3221.csv", `INA3221 ${rail} (${pw}, mW)`, () => {
                try {
                  return Number(readText(pw)) / 1000;
                } catch {
                  return null;
                }
              }),
            ],
          },
          reason: `INA3221 ${rail} on ${dir}`,
        };
      }
    }
  }
  return { sensor: null, reason: `no ina3221x iio device under ${base}` };
}

// --- tegrastats and vcgencmd -----------------------------------------------------------------

/** Runs a long-lived command and writes each stdout line prefixed with epoch seconds. */
function processChannel(
  fileName: string,
  source: string,
  cmd: string,
  args: (intervalMs: number) => string[],
): SensorChannel {
  return {
    fileName,
    source,
    start(sink, intervalMs) {
      let n = 0;
      let rest = "";
      const child: ChildProcess = spawn(cmd, args(intervalMs), { stdio: ["ignore", "pipe", "ignore"] });
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        const t = nowEpochS();
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const l of lines) {
          if (l.trim() === "") continue;
          sink(`${t.toFixed(3)} ${l}\n`);
          n++;
        }
      });
      child.on("error", () => undefined);
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            // Never started (spawn failed) or already gone: nothing to wait for.
            if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
        readings: () => n,
      };
    },
  };
}

function pmicChannel(): SensorChannel {
  return {
    fileName: "power-pmic.log",
    source: "Raspberry Pi PMIC (vcgencmd pmic_read_adc)",
    start(sink, intervalMs) {
      let n = 0;
      let busy = false;
      let stopped = false;
      const read = (): void => {
        if (busy || stopped) return;
        busy = true;
        const t = nowEpochS();
        const child = spawn("vcgencmd", ["pmic_read_adc"], { stdio: ["ignore", "pipe", "ignore"] });
        let out = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (c: string) => (out += c));
        child.on("close", () => {
          busy = false;
          if (out.includes("current(")) {
            sink(`${t.toFixed(3)}\n${out.endsWith("\n") ? out : out + "\n"}`);
            n++;
          }
        });
        child.on("error", () => (busy = false));
      };
      read();
      const timer = setInterval(read, intervalMs);
      return {
        async stop() {
          clearInterval(timer);
          stopped = true;
          while (busy) await new Promise((r) => setTimeout(r, 10));
        },
        readings: () => n,
      };
    },
  };
}

function detectTegrastats(has: (c: string) => boolean): { sensor: PowerSensor | null; reason: string } {
  if (!has("tegrastats")) return { sensor: null, reason: "no tegrastats command" };
  return {
    sensor: {
      kind: "tegrastats",
      format: "tegrastats",
      scope: "board input rail (tegrastats POM_5V_IN / VDD_IN)",
      channels: [
        processChannel("power-tegrastats.log", "tegrastats", "tegrastats", (ms) => [
          "--interval",
          String(Math.max(10, Math.round(ms))),
        ]),
      ],
    },
    reason: "tegrastats found",
  };
}

function detectPmic(has: (c: string) => boolean): { sensor: PowerSensor | null; reason: string } {
  if (!has("vcgencmd")) return { sensor: null, reason: "no vcgencmd command" };
  try {
    const out = execFileSync("vcgencmd", ["pmic_read_adc"], {
      encoding: "utf8",
      timeout: 2000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    if (!out.includes("current("))
      return { sensor: null, reason: "vcgencmd pmic_read_adc printed no current readings (not a Raspberry Pi 5?)" };
  } catch (e) {
    return { sensor: null, reason: `vcgencmd pmic_read_adc failed: ${(e as Error).message}` };
  }
  return {
    sensor: {
      kind: "pmic",
      format: "pmic",
      scope: "PMIC rails (Σ V×I, excludes conversion losses: reads low against a wall meter)",
      channels: [pmicChannel()],
    },
    reason: "vcgencmd pmic_read_adc works",
  };
}

/** Every sensor kind's status on this machine, usable ones first in preference order. */
export function detectPowerSensors(options: DetectOptions = {}): SensorDetection {
  const sysRoot = options.sysRoot ?? "/";
  const has = options.commandExists ?? defaultCommandExists;
  const results: [SensorKind, { sensor: PowerSensor | null; reason: string }][] = [
    ["rapl", detectRapl(sysRoot)],
    ["ina3221-hwmon", detectHwmon(sysRoot)],
    ["ina3221-iio", detectIio(sysRoot)],
    ["tegrastats", detectTegrastats(has)],
    ["pmic", detectPmic(has)],
  ];
  return {
    sensors: results.flatMap(([, r]) => (r.sensor ? [r.sensor] : [])),
    checks: results.map(([kind, r]) => ({ kind, available: r.sensor !== null, reason: r.reason })),
  };
}
