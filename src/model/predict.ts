import { inputError } from "../errors.js";
import type { ModelSpec } from "../catalog/models.js";
import type { Calibration } from "./calibration.js";
import type { Hardware } from "./hardware.js";
import { modelPhysics, type ModelPhysics } from "./physics.js";
import { predictWithCalibration, type Prediction, type PredictWorkload } from "./predict-calibrated.js";
import type { TensorInventory } from "./tensors.js";
import type { MixedModelFit } from "../stats/mixed-model.js";
import type { CommunityCase } from "./community/case.js";
import type { CommunityModel, RatePrediction } from "./community/fit.js";
import { predictCommunity } from "./community/predict.js";
import type { PowerCase } from "./community/power.js";

/**
 * `predict`: one inference of a model on a platform, with its interval, the parameters borrowed
 * from calibrated platforms, and warnings when the answer extrapolates or the model does not fit.
 */
export interface PredictRequest {
  calibration: Calibration;
  hardware: Hardware;
  model: ModelSpec;
  inventory: TensorInventory;
  /** Quantization label (file type, or the dominant tensor type of a GGUF file) and its family. */
  quant: string;
  quantFamily: string;
  workload: PredictWorkload;
  /**
   * The runtime-aware model (model v2, fitted on the community corpus) with this query's case:
   * when given, it predicts the rates and the power; the calibration then only resolves a
   * benchmark's workload.
   */
  community?: {
    model: CommunityModel;
    power: MixedModelFit | null;
    query: CommunityCase;
    powerQuery: PowerCase;
  };
}

/** What the runtime-aware model drew on (null when the paper calibration predicted). */
export interface RuntimeModelReport {
  runtime: string;
  hardwareClass: string;
  classFamily: string;
  decode: RatePrediction | null;
  prefill: RatePrediction | null;
  powerTransferred: boolean;
  notes: string[];
}

export interface MemoryFit {
  weightsGib: number;
  kvCacheGib: number;
  runtimeGib: number;
  requiredGib: number;
  availableGib: number;
  fits: boolean;
}

export interface PredictReport extends Prediction {
  inputs: {
    device: string;
    backend: string;
    powerMode: string;
    model: string;
    quant: string;
    parameters: number;
    calibration: string;
  };
  memory: MemoryFit;
  runtimeModel: RuntimeModelReport | null;
  /** The board's idle power the active energy is measured above (catalog assumption), or null. */
  idlePowerW: number | null;
  warnings: string[];
}

const GIB = 1024 ** 3;
/** RAM the operating system keeps (a headless Raspberry Pi OS / Jetson Linux), GiB. */
export const OS_RESERVE_GIB = 0.8;
/** llama.cpp compute buffers and runtime, GiB. */
export const RUNTIME_GIB = 0.3;

/** Does the model, its KV cache for `contextTokens` and the runtime fit the board's RAM? */
export function memoryFit(
  weightBytes: number,
  kvBytesPerToken: number,
  contextTokens: number,
  memoryGB: number,
): MemoryFit {
  const weights = weightBytes / GIB;
  const kv = (kvBytesPerToken * contextTokens) / GIB;
  const required = weights + kv + RUNTIME_GIB;
  const available = memoryGB - OS_RESERVE_GIB;
  return {
    weightsGib: weights,
    kvCacheGib: kv,
    runtimeGib: RUNTIME_GIB,
    requiredGib: required,
    availableGib: available,
    fits: required <= available,
  };
}

/** The field the "nothing to compute" error names (the CLI says which options set it). */
export const EMPTY_WORKLOAD_FIELD = "workload";

function checkWorkload(w: PredictWorkload): void {
  if ("benchmark" in w) return;
  for (const [k, v] of [
    ["prompt tokens", w.promptTokens],
    ["generated tokens", w.genTokens],
    ["context tokens", w.contextTokens ?? 0],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw inputError(`${k} must be a whole number ≥ 0`, { field: k, text: String(v) });
  }
  if (w.promptTokens + w.genTokens === 0)
    throw inputError("nothing to compute: prompt and generated tokens are both 0", {
      field: EMPTY_WORKLOAD_FIELD,
      hint: "give some prompt tokens, generated tokens or both",
    });
}

function memoryWarnings(memory: MemoryFit, model: ModelSpec, hardware: Hardware, totalContext: number): string[] {
  if (!memory.fits) {
    return [
      `memory: ${model.id} (${memory.weightsGib.toFixed(2)} GiB of weights + ` +
        `${memory.kvCacheGib.toFixed(2)} GiB of KV cache for ${totalContext} tokens + ${RUNTIME_GIB} GiB runtime) ` +
        `does not fit ${hardware.device}'s ${hardware.memoryGB} GB minus ${OS_RESERVE_GIB} GiB for the OS; ` +
        "it would swap or fail to load, and this prediction assumes it runs from RAM",
    ];
  }
  if (memory.requiredGib > 0.9 * memory.availableGib) {
    return [
      `memory: ${memory.requiredGib.toFixed(2)} GiB needed of ${memory.availableGib.toFixed(2)} GiB available: ` +
        "tight, expect page-cache pressure",
    ];
  }
  return [];
}

/** Where the prediction leaves the calibration's data: model size, quantization, token counts, platform. */
function extrapolationWarnings(req: PredictRequest, physics: ModelPhysics, prediction: Prediction): string[] {
  const { calibration: cal, hardware } = req;
  const wl = prediction.workload;
  const out: string[] = [];
  const seen = cal.coverage.models;
  const params = seen.map((m) => m.parameters);
  const pMin = Math.min(...params);
  const pMax = Math.max(...params);
  const b = (x: number) => (x / 1e9).toFixed(2);
  if (physics.parameters > 2 * pMax || physics.parameters < 0.5 * pMin)
    out.push(
      `extrapolation: ${b(physics.parameters)} B parameters is far outside the calibrated models ` +
        `(${b(pMin)}–${b(pMax)} B)`,
    );
  if (!seen.some((m) => m.quantFamily === req.quantFamily))
    out.push(
      `extrapolation: quantization ${req.quant} (${req.quantFamily}) was not in the calibration data ` +
        `(${[...new Set(seen.map((m) => `${m.quant}`))].join(", ")}); ` +
        "its dequantization cost is assumed equal to theirs",
    );
  const [pLo, pHi] = cal.coverage.promptTokens;
  const gHi = cal.coverage.genTokens[1];
  if (wl.promptTokens > 2 * pHi || (wl.promptTokens > 0 && wl.promptTokens < 0.5 * pLo))
    out.push(
      `extrapolation: ${wl.promptTokens.toFixed(0)} prompt tokens is outside the calibrated range ` +
        `${pLo.toFixed(0)}–${pHi.toFixed(0)}`,
    );
  if (wl.genTokens > 2 * gHi)
    out.push(
      `extrapolation: ${wl.genTokens.toFixed(0)} generated tokens is beyond the calibrated range ` +
        `(up to ${gHi.toFixed(0)})`,
    );
  if (prediction.transfers.length)
    out.push(
      `extrapolation: platform ${hardware.id} is not calibrated; its efficiencies and powers are borrowed ` +
        "(see transfers)",
    );
  return out;
}

export function predictInference(req: PredictRequest): PredictReport {
  const { calibration: cal, model, hardware } = req;
  const a = model.architecture;
  checkWorkload(req.workload);
  const physics = modelPhysics(req.inventory, a);
  const prediction = predictWithCalibration(cal, {
    hardware,
    physics,
    model: model.id,
    family: model.tokenizer.family,
    quantFamily: req.quantFamily,
    workload: req.workload,
  });
  const wl = prediction.workload;
  const v2 = req.community ? withCommunity(req.community, prediction, hardware.idlePowerW) : null;
  const totalContext = Math.ceil(wl.contextTokens + wl.promptTokens + wl.genTokens);
  if (totalContext > a.contextLength) {
    throw inputError(
      `the inference needs ${totalContext} tokens of context, more than ${model.id}'s ${a.contextLength}`,
      {
        field: "context",
        hint: "shorten the prompt or the generation, or use a model with a longer context",
      },
    );
  }
  const memory = memoryFit(physics.weightBytes, physics.kvBytesPerContextToken, totalContext, hardware.memoryGB);
  const warnings = [
    ...memoryWarnings(memory, model, hardware, totalContext),
    ...(v2 ? [] : extrapolationWarnings(req, physics, prediction)),
  ];
  return {
    ...(v2?.prediction ?? prediction),
    inputs: {
      device: hardware.device,
      backend: hardware.backend,
      powerMode: hardware.powerMode,
      model: model.id,
      quant: req.quant,
      parameters: physics.parameters,
      calibration: v2 ? `community corpus (runtime ${v2.report.runtime})` : cal.name,
    },
    memory,
    runtimeModel: v2?.report ?? null,
    idlePowerW: hardware.idlePowerW,
    warnings: [...prediction.notes.map((n) => `workload: ${n}`), ...warnings],
  };
}

/** The runtime-aware model's prediction in the calibrated prediction's shape, and what it drew on. */
function withCommunity(
  c: NonNullable<PredictRequest["community"]>,
  base: Prediction,
  idlePowerW: number | null,
): { prediction: Prediction; report: RuntimeModelReport } {
  const p = predictCommunity(c.model, c.power, c.query, c.powerQuery, base.workload, idlePowerW);
  const bound = (r: RatePrediction | null) => (r === null ? "none" : r.capped ? "roofline" : "memory");
  return {
    prediction: {
      ...p.point,
      interval: { level: base.interval.level, low: p.low, high: p.high },
      workload: base.workload,
      bound: { prefill: p.prefill ? "compute" : "none", decode: bound(p.decode) },
      transfers: [],
      notes: base.notes,
    },
    report: {
      runtime: `${c.query.runtime}/${c.query.runtimeBackend}`,
      hardwareClass: c.query.classId,
      classFamily: c.query.classFamily,
      decode: p.decode,
      prefill: p.prefill,
      powerTransferred: p.power.decode?.transferred ?? p.power.prefill?.transferred ?? true,
      notes: p.notes,
    },
  };
}
