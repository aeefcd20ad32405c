/**
 * The hardware class of a board's compute backend: what efficiencies pool over (Cortex-A76 cores,
 * Ampere GPUs, Apple M2 GPUs, x86 Raptor Cove cores …) and the family a class falls back to.
 */
import type { Backend } from "../domain/ids.js";
import { inputError } from "../errors.js";
import type { DeviceSpec } from "./devices.js";

export interface HardwareClass {
  /** e.g. `cpu:cortex-a76`, `cpu:x86-raptor-cove`, `gpu:ampere`, `gpu:apple-m2`. */
  id: string;
  /** e.g. `cpu:arm`, `cpu:x86`, `cpu:apple`, `gpu:nvidia`, `gpu:apple`. */
  family: string;
  label: string;
}

const slugOf = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

const isX86 = (isa: string): boolean => /^(x86|amd64|x64|i[3-6]86)/i.test(isa.trim());

function cpuClass(device: DeviceSpec): HardwareClass {
  const core = device.cpu.core;
  if (isX86(device.cpu.isa)) return { id: `cpu:x86-${slugOf(core)}`, family: "cpu:x86", label: `x86 ${core} cores` };
  if (/^apple\b/i.test(core)) return { id: `cpu:${slugOf(core)}`, family: "cpu:apple", label: `${core} cores` };
  return { id: `cpu:${slugOf(core)}`, family: "cpu:arm", label: `Arm ${core} cores` };
}

/** The class of `device`'s compute units for `backend`. */
export function hardwareClassOf(device: DeviceSpec, backend: Backend): HardwareClass {
  if (backend === "cpu") return cpuClass(device);
  const gpu = device.gpu;
  if (gpu === null) {
    throw inputError(`device "${device.id}" has no GPU`, { field: "gpu", hint: "use the cpu backend" });
  }
  const arch = slugOf(gpu.architecture);
  if (gpu.vendor === "apple") {
    const id = arch.startsWith("apple-") ? arch : `apple-${arch}`;
    return { id: `gpu:${id}`, family: "gpu:apple", label: `${gpu.architecture} GPU` };
  }
  const vendor = gpu.vendor === "nvidia" ? "NVIDIA" : "";
  return { id: `gpu:${arch}`, family: `gpu:${gpu.vendor}`, label: `${vendor} ${gpu.architecture} GPU`.trim() };
}
