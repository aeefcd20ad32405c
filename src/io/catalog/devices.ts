import { join } from "node:path";
import { z } from "zod";
import { PATHS } from "../../pipeline/paths.js";
import { decodeJson } from "../json.js";
import {
  bool,
  list,
  num,
  object,
  parseCatalogJson,
  orDefault,
  orNull,
  readCatalogText,
  repeats,
  schemaVersion,
  slug,
  text,
  uniqueIdList,
  unwrap,
} from "./fields.js";

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
  memoryDataRateMTs: num({ exclusiveMin: 0 }),
  /** Peak DRAM bandwidth in this mode, GB/s (10^9 bytes/s). */
  memoryBandwidthGBps: num({ exclusiveMin: 0, max: 10000 }),
  /** Full-load board power used by the uncalibrated spec-sheet baseline only. */
  specPowerW: num({ exclusiveMin: 0, max: 10000 }),
  /** Typical idle draw of the board in this mode (an assumption; null or absent when unknown). */
  idlePowerW: num({ min: 0, max: 10000 }).nullish(),
  source: orDefault(text(), () => "user spec"),
});

export const CpuSpecSchema = object({
  core: text(),
  isa: orDefault(text(), () => "unknown"),
  cores: num({ integer: true, min: 1, max: 512 }),
  /** Peak FP32 FLOPs per cycle per core (2 × FMA lanes). */
  fp32FlopsPerCyclePerCore: num({ exclusiveMin: 0, max: 256 }),
  /** ARMv8.2 SDOT/UDOT int8 dot products (llama.cpp's fast quantized matmul path). */
  int8DotProduct: bool(),
});

export const GpuSpecSchema = object({
  architecture: text(),
  cudaCores: num({ integer: true, min: 1 }),
  tensorCores: orDefault(num({ integer: true, min: 0 }), () => 0),
  fp32FlopsPerCyclePerCore: orDefault(num({ exclusiveMin: 0 }), () => 2),
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
});

/** One device entry: a catalog item, or the whole of a `--device-spec` file. */
export const DeviceSpecSchema = DeviceFieldsSchema.superRefine(checkDevice);

export type PowerMode = z.output<typeof PowerModeSchema>;
export type CpuSpec = z.output<typeof CpuSpecSchema>;
export type GpuSpec = z.output<typeof GpuSpecSchema>;
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
    if (m.gpuMaxClockMHz !== null && d.gpu === null) {
      issue(
        ["powerModes", i, "gpuMaxClockMHz"],
        "a GPU clock is given but the device has no gpu entry",
        "set it to null or add a gpu entry",
      );
    }
  });
  const modeIds = d.powerModes.map((m) => m.id);
  const modeRef = (path: PropertyKey[], id: string) => {
    if (!modeIds.includes(id)) issue(path, `expected one of ${[...new Set(modeIds)].join(", ")}`);
  };
  modeRef(["defaultPowerMode"], d.defaultPowerMode);
  if (d.paperPowerMode !== null) modeRef(["paperPowerMode", "powerMode"], d.paperPowerMode.powerMode);
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
