/** The probe: this machine's description and measured read bandwidth, as one JSON document. */
import {
  DEFAULT_BANDWIDTH_SIZES,
  effectiveDramGBps,
  measureBandwidth,
  type BandwidthMethod,
  type BandwidthPoint,
} from "./bandwidth.js";
import { machineInfo, type MachineInfo } from "./machine.js";
import type { ComputePoint } from "./compute-probe.js";

export interface ProbeResult {
  schema: "slm-energy/probe@1";
  measured_at: string;
  machine: MachineInfo;
  bandwidth: BandwidthPoint[];
  /** Best memchr read bandwidth beyond the last-level cache (null if no such point). */
  effective: { gbps: number; threads: number; bufferBytes: number; method: BandwidthMethod } | null;
  /** llama.cpp prefill compute rate per quantization (absent when not measured). */
  compute?: ComputePoint[];
}

export interface ProbeOptions {
  sizesBytes?: number[];
  threads?: number[];
  methods?: BandwidthMethod[];
  trials?: number;
  onPoint?: (p: BandwidthPoint) => void;
}

export async function runProbe(o: ProbeOptions = {}): Promise<ProbeResult> {
  const machine = machineInfo();
  const sizes = o.sizesBytes ?? DEFAULT_BANDWIDTH_SIZES;
  const points = await measureBandwidth({
    sizesBytes: sizes,
    ...(o.threads ? { threads: o.threads } : {}),
    ...(o.methods ? { methods: o.methods } : {}),
    ...(o.trials ? { trials: o.trials } : {}),
    ...(o.onPoint ? { onPoint: o.onPoint } : {}),
  });
  // DRAM: total bytes in flight at least 4 × the last-level cache (32 MiB assumed when unknown).
  const eff = effectiveDramGBps(points, 4 * (machine.llcBytes ?? 32 * 2 ** 20));
  return {
    schema: "slm-energy/probe@1",
    measured_at: new Date().toISOString(),
    machine,
    bandwidth: points,
    effective: eff
      ? { gbps: eff.bestGBps, threads: eff.threads, bufferBytes: eff.bufferBytes, method: eff.method }
      : null,
  };
}
