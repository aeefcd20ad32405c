import { join } from "node:path";
import { z } from "zod";
import { PATHS } from "../../pipeline/paths.js";
import { decodeJson } from "../json.js";
import {
  bool,
  list,
  oneOf,
  num,
  object,
  parseCatalogJson,
  orDefault,
  orNull,
  repeats,
  schemaVersion,
  slug,
  text,
  uniqueIdList,
  unwrap,
} from "./fields.js";
import { readCatalogText } from "./read-text.js";

/**
 * `data/catalog/devices.json` and the user's `--device-spec` files (one entry, same fields).
 * Every bad field of a file is reported at once, each with its line.
 */

/** One nvpmodel-style power mode: the clocks, cores and memory bandwidth it allows. */
export const PowerModeSchema = object({
  id: text(),
  label: text(),
  /** The mode's power budget (nvpmodel); null where the mode is uncapped or the board has none. */
  powerBudgetW: orNull(num({ exclusiveMin: 0 })),
  cpuCoresOnline: num({ integer: true, min: 1 }),
  cpuMaxClockGHz: num({ exclusiveMin: 0, max: 6 }),
  gpuMaxClockMHz: orNull(num({ exclusiveMin: 0, max: 5000 })),
  /** CUDA cores the mode keeps powered (nvpmodel TPC power gating); absent → all of them. */
  gpuCoresOnline: orNull(num({ integer: true, min: 1 })),
  memoryDataRateMTs: num({ exclusiveMin: 0 }),
  /** Peak DRAM bandwidth in this mode, GB/s (10^9 bytes/s). */
  memoryBandwidthGBps: num({ exclusiveMin: 0, max: 10000 }),
  /** Full-load board power used by the uncalibrated spec-sheet baseline only. */
  specPowerW: num({ exclusiveMin: 0, max: 10000 }),
  /** Typical idle draw of the board in this mode (an assumption; null or absent when unknown). */
  idlePowerW: num({ min: 0, max: 10000 }).nullish(),
  /** The vendor's maximum power (module max, TDP, maximum turbo power) in this mode; null or absent when unknown. */
  maxPowerW: num({ exclusiveMin: 0, max: 10000 }).nullish(),
  source: orDefault(text(), () => "user spec"),
});

/** One kind of core of a hybrid CPU (performance, efficiency, low-power efficiency). */
export const CpuCoreTypeSchema = object({
  core: text(),
  count: num({ integer: true, min: 1, max: 512 }),
  maxClockGHz: num({ exclusiveMin: 0, max: 6 }),
  /** Peak FP32 FLOPs per cycle of this core type; absent → the CPU's fp32FlopsPerCyclePerCore. */
  fp32FlopsPerCyclePerCore: orNull(num({ exclusiveMin: 0, max: 256 })),
});

export const CpuSpecSchema = object({
  /** The (performance) core type. */
  core: text(),
  isa: orDefault(text(), () => "unknown"),
  cores: num({ integer: true, min: 1, max: 512 }),
  /** Peak FP32 FLOPs per cycle per core (2 × FMA lanes). */
  fp32FlopsPerCyclePerCore: num({ exclusiveMin: 0, max: 256 }),
  /** ARMv8.2 SDOT/UDOT int8 dot products (llama.cpp's fast quantized matmul path). */
  int8DotProduct: bool(),
  /** Peak int8 multiply-accumulate ops (2 per MAC) per cycle per core with the dot-product path; null when uncited. */
  int8OpsPerCyclePerCore: orNull(num({ exclusiveMin: 0, max: 4096 })),
  /** Hybrid CPUs: every core type with its count and clock (their counts add up to `cores`). */
  coreTypes: orNull(list(CpuCoreTypeSchema, 1)),
});

export const GPU_VENDORS = ["nvidia", "apple", "other"] as const;

/** Peak throughputs a vendor prints for the GPU, at one GPU clock; each null where no sheet prints it. */
export const GpuPeaksSchema = object({
  fp32Tflops: orNull(num({ exclusiveMin: 0, max: 10000 })),
  /** Dense FP16 with tensor cores where the GPU has them. */
  fp16Tflops: orNull(num({ exclusiveMin: 0, max: 10000 })),
  /** Dense INT8 (a sheet printing sparse TOPS only: sparse / 2, said in the citation). */
  int8Tops: orNull(num({ exclusiveMin: 0, max: 100000 })),
  /** The GPU clock the peaks are printed for; null where the sheet does not say (peaks are then not scaled). */
  atGpuClockMHz: orNull(num({ exclusiveMin: 0, max: 5000 })),
});

export const GpuSpecSchema = object({
  architecture: text(),
  vendor: orDefault(oneOf(GPU_VENDORS), () => "nvidia" as const),
  /** NVIDIA CUDA cores; null for GPUs that are not counted in CUDA cores (Apple). */
  cudaCores: orNull(num({ integer: true, min: 1 })),
  /** The vendor's own count of GPU cores where it is not CUDA cores (Apple's "76-core GPU"). */
  gpuCores: orNull(num({ integer: true, min: 1 })),
  tensorCores: orDefault(num({ integer: true, min: 0 }), () => 0),
  fp32FlopsPerCyclePerCore: orDefault(num({ exclusiveMin: 0 }), () => 2),
  peaks: orNull(GpuPeaksSchema),
});

/** What `slm-energy probe` measured on the board; `predict` uses these over the spec-sheet peaks. */
export const MeasuredSchema = object({
  memoryBandwidthGBps: num({ exclusiveMin: 0, max: 10000 }),
  /** Effective compute rate (GFLOP/s) llama.cpp reached; null when the compute probe was skipped. */
  computeGflops: orNull(num({ exclusiveMin: 0, max: 1e7 })),
  source: text(),
});

export const SensorSpecSchema = object({
  name: text(),
  tool: text(),
  rails: list(text()),
  note: orNull(text()),
});

export const PaperHardwareFigureSchema = object({
  field: text(),
  printed: text(),
  value: z.union([num(), text()], { error: "expected a finite number or a non-empty string" }),
  /** The power mode this printed figure belongs to (the paper's table mixes modes). */
  powerMode: text(),
});

const MemorySchema = object({
  sizeGB: num({ exclusiveMin: 0, max: 4096 }),
  type: text(),
  busWidthBits: orNull(num({ integer: true, min: 8 })),
});

const DeviceFieldsSchema = object({
  /** Canonical id for catalog devices; any slug for a user's spec file. */
  id: slug("use a lowercase slug such as my-board"),
  label: text(),
  variant: orNull(text()),
  soc: orNull(text()),
  memory: MemorySchema,
  diskGB: orNull(num({ exclusiveMin: 0 })),
  cpu: CpuSpecSchema,
  gpu: orNull(GpuSpecSchema),
  supplyW: orNull(num({ exclusiveMin: 0 })),
  sensors: orDefault(list(SensorSpecSchema), () => []),
  defaultPowerMode: text(),
  /** The power mode the paper profile assumes for this device, with why. */
  paperPowerMode: orNull(object({ powerMode: text(), assumption: text() })),
  powerModes: list(PowerModeSchema, 1),
  paperHardwareTable: orNull(object({ printedRow: text(), figures: list(PaperHardwareFigureSchema) })),
  /**
   * Field path (`memory.busWidthBits`, `powerModes.MAXN.memoryBandwidthGBps`, `gpu.peaks.fp16Tflops`)
   * → where the value is printed (datasheet + table/page, vendor page URL, repository file), or, for a
   * null field, why it is null ("no source prints this: …").
   */
  citations: orDefault(
    z.record(z.string(), text(), { error: "expected an object of field path → citation" }),
    () => ({}),
  ),
  measured: orNull(MeasuredSchema),
  /** The mode a measurement that prints none ran in, where that is not defaultPowerMode (with why). */
  unprintedPowerMode: orNull(object({ powerMode: text(), reason: text() })),
});

/** One device entry: a catalog item, or the whole of a `--device-spec` file. */
export const DeviceSpecSchema = DeviceFieldsSchema.superRefine(checkDevice);

export type PowerMode = z.output<typeof PowerModeSchema>;
export type CpuSpec = z.output<typeof CpuSpecSchema>;
export type GpuSpec = z.output<typeof GpuSpecSchema>;
export type GpuPeaks = z.output<typeof GpuPeaksSchema>;
export type CpuCoreType = z.output<typeof CpuCoreTypeSchema>;
export type MeasuredFacts = z.output<typeof MeasuredSchema>;
export type SensorSpec = z.output<typeof SensorSpecSchema>;
export type PaperHardwareFigure = z.output<typeof PaperHardwareFigureSchema>;
export type DeviceSpec = z.output<typeof DeviceSpecSchema>;

/** What no single field can say: the power modes agree with the CPU, the GPU and each other. */
function checkDevice(d: z.output<typeof DeviceFieldsSchema>, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string, hint?: string) =>
    ctx.addIssue({ code: "custom", path, message, ...(hint === undefined ? {} : { params: { hint } }) });
  for (const r of repeats(d.powerModes, (m) => m.id)) {
    issue(["powerModes", r.index, "id"], `duplicate power mode "${r.value}"`);
  }
  d.powerModes.forEach((m, i) => {
    if (m.cpuCoresOnline > d.cpu.cores) {
      issue(["powerModes", i, "cpuCoresOnline"], `more cores online than the CPU has (${d.cpu.cores})`);
    }
    if (m.idlePowerW != null && m.idlePowerW >= m.specPowerW) {
      issue(["powerModes", i, "idlePowerW"], `idle power must be below the mode's spec power (${m.specPowerW} W)`);
    }
    if (m.gpuCoresOnline !== null && (d.gpu?.cudaCores ?? 0) < m.gpuCoresOnline) {
      issue(["powerModes", i, "gpuCoresOnline"], "more GPU cores online than the gpu entry's cudaCores");
    }
    if (m.gpuMaxClockMHz !== null && d.gpu === null) {
      issue(
        ["powerModes", i, "gpuMaxClockMHz"],
        "a GPU clock is given but the device has no gpu entry",
        "set it to null or add a gpu entry",
      );
    }
  });
  if (d.cpu.coreTypes !== null) {
    const total = d.cpu.coreTypes.reduce((a, t) => a + t.count, 0);
    if (total !== d.cpu.cores)
      issue(["cpu", "coreTypes"], `core types add up to ${total} cores, not cpu.cores (${d.cpu.cores})`);
  }
  d.powerModes.forEach((m, i) => {
    if (m.idlePowerW != null && m.maxPowerW != null && m.idlePowerW >= m.maxPowerW) {
      issue(["powerModes", i, "maxPowerW"], `max power must be above the mode's idle power (${m.idlePowerW} W)`);
    }
  });
  const modeIds = d.powerModes.map((m) => m.id);
  const modeRef = (path: PropertyKey[], id: string) => {
    if (!modeIds.includes(id)) issue(path, `expected one of ${[...new Set(modeIds)].join(", ")}`);
  };
  modeRef(["defaultPowerMode"], d.defaultPowerMode);
  if (d.paperPowerMode !== null) modeRef(["paperPowerMode", "powerMode"], d.paperPowerMode.powerMode);
  if (d.unprintedPowerMode !== null) modeRef(["unprintedPowerMode", "powerMode"], d.unprintedPowerMode.powerMode);
  d.paperHardwareTable?.figures.forEach((f, i) =>
    modeRef(["paperHardwareTable", "figures", i, "powerMode"], f.powerMode),
  );
}

const DeviceCatalogFileSchema = object({
  schemaVersion,
  devices: uniqueIdList(DeviceSpecSchema, "device"),
});

export type DeviceCatalog = Pick<z.output<typeof DeviceCatalogFileSchema>, "devices"> & { file: string };

/** Parse the device catalog's text (schemaVersion 1). Ids must be unique. */
export function parseDeviceCatalog(text: string, file: string): DeviceCatalog {
  const { devices } = decodeJson(DeviceCatalogFileSchema, parseCatalogJson(text, file));
  return { file, devices };
}

/** Parse a user's `--device-spec` file: one device object (or `{"device": {...}}`), fields as in the catalog. */
export function parseDeviceSpecFile(text: string, file: string): DeviceSpec {
  const doc = parseCatalogJson(text, file);
  return decodeJson(DeviceSpecSchema, doc, unwrap(doc.value, "device"));
}

/** Load `data/catalog/devices.json` under the project root. */
export function loadDeviceCatalog(root: string): DeviceCatalog {
  const file = join(root, PATHS.deviceCatalog);
  return parseDeviceCatalog(readCatalogText(file, "device catalog"), file);
}
