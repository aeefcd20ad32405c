/**
 * Which power sensors this machine has: every kind tried in preference order, each with the reason
 * it is or is not usable (see `collect/sensors.ts` for the kinds and their log formats).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SensorDetection, SensorKind, SensorProbe } from "../../collect/sensors.js";
import { detectJtop, detectNvidiaSmi, detectPmic, detectTegrastats } from "./commands.js";
import { detectHwmon, detectIio, detectRapl } from "./sysfs.js";

export interface DetectOptions {
  /** Prefix for /sys paths (tests); default "/". */
  sysRoot?: string;
  /** Whether a command exists on PATH (tests inject it). */
  commandExists?: (cmd: string) => boolean;
}

export function defaultCommandExists(cmd: string): boolean {
  const paths = (process.env.PATH ?? "").split(":").concat(["/usr/bin", "/usr/sbin", "/bin"]);
  return paths.some((d) => d !== "" && existsSync(join(d, cmd)));
}

/** Every sensor kind's status on this machine, usable ones first in preference order. */
export function detectPowerSensors(options: DetectOptions = {}): SensorDetection {
  const sysRoot = options.sysRoot ?? "/";
  const has = options.commandExists ?? defaultCommandExists;
  const results: [SensorKind, SensorProbe][] = [
    ["rapl", detectRapl(sysRoot)],
    ["ina3221-hwmon", detectHwmon(sysRoot)],
    ["ina3221-iio", detectIio(sysRoot)],
    ["tegrastats", detectTegrastats(has)],
    ["jtop", detectJtop(has)],
    ["pmic", detectPmic(has)],
    ["nvidia-smi", detectNvidiaSmi(has)],
  ];
  return {
    sensors: results.flatMap(([, r]) => (r.sensor ? [r.sensor] : [])),
    checks: results.map(([kind, r]) => ({ kind, available: r.sensor !== null, reason: r.reason })),
  };
}
