/**
 * What a measured run records about its host, read from /proc, /sys and /etc (an injectable root
 * for tests): the board's device-tree model, the L4T release, the nvpmodel mode, CPU governors and
 * clocks, RAM, and the thermal zones' temperatures. Each fact is null when the host does not say.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { arch, cpus, hostname, platform, release, totalmem } from "node:os";
import { join } from "node:path";

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
};

/** A /proc or /sys text, trimmed, without the device tree's trailing NUL. */
const readFact = (path: string): string | null => {
  const t = readText(path);
  return t === null ? null : t.replace(/\0+$/, "").trim();
};

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch {
    return [];
  }
};

/** /proc/device-tree/model (a Jetson's or a Pi's board name), or null. */
export const deviceTreeModel = (root = "/"): string | null => readFact(join(root, "proc/device-tree/model"));

/** Each thermal zone's type and temperature (°C, from millidegrees). */
export function temperatures(root = "/"): { zone: string; type: string | null; temp_c: number | null }[] {
  const base = join(root, "sys/class/thermal");
  return list(base)
    .filter((z) => z.startsWith("thermal_zone"))
    .map((zone) => {
      const milli = Number(readFact(join(base, zone, "temp")));
      return { zone, type: readFact(join(base, zone, "type")), temp_c: Number.isFinite(milli) ? milli / 1000 : null };
    });
}

function cpuFreq(
  root: string,
): { cpu: string; governor: string | null; cur_khz: number | null; max_khz: number | null }[] {
  const base = join(root, "sys/devices/system/cpu");
  const khz = (p: string): number | null => {
    const t = readFact(p);
    return t === null || !Number.isFinite(Number(t)) ? null : Number(t);
  };
  return list(base)
    .filter((c) => /^cpu\d+$/.test(c) && existsSync(join(base, c, "cpufreq")))
    .map((cpu) => ({
      cpu,
      governor: readFact(join(base, cpu, "cpufreq/scaling_governor")),
      cur_khz: khz(join(base, cpu, "cpufreq/scaling_cur_freq")),
      max_khz: khz(join(base, cpu, "cpufreq/scaling_max_freq")),
    }));
}

/** `nvpmodel -q` output (the Jetson power mode), or null when the tool is absent or fails. */
function nvpmodelMode(commandExists: (c: string) => boolean): string | null {
  if (!commandExists("nvpmodel")) return null;
  try {
    return execFileSync("nvpmodel", ["-q"], { encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .replace(/\s*\n\s*/g, "; ");
  } catch {
    return null;
  }
}

/** MemTotal from /proc/meminfo in bytes, else node's total memory. */
function ramBytes(root: string): number {
  const m = /MemTotal:\s+(\d+)\s*kB/.exec(readText(join(root, "proc/meminfo")) ?? "");
  return m ? Number(m[1]) * 1024 : totalmem();
}

export interface HostFactsOptions {
  root?: string;
  commandExists?: (c: string) => boolean;
}

/** Who the machine is, as every run.json names it (collect and measure). */
export function machineIdentity(memoryBytes: number): Record<string, unknown> {
  const c = cpus();
  return {
    hostname: hostname(),
    platform: platform(),
    release: release(),
    arch: arch(),
    cpu_model: c[0]?.model ?? null,
    logical_cpus: c.length,
    memory_bytes: memoryBytes,
    node: process.version,
  };
}

/** The host as run.json records it (temperatures are taken apart, before and after the command). */
export function hostFacts(o: HostFactsOptions = {}): Record<string, unknown> {
  const root = o.root ?? "/";
  return {
    ...machineIdentity(ramBytes(root)),
    device_tree_model: deviceTreeModel(root),
    l4t_release: readFact(join(root, "etc/nv_tegra_release")),
    nvpmodel: nvpmodelMode(o.commandExists ?? (() => false)),
    cpufreq: cpuFreq(root),
  };
}
