/**
 * A device spec for this machine in the catalog's format (`data/catalog/devices.json` entries,
 * read back by `parseDeviceSpecFile`), with the measured effective bandwidth in place of a
 * spec-sheet peak. Every figure that is estimated rather than read says so in `source`.
 */
import type { DeviceSpec } from "../catalog/devices.js";
import { fp32FlopsPerCycleEstimate, hasInt8Dot, type MachineInfo } from "./machine.js";

export interface DeviceSpecInputs {
  id: string;
  machine: MachineInfo;
  /** Measured effective DRAM read bandwidth, GB/s. */
  measuredGBps: number;
  /** How the bandwidth was measured (for `source`). */
  bandwidthMethod: string;
  /** Full-load power for the spec-sheet baseline (W); null → an estimate, labelled. */
  specPowerW: number | null;
  /** llama.cpp's best measured prefill compute rate (GFLOP/s) and how it was measured; null when not probed. */
  compute?: { gflops: number; method: string } | null;
}

/** Watts per logical CPU used when no full-load power is given: an order of magnitude only. */
export const ESTIMATED_W_PER_CPU = 10;

export function buildDeviceSpec(i: DeviceSpecInputs): DeviceSpec & { probe: Record<string, unknown> } {
  const m = i.machine;
  const clock = m.clockGHz ?? 2;
  const specPowerW = i.specPowerW ?? ESTIMATED_W_PER_CPU * m.logicalCpus;
  return {
    id: i.id,
    label: `${m.cpuModel} (${m.logicalCpus} CPUs${m.virtualized ? ", virtual machine" : ""})`,
    variant: null,
    soc: null,
    memory: { sizeGB: Math.round((m.memoryBytes / 1e9) * 10) / 10, type: "unknown", busWidthBits: null },
    diskGB: null,
    cpu: {
      core: m.cpuModel,
      isa: [m.arch, ...m.features].join(" "),
      cores: m.logicalCpus,
      fp32FlopsPerCyclePerCore: fp32FlopsPerCycleEstimate(m.features),
      int8DotProduct: hasInt8Dot(m.features),
      int8OpsPerCyclePerCore: null,
      coreTypes: null,
    },
    gpu: null,
    supplyW: null,
    sensors: [],
    defaultPowerMode: "as-probed",
    paperPowerMode: null,
    powerModes: [
      {
        id: "as-probed",
        label: "as probed by slm-energy probe",
        powerBudgetW: null,
        cpuCoresOnline: m.logicalCpus,
        cpuMaxClockGHz: Math.min(6, clock),
        gpuMaxClockMHz: null,
        gpuCoresOnline: null,
        // Not readable from user space: the data rate equivalent of the measured bandwidth on a 64-bit bus.
        memoryDataRateMTs: Math.round((i.measuredGBps * 1e3) / 8),
        memoryBandwidthGBps: Math.round(i.measuredGBps * 100) / 100,
        specPowerW,
        source:
          `slm-energy probe on ${m.hostname}: memoryBandwidthGBps is the MEASURED effective read bandwidth ` +
          `(${i.bandwidthMethod}), ` +
          `not a spec-sheet peak; memoryDataRateMTs is derived from it assuming a 64-bit bus (not read); ` +
          `cpuMaxClockGHz from ${m.clockSource ?? "no source (2 GHz assumed)"}; fp32FlopsPerCyclePerCore estimated ` +
          `from ISA flags; ` +
          (i.specPowerW === null
            ? `specPowerW ESTIMATED as ${ESTIMATED_W_PER_CPU} W per logical CPU (pass --spec-power-w)`
            : `specPowerW given by the user`),
      },
    ],
    paperHardwareTable: null,
    citations: {},
    measured: {
      memoryBandwidthGBps: Math.round(i.measuredGBps * 100) / 100,
      computeGflops: i.compute ? Math.round(i.compute.gflops * 10) / 10 : null,
      source:
        `slm-energy probe on ${m.hostname}: bandwidth by ${i.bandwidthMethod}` +
        (i.compute ? `; compute by ${i.compute.method}` : "; compute not probed (--no-compute)"),
    },
    unprintedPowerMode: null,
    probe: { machine: m },
  };
}
