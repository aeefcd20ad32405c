/** The probe: this machine's description and measured read bandwidth, as one JSON document. */
import type { z } from "zod";
import type { ProbeResultSchema } from "../io/probe/schema.js";
import { effectiveDramGBps, type BandwidthMethod, type BandwidthPoint } from "./bandwidth.js";
import type { MachineInfo } from "./machine.js";

/** probe.json: the machine, every bandwidth point, the effective DRAM figure (and compute rates). */
export type ProbeResult = z.output<typeof ProbeResultSchema>;

export interface ProbeOptions {
  sizesBytes?: number[];
  threads?: number[];
  methods?: BandwidthMethod[];
  trials?: number;
  onPoint?: (p: BandwidthPoint) => void;
}

/** Last-level cache assumed when the machine does not say (bytes). */
export const ASSUMED_LLC_BYTES = 32 * 2 ** 20;

/** The probe's document from the machine and its bandwidth points, measured at `measuredAt`. */
export function probeResult(machine: MachineInfo, points: BandwidthPoint[], measuredAt: Date): ProbeResult {
  // DRAM: total bytes in flight at least 4 × the last-level cache.
  const eff = effectiveDramGBps(points, 4 * (machine.llcBytes ?? ASSUMED_LLC_BYTES));
  return {
    schema: "slm-energy/probe@1",
    machine,
    bandwidth: points,
    effective: eff
      ? { gbps: eff.bestGBps, threads: eff.threads, bufferBytes: eff.bufferBytes, method: eff.method }
      : null,
    measuredAt: measuredAt.toISOString(),
  };
}
