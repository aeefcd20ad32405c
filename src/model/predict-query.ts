/**
 * One `predict` query, from resolved inputs to the `predict --json` document: the part the CLI and
 * the site's predictor page share, so both compute the same numbers with the same code. Pure: the
 * caller loads the catalogs, the calibration and the corpus fit (from disk, or embedded in a page).
 */
import type { Backend } from "../domain/ids.js";
import type { DeviceSpec } from "../catalog/devices.js";
import type { ModelSpec } from "../catalog/models.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import type { GridIntensity } from "../catalog/grid-intensity.js";
import type { GgufHeader } from "../gguf/reader.js";
import { co2eG } from "../metrics/co2e.js";
import type { Calibration } from "./calibration.js";
import type { CommunityModel, RatePrediction } from "./community/fit.js";
import { caseOf, powerCaseOf, runtimeBackendOf } from "./community/from-catalog.js";
import { familyOfTensorType, modelFromGguf } from "./gguf-model.js";
import { hardwareOf, type Hardware } from "./hardware.js";
import { modelPhysics } from "./physics.js";
import type { PredictionPoint, PredictWorkload } from "./predict-calibrated.js";
import { predictInference, type PredictReport, type PredictRequest, type RuntimeModelReport } from "./predict.js";
import { inventoryFromArchitecture } from "./tensors.js";
import type { MixedModelFit } from "../stats/mixed-model.js";

/** What a query predicts with: the quantization catalog, the paper calibration and the corpus fit (on demand). */
export interface PredictWorld {
  quants: QuantCatalog;
  calibration: Calibration;
  /** The runtime-aware model and the power model fitted on the corpus (called only when needed). */
  community: () => { model: CommunityModel; power: MixedModelFit | null };
}

/** The model of a query: its spec, tensor inventory and quantization. */
export type ModelChoice = Pick<PredictRequest, "model" | "inventory" | "quant" | "quantFamily">;

/** A catalog or spec-file model at the GGUF file type `quant` (F16, Q4_K_M …). */
export function choiceFromSpec(model: ModelSpec, quant: string, quants: QuantCatalog): ModelChoice {
  const ft = findFileType(quants, quant);
  return {
    model,
    inventory: inventoryFromArchitecture(model.architecture, ft.name, quants),
    quant: ft.name,
    quantFamily: ft.family,
  };
}

/** A GGUF file's model: architecture and every tensor's type from its header. */
export function choiceFromGguf(header: GgufHeader): ModelChoice {
  const g = modelFromGguf(header);
  return {
    model: g.spec,
    inventory: g.inventory,
    quant: g.inventory.quant,
    quantFamily: familyOfTensorType(g.inventory.quant),
  };
}

/** One query: board, backend and power mode, model, workload, runtime (optional) and grid (optional). */
export interface PredictQuery {
  device: DeviceSpec;
  backend: Backend;
  powerMode: string | null;
  choice: ModelChoice;
  workload: PredictWorkload;
  /** llama.cpp, ollama or mlc; undefined: the paper calibration where it knows the board, else llama.cpp. */
  runtime?: string | undefined;
  grid: GridIntensity | null;
}

/** What `probe` measured on a --device-spec board, and the spec-sheet figures it replaces. */
export interface MeasuredUse {
  memoryBandwidthGBps: number;
  computeGflops: number | null;
  source: string;
  specBandwidthGBps: number;
  specComputeGflops: number;
}

/** The query's prediction, the measured peaks it used (if any) and its `predict --json` document. */
export interface PredictAnswer {
  report: PredictReport;
  measured: MeasuredUse | null;
  json: ReturnType<typeof predictAnswerJson>;
}

/** Predict one query: the paper calibration for its boards, the runtime-aware model for the others or a runtime. */
export function predictQuery(world: PredictWorld, q: PredictQuery): PredictAnswer {
  const { hardware, measured } = withMeasured(hardwareOf(q.device, q.backend, q.powerMode), q.device);
  // The paper calibration keeps its boards (any power mode: same silicon, same runtime); the
  // runtime-aware model takes every other board, and any board when a runtime is named.
  const calibrated = Object.values(world.calibration.platforms).some(
    (p) => p.hardware.device === hardware.device && p.hardware.backend === hardware.backend,
  );
  const community =
    q.runtime !== undefined || !calibrated
      ? communityFor(world, { device: q.device, hardware, runtime: q.runtime ?? "llama.cpp", choice: q.choice })
      : undefined;
  const report = predictInference({
    calibration: world.calibration,
    hardware,
    ...q.choice,
    workload: q.workload,
    ...(community ? { community } : {}),
  });
  return { report, measured, json: predictAnswerJson(report, measured, q.grid) };
}

/** The whole `predict --json` document: the prediction, the measured peaks and the CO2e where they apply. */
function predictAnswerJson(report: PredictReport, measured: MeasuredUse | null, grid: GridIntensity | null) {
  return {
    ...predictionJson(report),
    ...(measured ? { measured: measuredJson(measured) } : {}),
    ...(grid ? co2eWithInterval(report, grid) : {}),
  };
}

/** CO2e of the predicted inference at `g`, with the energy interval's ends at that intensity (taken as exact). */
function co2eWithInterval(r: PredictReport, g: GridIntensity) {
  const at = (energyWh: number) => co2eJson(energyWh, g).co2e_g;
  return {
    ...co2eJson(r.energyWh, g),
    co2e_interval: {
      level: r.interval.level,
      low_g: at(r.interval.low.energyWh),
      high_g: at(r.interval.high.energyWh),
    },
  };
}

/** Measured bandwidth and compute (from `probe --device-spec`) over the spec sheet's. */
function withMeasured(hardware: Hardware, device: DeviceSpec): { hardware: Hardware; measured: MeasuredUse | null } {
  const m = device.measured;
  if (m === null) return { hardware, measured: null };
  const measured = {
    ...m,
    specBandwidthGBps: hardware.peakBandwidthGBps,
    specComputeGflops: hardware.peakComputeGflops,
  };
  return {
    hardware: {
      ...hardware,
      peakBandwidthGBps: m.memoryBandwidthGBps,
      peakComputeGflops: m.computeGflops ?? hardware.peakComputeGflops,
    },
    measured,
  };
}

/** The runtime-aware model, fitted on the corpus, and this query as one of its cases. */
function communityFor(
  world: PredictWorld,
  q: { device: DeviceSpec; hardware: Hardware; runtime: string; choice: ModelChoice },
): NonNullable<PredictRequest["community"]> {
  const fitted = world.community();
  const setting = {
    device: q.device,
    powerMode: q.hardware.powerMode,
    backend: q.hardware.backend,
    runtimeBackend: runtimeBackendOf(q.device, q.hardware.backend),
    runtime: q.runtime,
    runtimeVersion: null,
    model: q.choice.model,
    quant: q.choice.quant,
  };
  const measured = {
    id: "query",
    source: "query",
    threads: null,
    gpuLayers: null,
    promptTokens: null,
    prefillTokensPerS: null,
    genTokens: null,
    decodeTokensPerS: null,
  };
  const physics = modelPhysics(q.choice.inventory, q.choice.model.architecture);
  return {
    model: fitted.model,
    power: fitted.power,
    query: caseOf(setting, measured, world.quants, physics, q.choice.quantFamily),
    powerQuery: powerCaseOf(setting, "query", "query", { powerW: null, kind: null }),
  };
}

/** Six significant digits: the precision of every number `predict --json` prints. */
export const round6 = (x: number | null): number | null =>
  x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6));

/** One point of the `predict --json` document, under its wire names. */
function pointJson(p: PredictionPoint) {
  return {
    latency_s: round6(p.latencyS),
    prefill_s: round6(p.prefillS),
    decode_s: round6(p.decodeS),
    decode_tokens_per_s: round6(p.decodeTokensPerS),
    prefill_tokens_per_s: round6(p.prefillTokensPerS),
    power_w: round6(p.powerW),
    energy_wh: round6(p.energyWh),
    energy_j_per_token: round6(p.energyJPerToken),
    edp_js: round6(p.edpJs),
    active_energy_wh: round6(p.activeEnergyWh),
  };
}

/** The JSON interface of `predict --json` (field names fixed by the issue). */
export function predictionJson(r: PredictReport) {
  const { inputs: i, memory: m } = r;
  return {
    ...pointJson(r),
    idle_power_w: r.idlePowerW,
    interval: { level: r.interval.level, low: pointJson(r.interval.low), high: pointJson(r.interval.high) },
    inputs: {
      device: i.device,
      backend: i.backend,
      power_mode: i.powerMode,
      model: i.model,
      quant: i.quant,
      parameters: i.parameters,
      calibration: i.calibration,
    },
    workload: {
      prompt_tokens: round6(r.workload.promptTokens),
      gen_tokens: round6(r.workload.genTokens),
      context_tokens: r.workload.contextTokens,
      scoring: r.workload.scoring,
    },
    bound: r.bound,
    memory: {
      weights_gib: round6(m.weightsGib),
      kv_cache_gib: round6(m.kvCacheGib),
      runtime_gib: round6(m.runtimeGib),
      required_gib: round6(m.requiredGib),
      available_gib: round6(m.availableGib),
      fits: m.fits,
    },
    transfers: r.transfers,
    warnings: r.warnings,
    runtime_model: r.runtimeModel === null ? null : runtimeModelJson(r.runtimeModel),
  };
}

function rateJson(r: RatePrediction | null) {
  return r === null
    ? null
    : {
        tokens_per_s: round6(r.tokensPerS),
        low: round6(r.low),
        high: round6(r.high),
        efficiency: round6(r.efficiency),
        ceiling_tokens_per_s: round6(r.ceilingTokensPerS),
        capped: r.capped,
        unseen: r.unseen,
        priors: r.priors.map((p) => ({ group: p.group, level: p.level, factor: round6(p.factor), n: p.n })),
      };
}

function runtimeModelJson(m: RuntimeModelReport) {
  return {
    runtime: m.runtime,
    hardware_class: m.hardwareClass,
    class_family: m.classFamily,
    decode: rateJson(m.decode),
    prefill: rateJson(m.prefill),
    power_transferred: m.powerTransferred,
    notes: m.notes,
  };
}

const measuredJson = (m: MeasuredUse) => ({
  memory_bandwidth_gbps: m.memoryBandwidthGBps,
  compute_gflops: m.computeGflops,
  spec_memory_bandwidth_gbps: m.specBandwidthGBps,
  spec_compute_gflops: round6(m.specComputeGflops),
  source: m.source,
});

/** The JSON fields of a CO2e figure: grams for `energyWh` (null without energy) and the intensity used. */
export function co2eJson(energyWh: number | null, g: GridIntensity) {
  return {
    co2e_g: energyWh === null ? null : round6(co2eG(energyWh, g.intensityGCo2ePerKwh)),
    grid_intensity_g_per_kwh: g.intensityGCo2ePerKwh,
    grid_region: g.region,
    grid_year: g.year,
    grid_source: g.sourceUrl ?? g.source,
  };
}
