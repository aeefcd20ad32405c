import { inputError } from "../errors.js";
import type { Backend } from "../domain/ids.js";
import type { Hardware } from "../io/calibration-schema.js";
import { findPowerMode, type DeviceSpec } from "../catalog/devices.js";
import { cpuFp32Gflops, gpuFp32Gflops } from "../catalog/peaks.js";

/** A platform as the model sees it (typed from its schema, io/calibration-schema.ts). */
export type { Hardware } from "../io/calibration-schema.js";

export const hardwareId = (device: string, backend: Backend, powerMode: string): string =>
  `${device}/${backend}/${powerMode}`;

export function hardwareOf(device: DeviceSpec, backend: Backend, powerModeId?: string | null): Hardware {
  const mode = findPowerMode(device, powerModeId);
  let peakComputeGflops: number;
  let computeUnit: string;
  if (backend === "gpu") {
    const gpuGflops = gpuFp32Gflops(device, mode);
    if (!device.gpu || gpuGflops === null) {
      const why = device.gpu
        ? `has a GPU but no compute rate for it in power mode "${mode.id}" (no source prints one: see its citations)`
        : `has no GPU usable for inference in power mode "${mode.id}"`;
      throw inputError(`device "${device.id}" ${why}`, {
        field: "backend",
        hint:
          "use the cpu backend, or give the device a gpu entry with cudaCores and a gpuMaxClockMHz " +
          "(or a printed gpu.peaks.fp32Tflops)",
      });
    }
    peakComputeGflops = gpuGflops;
    computeUnit = `gpu:${device.gpu.architecture}`;
  } else {
    peakComputeGflops = cpuFp32Gflops(device, mode);
    computeUnit = `cpu:${device.cpu.core}`;
  }
  return {
    id: hardwareId(device.id, backend, mode.id),
    device: device.id,
    backend,
    powerMode: mode.id,
    peakComputeGflops,
    peakBandwidthGBps: mode.memoryBandwidthGBps,
    memoryGB: device.memory.sizeGB,
    specPowerW: mode.specPowerW,
    idlePowerW: mode.idlePowerW ?? null,
    supplyW: device.supplyW,
    computeUnit,
    int8DotProduct: device.cpu.int8DotProduct,
  };
}
