import { resolve } from "node:path";
import { notFoundError, usageError } from "../../errors.js";
import { loadDeviceCatalog, type DeviceCatalog } from "../../io/catalog/devices.js";
import { loadModelCatalog, type ModelCatalog } from "../../io/catalog/models.js";
import { loadQuantCatalog, type QuantCatalog } from "../../io/catalog/quantization.js";
import { readTextFile } from "../../io/files.js";
import { observationsFromRunsCsv, type RejectedRow } from "../../io/model-runs.js";
import { loadPaper } from "../../io/paper.js";
import {
  observationsFromPaper,
  paperAssumptions,
  type Observation,
  type PaperAssumptions,
} from "../../model/observations.js";
import { buildWorld, type World } from "../../model/world.js";
import { isSlmError, SlmError } from "../../errors.js";
import { PATHS } from "../paths.js";

/**
 * The measured cells a calibration or validation runs on: the paper's tables (by default) and
 * ingested `runs.csv` files, with the catalogs and the world they need.
 */
export interface DataSelection {
  paper: boolean;
  runs: string[];
  allowSimulated?: boolean;
  /** `model=QUANT` and `device=MODE` overrides of the paper profile's assumptions. */
  quantOverrides?: Record<string, string>;
  powerModeOverrides?: Record<string, string>;
}

export interface LoadedData {
  observations: Observation[];
  rejected: RejectedRow[];
  world: World;
  devices: DeviceCatalog;
  models: ModelCatalog;
  quants: QuantCatalog;
  assumptions: PaperAssumptions;
  files: string[];
  kind: string;
}

/** Overrides must name catalog models and devices; the error's field says which selection (the CLI, which option). */
function checkOverrides(sel: DataSelection, devices: DeviceCatalog, models: ModelCatalog): void {
  for (const m of Object.keys(sel.quantOverrides ?? {}))
    if (!models.models.some((x) => x.id === m))
      throw new SlmError("E_USAGE", `the quantization override names unknown model "${m}"`, {
        field: "quantOverrides",
        hint: "use a catalog model id",
      });
  for (const d of Object.keys(sel.powerModeOverrides ?? {}))
    if (!devices.devices.some((x) => x.id === d))
      throw new SlmError("E_USAGE", `the power-mode override names unknown device "${d}"`, {
        field: "powerModeOverrides",
        hint: "use a catalog device id",
      });
}

function readRuns(f: string): string {
  try {
    return readTextFile(resolve(f), "runs file");
  } catch (e) {
    if (!(isSlmError(e) && e.code === "E_NOT_FOUND")) throw e;
    throw notFoundError("runs file not found", {
      file: f,
      cause: e,
      hint: "pass a runs.csv written by `slm-energy ingest` (data/processed/runs.csv)",
    });
  }
}

export function loadData(root: string, sel: DataSelection): LoadedData {
  const devices = loadDeviceCatalog(root);
  const models = loadModelCatalog(root);
  const quants = loadQuantCatalog(root);
  checkOverrides(sel, devices, models);
  const assumptions = paperAssumptions(models, devices, {
    quantByModel: sel.quantOverrides ?? {},
    powerModeByDevice: sel.powerModeOverrides ?? {},
  });
  const observations: Observation[] = [];
  const rejected: RejectedRow[] = [];
  const files: string[] = [];
  if (sel.paper) {
    observations.push(...observationsFromPaper(loadPaper(root), models, devices, assumptions));
    files.push(`${PATHS.paperDir}/consolidated.csv`, `${PATHS.paperDir}/throughput.csv`);
  }
  for (const f of sel.runs) {
    const r = observationsFromRunsCsv(
      readRuns(f),
      f,
      { devices, models, quants, quantByModel: assumptions.quantByModel },
      { allowSimulated: sel.allowSimulated ?? false },
    );
    observations.push(...r.observations);
    rejected.push(...r.rejected);
    files.push(f);
  }
  if (observations.length === 0)
    throw usageError(
      "no usable observations",
      rejected.length
        ? `all ${rejected.length} rows were rejected; see the reasons above`
        : "give runs to calibrate on, or leave the paper in",
    );
  const world = buildWorld(observations, devices, models, quants);
  const kind = sel.paper && sel.runs.length ? "paper+runs" : sel.paper ? "paper" : "runs";
  return { observations, rejected, world, devices, models, quants, assumptions, files, kind };
}
