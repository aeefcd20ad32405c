import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { notFoundError, usageError } from "../errors.js";
import { loadDeviceCatalog, type DeviceCatalog } from "../io/catalog/devices.js";
import { loadModelCatalog, type ModelCatalog } from "../io/catalog/models.js";
import { loadQuantCatalog, type QuantCatalog } from "../io/catalog/quantization.js";
import { loadPaper } from "../io/paper.js";
import { observationsFromPaper, paperAssumptions, type Observation, type PaperAssumptions } from "./observations.js";
import { observationsFromRunsCsv, type RejectedRow } from "./runs.js";
import { buildWorld, type World } from "./world.js";

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

/** Parse `key=value` pairs of a repeated option. */
export function parsePairs(items: readonly string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(it);
    if (!m) throw usageError(`--${option} expects KEY=VALUE, got "${it}"`);
    out[(m[1] as string).trim()] = (m[2] as string).trim();
  }
  return out;
}

export function loadData(root: string, sel: DataSelection): LoadedData {
  const devices = loadDeviceCatalog(root);
  const models = loadModelCatalog(root);
  const quants = loadQuantCatalog(root);
  for (const m of Object.keys(sel.quantOverrides ?? {}))
    if (!models.models.some((x) => x.id === m)) throw usageError(`--quant names unknown model "${m}"`);
  for (const d of Object.keys(sel.powerModeOverrides ?? {}))
    if (!devices.devices.some((x) => x.id === d)) throw usageError(`--power-mode names unknown device "${d}"`);
  const assumptions = paperAssumptions(models, devices, {
    quantByModel: sel.quantOverrides ?? {},
    powerModeByDevice: sel.powerModeOverrides ?? {},
  });
  const observations: Observation[] = [];
  const rejected: RejectedRow[] = [];
  const files: string[] = [];
  if (sel.paper) {
    observations.push(...observationsFromPaper(loadPaper(root), models, devices, assumptions));
    files.push("data/paper/consolidated.csv", "data/paper/throughput.csv");
  }
  for (const f of sel.runs) {
    const path = resolve(f);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw notFoundError("runs file not found", {
        file: f,
        cause: e,
        hint: "pass a runs.csv written by `slm-energy ingest` (data/processed/runs.csv)",
      });
    }
    const r = observationsFromRunsCsv(
      text,
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
        : "give --data FILE or leave the paper in",
    );
  const world = buildWorld(observations, devices, models, quants);
  const kind = sel.paper && sel.runs.length ? "paper+runs" : sel.paper ? "paper" : "runs";
  return { observations, rejected, world, devices, models, quants, assumptions, files, kind };
}
