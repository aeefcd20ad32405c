/**
 * Which fields of a device entry must carry a citation, and which of them lack one. A null field
 * is cited by its reason ("no source prints this: …") instead of a source.
 */
import type { DeviceSpec } from "./devices.js";

/** The prefix a citation of a null field starts with. */
export const UNSOURCED = "no source prints this";

/** Field paths of `device` that need a citation (`powerModes.<mode id>.<field>` for per-mode fields). */
export function requiredCitationPaths(device: DeviceSpec): string[] {
  const paths = ["memory.type", "memory.sizeGB", "memory.busWidthBits", "cpu.core", "cpu.cores"];
  for (const m of device.powerModes) {
    for (const f of ["cpuMaxClockGHz", "memoryBandwidthGBps", "idlePowerW", "maxPowerW"]) {
      paths.push(`powerModes.${m.id}.${f}`);
    }
  }
  if (device.gpu !== null) {
    paths.push("gpu.architecture");
    for (const f of ["fp32Tflops", "fp16Tflops", "int8Tops"]) paths.push(`gpu.peaks.${f}`);
  }
  return paths;
}

/** The value at a citation path (`powerModes.<id>.x` picks the mode by id); undefined when no such field. */
export function fieldAt(device: DeviceSpec, path: string): unknown {
  const parts = path === "" ? [] : path.split(".");
  let at: unknown = device;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    if (at === null || typeof at !== "object") return undefined;
    if (Array.isArray(at) && parts[i - 1] === "powerModes") {
      at = (at as { id: string }[]).find((m) => m.id === key);
    } else {
      at = (at as Record<string, unknown>)[key];
    }
  }
  return at;
}

export interface CitationProblem {
  path: string;
  problem: string;
}

/** Required fields without a citation, null fields whose citation gives no reason, and citations of no field. */
export function citationProblems(device: DeviceSpec): CitationProblem[] {
  const out: CitationProblem[] = [];
  for (const path of requiredCitationPaths(device)) {
    const c = device.citations[path];
    const v = fieldAt(device, path);
    if (c === undefined)
      out.push({ path, problem: v == null ? `null without a "${UNSOURCED}: …" reason` : "no citation" });
    else if (v == null && !c.startsWith(UNSOURCED))
      out.push({ path, problem: `null, but its citation is not a "${UNSOURCED}: …" reason` });
  }
  for (const path of Object.keys(device.citations)) {
    const parent = fieldAt(device, path.split(".").slice(0, -1).join("."));
    const optionalPeak = path.startsWith("gpu.peaks.") && device.gpu !== null;
    if ((parent === null || typeof parent !== "object") && !optionalPeak) {
      out.push({ path, problem: "cites a field the entry does not have" });
    }
  }
  return out;
}
