/**
 * Sensors read from /sys: RAPL energy counters (powercap) and the Jetson INA3221 input rail, on
 * hwmon (JetPack 5/6) or iio (JetPack 4). Paths are resolved under `sysRoot` so tests can point
 * detection at a fake tree. RAPL is root-only since Linux 5.10; a VM exposes none of them.
 */
import { accessSync, constants, existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { nowEpochS } from "../../collect/clock.js";
import { powerCsvSampler, raplLogHeader, raplLogLine, timerSampler } from "../../collect/sampler.js";
import type { PowerSensor, SensorChannel, SensorProbe } from "../../collect/sensors.js";

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
/** A reading that may fail (a file gone mid-run): null instead of an exception. */
const attempt = <T>(read: () => T): T | null => {
  try {
    return read();
  } catch {
    return null;
  }
};

// --- RAPL --------------------------------------------------------------------------------------

function raplChannel(base: string, zone: string, name: string, only: boolean): SensorChannel {
  const energyFile = join(base, zone, "energy_uj");
  const maxFile = join(base, zone, "max_energy_range_uj");
  return {
    fileName: only ? "power-rapl.csv" : `power-rapl-${name}.csv`,
    source: `RAPL ${name} (${energyFile})`,
    start(sink, intervalMs) {
      sink(raplLogHeader(name, energyFile, readable(maxFile) ? readText(maxFile) : null));
      return timerSampler(sink, intervalMs, () => {
        const t = nowEpochS();
        const uj = attempt(() => readText(energyFile));
        return uj === null ? null : raplLogLine(t, uj);
      });
    },
  };
}

export function detectRapl(sysRoot: string): SensorProbe {
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
      reason:
        `${join(base, unreadable[0]!.z, "energy_uj")} is not readable (root-only since Linux 5.10): ` +
        "run as root, or `sudo chmod o+r` the energy_uj files",
    };
  }
  const sensor: PowerSensor = {
    kind: "rapl",
    format: "rapl",
    scope: psys.length > 0 ? "platform (RAPL psys)" : "CPU package(s) (RAPL), not the wall",
    channels: chosen.map(({ z, name }) => raplChannel(base, z, name, chosen.length === 1)),
  };
  return { sensor, reason: `RAPL ${chosen.map((x) => x.name).join(" + ")} readable` };
}

// --- INA3221 -----------------------------------------------------------------------------------

const INPUT_RAILS = ["VDD_IN", "POM_5V_IN", "VIN", "VDD_IN_5V"];

function ina3221Sensor(
  kind: "ina3221-hwmon" | "ina3221-iio",
  rail: string,
  source: string,
  readW: () => number | null,
): PowerSensor {
  const sensor: PowerSensor = {
    kind,
    format: "usb-csv",
    scope: `board input rail ${rail} (INA3221)`,
    channels: [
      {
        fileName: "power-ina3221.csv",
        source,
        start: (sink, intervalMs) => powerCsvSampler(sink, intervalMs, readW),
      },
    ],
  };
  return sensor;
}

function hwmonRail(dir: string): SensorProbe | null {
  for (const ch of [1, 2, 3]) {
    const label = join(dir, `in${ch}_label`);
    if (!existsSync(label) || !INPUT_RAILS.includes(readText(label))) continue;
    const mv = join(dir, `in${ch}_input`);
    const ma = join(dir, `curr${ch}_input`);
    if (!readable(mv) || !readable(ma)) return { sensor: null, reason: `${mv} or ${ma} is not readable` };
    const rail = readText(label);
    const source = `INA3221 ${rail} (${dir}, in${ch}_input × curr${ch}_input)`;
    // millivolts × milliamps = microwatts
    const readW = (): number | null => attempt(() => (Number(readText(mv)) * Number(readText(ma))) / 1e6);
    return { sensor: ina3221Sensor("ina3221-hwmon", rail, source, readW), reason: `INA3221 ${rail} on ${dir}` };
  }
  return null;
}

export function detectHwmon(sysRoot: string): SensorProbe {
  const base = join(sysRoot, "sys/class/hwmon");
  for (const h of listDir(base)) {
    const dir = join(base, h);
    if (!existsSync(join(dir, "name")) || readText(join(dir, "name")) !== "ina3221") continue;
    return (
      hwmonRail(dir) ?? {
        sensor: null,
        reason: `INA3221 at ${dir} has no input-rail label (${INPUT_RAILS.join(", ")})`,
      }
    );
  }
  return { sensor: null, reason: `no ina3221 under ${base}` };
}

function iioRail(dir: string): SensorProbe | null {
  for (const ch of [0, 1, 2]) {
    const nameFile = join(dir, `rail_name_${ch}`);
    if (!existsSync(nameFile) || !INPUT_RAILS.includes(readText(nameFile))) continue;
    const pw = join(dir, `in_power${ch}_input`);
    if (!readable(pw)) return { sensor: null, reason: `${pw} is not readable` };
    const rail = readText(nameFile);
    const readW = (): number | null => attempt(() => Number(readText(pw)) / 1000); // mW
    const sensor = ina3221Sensor("ina3221-iio", rail, `INA3221 ${rail} (${pw}, mW)`, readW);
    return { sensor, reason: `INA3221 ${rail} on ${dir}` };
  }
  return null;
}

export function detectIio(sysRoot: string): SensorProbe {
  const base = join(sysRoot, "sys/bus/i2c/drivers/ina3221x");
  for (const dev of listDir(base)) {
    for (const iio of listDir(join(base, dev)).filter((d) => d.startsWith("iio:device"))) {
      const found = iioRail(join(base, dev, iio));
      if (found) return found;
    }
  }
  return { sensor: null, reason: `no ina3221x iio device under ${base}` };
}
