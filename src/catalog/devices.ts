import { readFileSync } from "node:fs";
import { join } from "node:path";
import { notFoundError } from "../errors.js";
import { isDeviceId, type DeviceId } from "../domain/ids.js";
import { parseJsonWithLines } from "./json-lines.js";
import { JsonCursor } from "./json-cursor.js";

/** One nvpmodel-style power mode: the clocks, cores and memory bandwidth it allows. */
export interface PowerMode {
  id: string;
  label: string;
  /** The mode's power budget (nvpmodel); null where the mode is uncapped or the board has none. */
  powerBudgetW: number | null;
  cpuCoresOnline: number;
  cpuMaxClockGHz: number;
  gpuMaxClockMHz: number | null;
  memoryDataRateMTs: number;
  /** Peak DRAM bandwidth in this mode, GB/s (10^9 bytes/s). */
  memoryBandwidthGBps: number;
  /** Full-load board power used by the uncalibrated spec-sheet baseline only. */
  specPowerW: number;
  /** Typical idle draw of the board in this mode (an assumption; null or absent when unknown). */
  idlePowerW?: number | null;
  source: string;
}

export interface CpuSpec {
  core: string;
  isa: string;
  cores: number;
  /** Peak FP32 FLOPs per cycle per core (2 × FMA lanes). */
  fp32FlopsPerCyclePerCore: number;
  /** ARMv8.2 SDOT/UDOT int8 dot products (llama.cpp's fast quantized matmul path). */
  int8DotProduct: boolean;
}

export interface GpuSpec {
  architecture: string;
  cudaCores: number;
  tensorCores: number;
  fp32FlopsPerCyclePerCore: number;
}

export interface SensorSpec {
  name: string;
  tool: string;
  rails: string[];
  note: string | null;
}

export interface PaperHardwareFigure {
  field: string;
  printed: string;
  value: number | string;
  /** The power mode this printed figure belongs to (the paper's table mixes modes). */
  powerMode: string;
}

export interface DeviceSpec {
  /** Canonical id for catalog devices; any slug for a user's spec file. */
  id: string;
  label: string;
  variant: string | null;
  soc: string | null;
  memory: { sizeGB: number; type: string; busWidthBits: number | null };
  diskGB: number | null;
  cpu: CpuSpec;
  gpu: GpuSpec | null;
  supplyW: number | null;
  sensors: SensorSpec[];
  defaultPowerMode: string;
  /** The power mode the paper profile assumes for this device, with why. */
  paperPowerMode: { powerMode: string; assumption: string } | null;
  powerModes: PowerMode[];
  paperHardwareTable: { printedRow: string; figures: PaperHardwareFigure[] } | null;
}

export interface DeviceCatalog {
  file: string;
  devices: DeviceSpec[];
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;

function readPowerMode(c: JsonCursor): PowerMode {
  return {
    id: c.key("id").string(),
    label: c.key("label").string(),
    powerBudgetW: c.key("powerBudgetW").optNumber({ exclusiveMin: 0 }),
    cpuCoresOnline: c.key("cpuCoresOnline").number({ integer: true, min: 1 }),
    cpuMaxClockGHz: c.key("cpuMaxClockGHz").number({ exclusiveMin: 0, max: 6 }),
    gpuMaxClockMHz: c.key("gpuMaxClockMHz").optNumber({ exclusiveMin: 0, max: 5000 }),
    memoryDataRateMTs: c.key("memoryDataRateMTs").number({ exclusiveMin: 0 }),
    memoryBandwidthGBps: c.key("memoryBandwidthGBps").number({ exclusiveMin: 0, max: 10000 }),
    specPowerW: c.key("specPowerW").number({ exclusiveMin: 0, max: 10000 }),
    idlePowerW: c.key("idlePowerW").optNumber({ min: 0, max: 10000 }),
    source: c.opt("source", (s) => s.string()) ?? "user spec",
  };
}

/** Read and check one device entry (a catalog item, or the whole of a `--device-spec` file). */
export function readDeviceSpec(c: JsonCursor): DeviceSpec {
  c.object();
  const id = c.key("id").string({ pattern: SLUG, hint: "use a lowercase slug such as my-board" });
  const memory = c.key("memory");
  const cpu = c.key("cpu");
  const cpuSpec: CpuSpec = {
    core: cpu.key("core").string(),
    isa: cpu.opt("isa", (x) => x.string()) ?? "unknown",
    cores: cpu.key("cores").number({ integer: true, min: 1, max: 512 }),
    fp32FlopsPerCyclePerCore: cpu.key("fp32FlopsPerCyclePerCore").number({ exclusiveMin: 0, max: 256 }),
    int8DotProduct: cpu.key("int8DotProduct").boolean(),
  };
  const gpu = c.opt("gpu", (g): GpuSpec => ({
    architecture: g.key("architecture").string(),
    cudaCores: g.key("cudaCores").number({ integer: true, min: 1 }),
    tensorCores: g.opt("tensorCores", (x) => x.number({ integer: true, min: 0 })) ?? 0,
    fp32FlopsPerCyclePerCore: g.opt("fp32FlopsPerCyclePerCore", (x) => x.number({ exclusiveMin: 0 })) ?? 2,
  }));
  const modesC = c.key("powerModes").array({ minLength: 1 });
  const powerModes = modesC.map(readPowerMode);
  const seen = new Set<string>();
  powerModes.forEach((m, i) => {
    const mc = modesC[i] as JsonCursor;
    if (seen.has(m.id)) throw mc.key("id").error(`duplicate power mode "${m.id}"`);
    seen.add(m.id);
    if (m.cpuCoresOnline > cpuSpec.cores) {
      throw mc.key("cpuCoresOnline").error(`more cores online than the CPU has (${cpuSpec.cores})`);
    }
    if (m.idlePowerW != null && m.idlePowerW >= m.specPowerW) {
      throw mc.key("idlePowerW").error(`idle power must be below the mode's spec power (${m.specPowerW} W)`);
    }
    if (m.gpuMaxClockMHz !== null && gpu === null) {
      throw mc
        .key("gpuMaxClockMHz")
        .error("a GPU clock is given but the device has no gpu entry", "set it to null or add a gpu entry");
    }
  });
  const modeIds = powerModes.map((m) => m.id);
  const defaultPowerMode = c.key("defaultPowerMode").oneOf(modeIds);
  const paperPowerMode = c.opt("paperPowerMode", (p) => ({
    powerMode: p.key("powerMode").oneOf(modeIds),
    assumption: p.key("assumption").string(),
  }));
  const paperHardwareTable = c.opt("paperHardwareTable", (t) => ({
    printedRow: t.key("printedRow").string(),
    figures: t
      .key("figures")
      .array()
      .map((fc): PaperHardwareFigure => {
        const v = fc.key("value");
        return {
          field: fc.key("field").string(),
          printed: fc.key("printed").string(),
          value: typeof v.value === "string" ? v.string() : v.number(),
          powerMode: fc.key("powerMode").oneOf(modeIds),
        };
      }),
  }));
  return {
    id,
    label: c.key("label").string(),
    variant: c.key("variant").optString(),
    soc: c.key("soc").optString(),
    memory: {
      sizeGB: memory.key("sizeGB").number({ exclusiveMin: 0, max: 4096 }),
      type: memory.key("type").string(),
      busWidthBits: memory.key("busWidthBits").optNumber({ integer: true, min: 8 }),
    },
    diskGB: c.key("diskGB").optNumber({ exclusiveMin: 0 }),
    cpu: cpuSpec,
    gpu,
    supplyW: c.key("supplyW").optNumber({ exclusiveMin: 0 }),
    sensors: (c.key("sensors").isMissing ? [] : c.key("sensors").array()).map((s) => ({
      name: s.key("name").string(),
      tool: s.key("tool").string(),
      rails: s
        .key("rails")
        .array()
        .map((r) => r.string()),
      note: s.key("note").optString(),
    })),
    defaultPowerMode,
    paperPowerMode,
    powerModes,
    paperHardwareTable,
  };
}

/** Parse the device catalog's text (schemaVersion 1). Ids must be unique. */
export function parseDeviceCatalog(text: string, file: string): DeviceCatalog {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  readSchemaVersion(root);
  const items = root.key("devices").array({ minLength: 1 });
  const devices = items.map(readDeviceSpec);
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    if (seen.has(d.id)) throw (items[i] as JsonCursor).key("id").error(`duplicate device id "${d.id}"`);
    seen.add(d.id);
  });
  return { file, devices };
}

/** Parse a user's `--device-spec` file: one device object, same fields as a catalog entry. */
export function parseDeviceSpecFile(text: string, file: string): DeviceSpec {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  const obj = root.object();
  return readDeviceSpec("device" in obj ? root.key("device") : root);
}

export function readSchemaVersion(root: JsonCursor): 1 {
  const v = root.key("schemaVersion").number({ integer: true });
  if (v !== 1)
    throw root
      .key("schemaVersion")
      .error("unsupported schemaVersion", "this version of slm-energy reads schemaVersion 1");
  return 1;
}

export const DEVICE_CATALOG_PATH = join("data", "catalog", "devices.json");

/** Load `data/catalog/devices.json` under the project root. */
export function loadDeviceCatalog(root: string): DeviceCatalog {
  const file = join(root, DEVICE_CATALOG_PATH);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw notFoundError("device catalog not found", {
      file,
      cause: e,
      hint: "run from the project root or set SLM_ENERGY_ROOT",
    });
  }
  return parseDeviceCatalog(text, file);
}

/** A catalog device by id, with a not-found error listing the known ids. */
export function findDevice(catalog: DeviceCatalog, id: string): DeviceSpec {
  const d = catalog.devices.find((x) => x.id === id);
  if (!d) {
    throw notFoundError(`unknown device "${id}"`, {
      file: catalog.file,
      hint: `known devices: ${catalog.devices.map((x) => x.id).join(", ")}; or describe a new board with --device-spec FILE`,
    });
  }
  return d;
}

/** A device's power mode by id (default mode when id is omitted). */
export function findPowerMode(device: DeviceSpec, id?: string | null): PowerMode {
  const want = id ?? device.defaultPowerMode;
  const m = device.powerModes.find((x) => x.id === want);
  if (!m) {
    throw notFoundError(`device "${device.id}" has no power mode "${want}"`, {
      hint: `its modes: ${device.powerModes.map((x) => x.id).join(", ")}`,
    });
  }
  return m;
}

/** Narrow a catalog device to the study's canonical ids (catalog devices only). */
export const isPaperDevice = (d: DeviceSpec): d is DeviceSpec & { id: DeviceId } => isDeviceId(d.id);
