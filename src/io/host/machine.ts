/** Reads what this machine says about itself (/proc/cpuinfo, /sys, `os`); `probe/machine.ts` interprets it. */
import { existsSync, readFileSync } from "node:fs";
import { arch, cpus, hostname, platform, totalmem } from "node:os";
import { describeMachine, type HostFiles, type MachineInfo } from "../../probe/machine.js";

const read = (path: string): string | null => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // not Linux, or not exposed (clocks in a VM)
  }
};

/** The /proc and /sys files the machine description uses. */
export function readHostFiles(): HostFiles {
  const caches: HostFiles["caches"] = [];
  for (let i = 0; i < 8; i++) {
    const dir = `/sys/devices/system/cpu/cpu0/cache/index${i}`;
    if (!existsSync(dir)) break;
    const [level, type, size] = [read(`${dir}/level`), read(`${dir}/type`), read(`${dir}/size`)];
    if (level !== null && type !== null && size !== null) caches.push({ level, type, size });
  }
  return {
    cpuinfo: read("/proc/cpuinfo"),
    cpuMaxFreqKhz: read("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"),
    caches,
  };
}

/** This machine: CPU model, cores, ISA features, clock, caches, memory. */
export function machineInfo(): MachineInfo {
  return describeMachine(readHostFiles(), {
    hostname: hostname(),
    platform: platform(),
    arch: arch(),
    cpuModels: cpus().map((c) => c.model),
    totalMemoryBytes: totalmem(),
  });
}
