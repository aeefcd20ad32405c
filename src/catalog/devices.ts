import { notFoundError } from "../errors.js";
import { isDeviceId, type DeviceId } from "../domain/ids.js";
import type { DeviceCatalog, DeviceSpec, PowerMode } from "../io/catalog/devices.js";

/** Lookups in the device catalog. Its entries' types come from their schema (io/catalog/devices.ts). */
export type {
  CpuSpec,
  DeviceCatalog,
  DeviceSpec,
  GpuSpec,
  PaperHardwareFigure,
  PowerMode,
  SensorSpec,
} from "../io/catalog/devices.js";

/** A catalog device by id, with a not-found error listing the known ids. */
export function findDevice(catalog: DeviceCatalog, id: string): DeviceSpec {
  const d = catalog.devices.find((x) => x.id === id);
  if (!d) {
    throw notFoundError(`unknown device "${id}"`, {
      file: catalog.file,
      hint:
        `known devices: ${catalog.devices.map((x) => x.id).join(", ")}; ` +
        "or describe a new board with --device-spec FILE",
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
