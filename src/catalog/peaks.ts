/**
 * Spec-sheet peaks of a board in one power mode: DRAM bandwidth, FP32 compute and the highest
 * matrix-multiply rate a quantized llama.cpp kernel can use. Pure arithmetic on catalog fields;
 * every figure comes from cited catalog values (a printed peak, or cores × clock × FLOPs/cycle).
 */
import type { Backend } from "../domain/ids.js";
import { inputError } from "../errors.js";
import { findPowerMode, type DeviceSpec, type PowerMode } from "./devices.js";

export type MatmulKind = "fp32" | "fp16-tensor" | "fp16" | "int8-dot";

export interface BoardPeaks {
  /** Peak DRAM bandwidth of the mode, GB/s. */
  bandwidthGBps: number;
  /** Peak FP32 throughput of the backend's compute units in the mode, GFLOP/s. */
  fp32Gflops: number;
  /** Highest matmul peak a quantized llama.cpp kernel can use (GFLOP/s or GOP/s), of `matmulKind`. */
  matmulGflops: number;
  matmulKind: MatmulKind;
  /** How each figure was obtained, where it is not the plain spec-sheet value. */
  notes: string[];
}

/** The cores a mode keeps online, performance cores first, each with its clock capped by the mode. */
function onlineCores(
  device: DeviceSpec,
  mode: PowerMode,
): { count: number; clockGHz: number; flopsPerCycle: number }[] {
  const cpu = device.cpu;
  const types = cpu.coreTypes ?? [
    { core: cpu.core, count: cpu.cores, maxClockGHz: mode.cpuMaxClockGHz, fp32FlopsPerCyclePerCore: null },
  ];
  let left = mode.cpuCoresOnline;
  const out: { count: number; clockGHz: number; flopsPerCycle: number }[] = [];
  for (const t of types) {
    const count = Math.min(t.count, left);
    left -= count;
    if (count > 0) {
      out.push({
        count,
        clockGHz: Math.min(t.maxClockGHz, mode.cpuMaxClockGHz),
        flopsPerCycle: t.fp32FlopsPerCyclePerCore ?? cpu.fp32FlopsPerCyclePerCore,
      });
    }
  }
  return out;
}

/** CPU FP32 peak of a mode, GFLOP/s: Σ over the online core types of count × clock × FLOPs/cycle. */
export function cpuFp32Gflops(device: DeviceSpec, mode: PowerMode): number {
  return onlineCores(device, mode).reduce((a, c) => a + c.count * c.clockGHz * c.flopsPerCycle, 0);
}

/** CPU int8 dot-product peak of a mode, GOP/s; null where the cores lack it or no figure is cited. */
export function cpuInt8Gops(device: DeviceSpec, mode: PowerMode): number | null {
  const ops = device.cpu.int8OpsPerCyclePerCore;
  if (!device.cpu.int8DotProduct || ops === null) return null;
  return onlineCores(device, mode).reduce((a, c) => a + c.count * c.clockGHz * ops, 0);
}

/** The share of the GPU's CUDA cores a mode keeps powered (1 unless the mode gates TPCs). */
function gpuCoreShare(device: DeviceSpec, mode: PowerMode): number {
  const all = device.gpu?.cudaCores ?? null;
  return all !== null && mode.gpuCoresOnline !== null ? mode.gpuCoresOnline / all : 1;
}

/** A printed GPU peak (tera-units) at the mode's GPU clock and powered cores, in giga-units; null when not printed. */
function scaledGpuPeak(device: DeviceSpec, mode: PowerMode, tera: number | null): number | null {
  const at = device.gpu?.peaks?.atGpuClockMHz ?? null;
  if (tera === null) return null;
  const clock = at !== null && mode.gpuMaxClockMHz !== null ? mode.gpuMaxClockMHz / at : 1;
  return tera * 1000 * clock * gpuCoreShare(device, mode);
}

/**
 * GPU FP32 peak of a mode, GFLOP/s: powered CUDA cores × FLOPs/cycle × the mode's GPU clock where those are
 * known, else the printed FP32 peak scaled to the mode's clock; null when neither is known.
 */
export function gpuFp32Gflops(device: DeviceSpec, mode: PowerMode): number | null {
  const g = device.gpu;
  if (g === null) return null;
  if (g.cudaCores !== null && mode.gpuMaxClockMHz !== null) {
    return ((mode.gpuCoresOnline ?? g.cudaCores) * g.fp32FlopsPerCyclePerCore * mode.gpuMaxClockMHz) / 1000;
  }
  return scaledGpuPeak(device, mode, g.peaks?.fp32Tflops ?? null);
}

function gpuPeaks(device: DeviceSpec, mode: PowerMode): Omit<BoardPeaks, "bandwidthGBps"> {
  const fp32 = gpuFp32Gflops(device, mode);
  if (fp32 === null) {
    throw inputError(`device "${device.id}" has no GPU compute figure in power mode "${mode.id}"`, {
      field: "gpu",
      hint: "give the gpu entry cudaCores and the mode a gpuMaxClockMHz, or a printed gpu.peaks.fp32Tflops",
    });
  }
  const notes: string[] = [];
  const at = device.gpu?.peaks?.atGpuClockMHz ?? null;
  if (at !== null && mode.gpuMaxClockMHz !== null && at !== mode.gpuMaxClockMHz) {
    notes.push(`printed GPU peaks scaled from ${at} MHz to the mode's ${mode.gpuMaxClockMHz} MHz`);
  }
  if (mode.gpuCoresOnline !== null) notes.push(`the mode powers ${mode.gpuCoresOnline} of the GPU's CUDA cores`);
  const fp16 = scaledGpuPeak(device, mode, device.gpu?.peaks?.fp16Tflops ?? null);
  if (fp16 !== null && fp16 > fp32) {
    const kind = (device.gpu?.tensorCores ?? 0) > 0 ? "fp16-tensor" : "fp16";
    return { fp32Gflops: fp32, matmulGflops: fp16, matmulKind: kind, notes };
  }
  notes.push(
    fp16 === null ? "no printed FP16 peak: matmul at the FP32 peak" : "FP16 peak not above FP32: matmul at FP32",
  );
  return { fp32Gflops: fp32, matmulGflops: fp32, matmulKind: "fp32", notes };
}

function cpuPeaks(device: DeviceSpec, mode: PowerMode): Omit<BoardPeaks, "bandwidthGBps"> {
  const fp32 = cpuFp32Gflops(device, mode);
  const notes: string[] = [];
  if (device.cpu.coreTypes !== null) notes.push("FP32 summed over the hybrid CPU's core types");
  const int8 = cpuInt8Gops(device, mode);
  if (int8 !== null && int8 > fp32) return { fp32Gflops: fp32, matmulGflops: int8, matmulKind: "int8-dot", notes };
  notes.push(
    device.cpu.int8DotProduct
      ? "int8 dot product present but no cited int8 rate: matmul at the FP32 peak"
      : "no int8 dot product: matmul at the FP32 peak",
  );
  return { fp32Gflops: fp32, matmulGflops: fp32, matmulKind: "fp32", notes };
}

/** The peaks of `device` with `backend` in a power mode (default: the device's default mode). */
export function boardPeaks(device: DeviceSpec, backend: Backend, powerModeId?: string | null): BoardPeaks {
  const mode = findPowerMode(device, powerModeId);
  const compute = backend === "gpu" ? gpuPeaks(device, mode) : cpuPeaks(device, mode);
  const notes = [...compute.notes];
  if (device.measured !== null) {
    notes.push(`spec-sheet peaks; the device also carries measured values (${device.measured.source})`);
  }
  return { bandwidthGBps: mode.memoryBandwidthGBps, ...compute, notes };
}
