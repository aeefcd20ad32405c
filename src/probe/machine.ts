/**
 * What this machine says about itself: CPU model, cores, ISA features, clock, caches, memory.
 * From /proc/cpuinfo and /sys on Linux (null where a figure is not exposed, e.g. clocks in a VM),
 * from `os` elsewhere. This module interprets the files; `io/host/machine.ts` reads them.
 */
import type { z } from "zod";
import type { MachineInfoSchema } from "../io/probe/schema.js";

/** What the machine says about itself (the `machine` field of probe.json and sweep.json). */
export type MachineInfo = z.output<typeof MachineInfoSchema>;

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

/** What a Linux machine's /proc and /sys files say (null where a file is missing or unreadable). */
export interface HostFiles {
  cpuinfo: string | null;
  /** /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq (kHz). */
  cpuMaxFreqKhz: string | null;
  /** /sys/devices/system/cpu/cpu0/cache/index<i>/{level,type,size}, in index order. */
  caches: { level: string; type: string; size: string }[];
}

/** What `os` says. */
export interface HostOs {
  hostname: string;
  platform: string;
  arch: string;
  cpuModels: string[];
  totalMemoryBytes: number;
}

function clockAndFlags(f: HostFiles): Pick<MachineInfo, "clockGHz" | "clockSource" | "virtualized"> & {
  flags: string[];
} {
  let flags: string[] = [];
  let clockGHz: number | null = null;
  let clockSource: MachineInfo["clockSource"] = null;
  if (f.cpuinfo !== null) {
    const flagLine = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(f.cpuinfo);
    flags = flagLine ? flagLine[1]!.split(/\s+/) : [];
    const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(f.cpuinfo);
    if (mhz) {
      clockGHz = Number(mhz[1]) / 1000;
      clockSource = "cpuinfo current";
    }
  }
  const khz = f.cpuMaxFreqKhz === null ? 0 : Number(f.cpuMaxFreqKhz.trim());
  if (khz > 0) {
    clockGHz = khz / 1e6;
    clockSource = "cpufreq max";
  }
  return { flags, clockGHz, clockSource, virtualized: flags.includes("hypervisor") };
}

function lastLevelCache(caches: HostFiles["caches"]): Pick<MachineInfo, "llcBytes" | "llcLevel"> {
  let llcBytes: number | null = null;
  let llcLevel: number | null = null;
  for (const c of caches) {
    const level = Number(c.level.trim());
    const size = readSize(c.size);
    if (c.type.trim() !== "Instruction" && size !== null && (llcLevel === null || level > llcLevel)) {
      llcLevel = level;
      llcBytes = size;
    }
  }
  return { llcBytes, llcLevel };
}

/** The machine's description from what its files and `os` say (pure; `io/host/machine.ts` reads them). */
export function describeMachine(files: HostFiles, os: HostOs): MachineInfo {
  const { flags, ...clock } = clockAndFlags(files);
  return {
    hostname: os.hostname,
    platform: os.platform,
    arch: os.arch,
    cpuModel: os.cpuModels[0]?.trim() ?? "unknown",
    logicalCpus: os.cpuModels.length,
    features: INTERESTING.filter((f) => flags.includes(f)),
    clockGHz: clock.clockGHz,
    clockSource: clock.clockSource,
    ...lastLevelCache(files.caches),
    memoryBytes: os.totalMemoryBytes,
    virtualized: clock.virtualized,
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
