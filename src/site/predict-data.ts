/**
 * The predictor page's model: what the site embeds (catalogs, calibration, the corpus as model
 * cases) and one query from the form's values, answered by the same `predictQuery` the CLI's
 * `predict` calls. Pure: runs in the browser bundle and in node (tests).
 */
import { findDevice, type DeviceCatalog } from "../catalog/devices.js";
import { resolveGridIntensity, type GridCatalog } from "../catalog/grid-intensity.js";
import { findModel, paperQuant, type ModelCatalog } from "../catalog/models.js";
import type { QuantCatalog } from "../catalog/quantization.js";
import { isBackend } from "../domain/ids.js";
import { usageError } from "../errors.js";
import type { GgufHeader } from "../gguf/reader.js";
import { parseModelSpecFile } from "../io/catalog/model-spec.js";
import type { Calibration } from "../model/calibration.js";
import type { CommunityCase } from "../model/community/case.js";
import { fitCommunityModel } from "../model/community/fit.js";
import { QUERY_RUNTIMES } from "../model/community/from-catalog.js";
import { fitPowerModel, type PowerCase } from "../model/community/power.js";
import {
  choiceFromGguf,
  choiceFromSpec,
  predictQuery,
  type ModelChoice,
  type PredictAnswer,
  type PredictWorld,
} from "../model/predict-query.js";

/** Everything the predictor page embeds (assets/predict-data.js). */
export interface PredictSiteData {
  devices: DeviceCatalog;
  models: ModelCatalog;
  quants: QuantCatalog;
  calibration: Calibration;
  grid: GridCatalog;
  /** The corpus as the runtime-aware model's cases, and the power readings (fitted in the page on first use). */
  corpus: { cases: CommunityCase[]; powerCases: PowerCase[] };
}

/** The world a page predicts in: the embedded data, the corpus fit made once, on demand. */
export function siteWorld(data: PredictSiteData): PredictWorld {
  let fitted: ReturnType<PredictWorld["community"]> | undefined;
  return {
    quants: data.quants,
    calibration: data.calibration,
    community: () =>
      (fitted ??= { model: fitCommunityModel(data.corpus.cases), power: fitPowerModel(data.corpus.powerCases) }),
  };
}

/** The model field of the form: a catalog model, a model spec (JSON text) or a GGUF file's header. */
export type ModelInput =
  | { kind: "catalog"; id: string; quant: string | null }
  | { kind: "spec"; text: string; quant: string | null }
  | { kind: "gguf"; header: GgufHeader };

/** The form's values; the grid as none, a region code or an intensity (gCO2e/kWh). */
export interface PredictForm {
  device: string;
  backend: string;
  powerMode: string | null;
  /** "" or undefined: the paper calibration where it knows the board, else llama.cpp. */
  runtime: string | null;
  model: ModelInput;
  promptTokens: number;
  genTokens: number;
  grid: { kind: "none" } | { kind: "region"; code: string } | { kind: "intensity"; gCo2ePerKwh: number };
}

function modelChoice(data: PredictSiteData, m: ModelInput): ModelChoice {
  if (m.kind === "gguf") return choiceFromGguf(m.header);
  const model = m.kind === "catalog" ? findModel(data.models, m.id) : parseModelSpecFile(m.text, "model spec");
  if (m.quant === null && !model.paperProfile)
    throw usageError(`a quantization is required for ${model.id}`, "e.g. Q4_K_M");
  return choiceFromSpec(model, m.quant ?? paperQuant(model), data.quants);
}

const tokens = (n: number, what: string): number => {
  if (!Number.isInteger(n) || n < 0) throw usageError(`${what} must be a whole number ≥ 0, got ${n}`);
  return n;
};

/** Answer the form as `slm-energy predict --json` answers the same options. */
export function predictForm(data: PredictSiteData, world: PredictWorld, f: PredictForm): PredictAnswer {
  if (!isBackend(f.backend)) throw usageError(`backend must be cpu or gpu, got "${f.backend}"`);
  if (f.runtime !== null && !(QUERY_RUNTIMES as readonly string[]).includes(f.runtime))
    throw usageError(`unknown runtime "${f.runtime}"`, `use one of ${QUERY_RUNTIMES.join(", ")}`);
  const promptTokens = tokens(f.promptTokens, "prompt tokens");
  const genTokens = tokens(f.genTokens, "generated tokens");
  if (promptTokens + genTokens === 0) throw usageError("nothing to compute: prompt and generated tokens are both 0");
  const grid = resolveGridIntensity(
    f.grid.kind === "region"
      ? { region: f.grid.code }
      : f.grid.kind === "intensity"
        ? { intensityGCo2ePerKwh: f.grid.gCo2ePerKwh }
        : {},
    () => data.grid,
  );
  return predictQuery(world, {
    device: findDevice(data.devices, f.device),
    backend: f.backend,
    powerMode: f.powerMode,
    choice: modelChoice(data, f.model),
    workload: { promptTokens, genTokens, contextTokens: 0, scoring: "generate" },
    runtime: f.runtime ?? undefined,
    grid,
  });
}
