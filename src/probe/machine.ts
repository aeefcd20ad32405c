/**
 * What this machine says about itself: CPU model, cores, ISA features, clock, caches, memory.
 * Read from /proc/cpuinfo and /sys on Linux (null where a figure is not exposed, e.g. clocks in
 * a VM), from `os` elsewhere.
 */
import { existsSync, readFileSync } from "node:fs";
import { arch, cpus, hostname, platform, totalmem } from "node:os";

export interface MachineInfo {
  hostname: string;
  platform: string;
  arch: string;
  cpuModel: string;
  logicalCpus: number;
  /** ISA features relevant to llama.cpp kernels that the CPU reports. */
  features: string[];
  /** Max clock (GHz) from cpufreq, or the current clock from /proc/cpuinfo, or null. */
  clockGHz: number | null;
  clockSource: "cpufreq max" | "cpuinfo current" | null;
  /** Last-level cache (bytes) and its level, or null. */
  llcBytes: number | null;
  llcLevel: number | null;
  memoryBytes: number;
  virtualized: boolean;
}

const INTERESTING = [
  "avx",
  "avx2",
  "fma",
  "f16c",
  "avx512f",
  "avx512bw",
  "avx512_vnni",
  "avx_vnni",
  "avx512_bf16",
  "amx_int8",
  "neon",
  "asimd",
  "asimddp",
  "dotprod",
  "i8mm",
  "sve",
  "sve2",
  "fphp",
  "asimdhp",
];

function readSize(text: string): number | null {
  const m = /^(\d+)\s*([KMG]?)/i.exec(text.trim());
  if (!m) return null;
  const mult = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as "" | "K" | "M" | "G"];
  return Number(m[1]) * mult;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  let flags: string[] = [];
  let virtualized = false;
  let clockGHz: number | null = null;
  let clockSource: MachineInfo["clockSource"] = null;
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const flagLine = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info);
    flags = flagLine ? flagLine[1]!.split(/\s+/) : [];
    virtualized = flags.includes("hypervisor");
    const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(info);
    if (mhz) {
      clockGHz = Number(mhz[1]) / 1000;
      clockSource = "cpuinfo current";
    }
  } catch {
    // not Linux
  }
  const maxFreq = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
  if (existsSync(maxFreq)) {
    const khz = Number(readFileSync(maxFreq, "utf8").trim());
    if (khz > 0) {
      clockGHz = khz / 1e6;
      clockSource = "cpufreq max";
    }
  }
  let llcBytes: number | null = null;
  let llcLevel: number | null = null;
  for (let i = 0; i < 8; i++) {
    const dir = `/sys/devices/system/cpu/cpu0/cache/index${i}`;
    if (!existsSync(dir)) break;
    try {
      const level = Number(readFileSync(`${dir}/level`, "utf8").trim());
      const type = readFileSync(`${dir}/type`, "utf8").trim();
      const size = readSize(readFileSync(`${dir}/size`, "utf8"));
      if (type !== "Instruction" && size !== null && (llcLevel === null || level > llcLevel)) {
        llcLevel = level;
        llcBytes = size;
      }
    } catch {
      // skip unreadable cache entries
    }
  }
  return {
    hostname: hostname(),
    platform: platform(),
    arch: arch(),
    cpuModel: c[0]?.model?.trim() ?? "unknown",
    logicalCpus: c.length,
    features: INTERESTING.filter((f) => flags.includes(f)),
    clockGHz,
    clockSource,
    llcBytes,
    llcLevel,
    memoryBytes: totalmem(),
    virtualized,
  };
}

/**
 * Peak FP32 FLOPs per cycle per core implied by the ISA (2 FMA pipes × SIMD lanes × 2): an
 * estimate — the number of FMA pipes is not exposed (Zen 4 runs AVX-512 on 256-bit pipes).
 */
export function fp32FlopsPerCycleEstimate(features: readonly string[]): number {
  if (features.includes("avx512f") || features.includes("avx2") || features.includes("fma")) return 32;
  if (features.includes("sve") || features.includes("asimd") || features.includes("neon")) return 16;
  return 8;
}

export const hasInt8Dot = (features: readonly string[]): boolean =>
  ["avx512_vnni", "avx_vnni", "asimddp", "dotprod", "amx_int8"].some((f) => features.includes(f));
