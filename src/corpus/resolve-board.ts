/**
 * A corpus row's board, power mode and backend as the catalog knows them. A row that names a power
 * mode must name one of the board's; a blank one means the board's default mode, and says so.
 */
import { findPowerMode, type DeviceCatalog, type DeviceSpec } from "../catalog/devices.js";
import type { Backend } from "../domain/ids.js";
import { inputError } from "../errors.js";
import type { CorpusRow } from "../io/corpus.js";

export interface ResolvedCorpusBoard {
  device: DeviceSpec;
  /** Power mode id in the device catalog. */
  powerMode: string;
  /** "printed": the row names the mode; "board default": the row leaves it blank. */
  powerModeSource: "printed" | "board default";
  /** Why a blank mode resolved to `powerMode`: the board's default, or the mode its unprinted runs used. */
  powerModeNote: string | null;
  backend: Backend;
}

/** Where the row is, for the error (the corpus file and the row's line). */
export interface CorpusRowPlace {
  file?: string;
  line?: number;
}

const BACKEND_OF: Record<CorpusRow["backend"], Backend> = {
  cpu: "cpu",
  cuda: "gpu",
  metal: "gpu",
  vulkan: "gpu",
  opencl: "gpu",
};

/** `MAXN SUPER`, `maxn-super` and `MAXN_SUPER` name the same mode. */
const modeKey = (s: string): string =>
  s
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");

function fail(row: CorpusRow, at: CorpusRowPlace, field: string, message: string, hint: string): never {
  throw inputError(`corpus row "${row.rowId}": ${message}`, { ...at, field, hint });
}

export function resolveCorpusBoard(
  row: CorpusRow,
  devices: DeviceCatalog,
  at: CorpusRowPlace = {},
): ResolvedCorpusBoard {
  const device = devices.devices.find((d) => d.id === row.board);
  if (!device) {
    fail(
      row,
      at,
      "board",
      `board "${row.board}" is not in the device catalog`,
      `add it to ${devices.file}, or use one of its ids`,
    );
  }
  const backend = BACKEND_OF[row.backend];
  if (backend === "gpu" && device.gpu === null) {
    fail(
      row,
      at,
      "backend",
      `backend "${row.backend}" needs a GPU, and ${device.id} has none in the catalog`,
      "use backend cpu, or give the device a gpu entry",
    );
  }
  if (row.powerMode === null) {
    const unprinted = device.unprintedPowerMode;
    if (unprinted !== null) {
      return {
        device,
        powerMode: unprinted.powerMode,
        powerModeSource: "board default",
        powerModeNote: unprinted.reason,
        backend,
      };
    }
    const mode = findPowerMode(device).id;
    const note = `no power mode printed: ${device.id}'s default mode ${mode}`;
    return { device, powerMode: mode, powerModeSource: "board default", powerModeNote: note, backend };
  }
  const want = modeKey(row.powerMode);
  const mode = device.powerModes.find((m) => modeKey(m.id) === want);
  if (!mode) {
    fail(
      row,
      at,
      "power_mode",
      `power mode "${row.powerMode}" is not one of ${device.id}'s`,
      `its modes: ${device.powerModes.map((m) => m.id).join(", ")}`,
    );
  }
  return { device, powerMode: mode.id, powerModeSource: "printed", powerModeNote: null, backend };
}
