import { internalError, usageError } from "../errors.js";
import type { TokenizerFamily } from "../catalog/models.js";
import { mulberry32 } from "../gguf/rng.js";
import { etaComputeFor, fitParameters, paramsFromVector, PRIORS, type ParamSet, type Priors } from "./fit.js";
import type { Hardware } from "./hardware.js";
import { platformOf, type Observation } from "./observations.js";
import type { ModelPhysics, Scoring } from "./physics.js";
import { predictEnergy, predictTiming, type PlatformParams, type Timing, type Workload } from "./roofline.js";
import { applyTransfer, planTransfer, type Transfer } from "./transfer.js";
import {
  cellWorkload,
  DEFAULT_UBATCH,
  deriveWorkloads,
  type BenchmarkWorkload,
  type WorkloadSkeleton,
} from "./workload.js";
import type { World } from "./world.js";

/**
 * A calibration: the fitted parameters, the bootstrap replicates that give their uncertainty and
 * prediction intervals, and enough of the data's context (hardware of each calibrated platform,
 * models and quantizations seen) to predict and to warn when a prediction extrapolates.
 */
export interface Calibration {
  schema: "slm-energy/calibration@1";
  name: string;
  source: {
    kind: string;
    files: string[];
    observations: number;
    rejected?: { file: string; line: number; reason: string }[];
  };
  assumptions: {
    quantByModel: Record<string, string>;
    powerModeByDevice: Record<string, string>;
    kvCacheType: "F16";
    ubatch: number;
    priors: Priors;
    bootstrap: { replicates: number; seed: number; method: string };
    intervalLevel: number;
  };
  platforms: Record<string, { hardware: Hardware; params: PlatformParams }>;
  /** Compute-efficiency factor per quantization family (reference family: 1; see ParamSet). */
  quantFactors: Record<string, number>;
  workloads: BenchmarkWorkload[];
  tokenizerRatio: number;
  /** Tokenizer family of each calibrated model (pools generated tokens for unseen models). */
  modelFamilies: Record<string, TokenizerFamily>;
  coverage: {
    models: { id: string; quant: string; quantFamily: string; parameters: number }[];
    promptTokens: [number, number];
    genTokens: [number, number];
  };
  fit: { latency: FitStats; energy: FitStats };
  parameterNames: string[];
  estimate: number[];
  replicates: number[][];
  residualsLog: { latency: number[]; energy: number[] };
  /** Leave-one-out (PRESS) residuals r / (1 − leverage): the noise prediction intervals draw from. */
  looResidualsLog: { latency: number[]; energy: number[] };
  cells: CalibrationCell[];
}

export interface FitStats {
  mape_pct: number;
  median_ape_pct: number;
  max_ape_pct: number;
  rms_log: number;
}

export interface CalibrationCell {
  device: string;
  backend: string;
  power_mode: string;
  model: string;
  quant: string;
  benchmark: string;
  latency_s: { measured: number; fitted: number };
  energy_wh: { measured: number; fitted: number };
  source: string;
}

export interface CalibrateOptions {
  name?: string;
  bootstrap?: number;
  seed?: number;
  sourceKind?: string;
  files?: string[];
  assumptions?: { quantByModel: Record<string, string>; powerModeByDevice: Record<string, string> };
  /** Prior strengths (default PRIORS). */
  priors?: Readonly<Priors>;
}

export const INTERVAL_LEVEL = 0.9;

const apePct = (r: number): number => Math.abs(Math.exp(r) - 1) * 100;

export function fitStats(residualsLog: readonly number[]): FitStats {
  const ape = residualsLog.map(apePct).sort((a, b) => a - b);
  const n = ape.length;
  const med =
    n === 0 ? NaN : n % 2 ? (ape[(n - 1) / 2] as number) : ((ape[n / 2 - 1] as number) + (ape[n / 2] as number)) / 2;
  return {
    mape_pct: ape.reduce((a, b) => a + b, 0) / n,
    median_ape_pct: med,
    max_ape_pct: ape[n - 1] ?? NaN,
    rms_log: Math.sqrt(residualsLog.reduce((a, r) => a + r * r, 0) / n),
  };
}

/** Residual-bootstrap inflation: residuals of a fit are smaller than the noise by √((n−p)/n). */
function inflation(n: number, p: number): number {
  return n > p ? Math.sqrt(n / (n - p)) : 2;
}

/**
 * Fit the model to observations and bootstrap it: each replicate adds resampled (latency, energy)
 * residual pairs, inflated for the parameters fitted, to the fitted cells and refits from the
 * estimate.
 */
export function calibrate(obs: readonly Observation[], world: World, options: CalibrateOptions = {}): Calibration {
  if (obs.length === 0) throw usageError("no observations to calibrate on");
  const B = options.bootstrap ?? 200;
  const seed = options.seed ?? 1;
  const skeleton = deriveWorkloads(obs, (m) => world.tokenizer.get(m) as TokenizerFamily);
  const priors = options.priors ?? PRIORS;
  const fit = fitParameters(obs, world, skeleton, undefined, priors);
  const k = inflation(obs.length, fit.names.filter((n) => !n.includes("power_w@")).length);
  const fittedLat = obs.map((o, i) => o.latencyS * Math.exp(fit.latencyResidualsLog[i] as number));
  const fittedEn = obs.map((o, i) => o.energyWh * Math.exp(fit.energyResidualsLog[i] as number));
  const rng = mulberry32(seed);
  const replicates: number[][] = [];
  for (let b = 0; b < B; b++) {
    const boot = obs.map((o, i) => {
      const j = Math.floor(rng() * obs.length);
      return {
        ...o,
        latencyS: (fittedLat[i] as number) * Math.exp(-k * (fit.latencyResidualsLog[j] as number)),
        energyWh: (fittedEn[i] as number) * Math.exp(-k * (fit.energyResidualsLog[j] as number)),
      };
    });
    const f = fitParameters(boot, world, skeleton, fit.params, priors);
    if (f.names.join() !== fit.names.join()) throw internalError("bootstrap parameter layout changed");
    replicates.push(f.values);
  }
  const platforms: Calibration["platforms"] = {};
  for (const [id, p] of Object.entries(fit.params.platforms)) {
    const hw = world.hardware.get(id);
    if (!hw) throw internalError(`no hardware for ${id}`);
    platforms[id] = { hardware: hw, params: p };
  }
  const workloadsOf = (ps: ParamSet) => ps.workloads;
  const wl = workloadsOf(fit.params);
  const prompts: number[] = [];
  const gens: number[] = [];
  for (const o of obs) {
    const w = cellWorkload(
      wl.find((x) => x.benchmark === o.benchmark) as BenchmarkWorkload,
      world.tokenizer.get(o.model) as TokenizerFamily,
      o.model,
      o,
    );
    prompts.push(w.promptTokens);
    gens.push(w.genTokens);
  }
  const seen = new Map<string, Calibration["coverage"]["models"][number]>();
  for (const o of obs) {
    seen.set(`${o.model}@${o.quant}`, {
      id: o.model,
      quant: o.quant,
      quantFamily: world.quantFamily.get(o.quant) ?? "unknown",
      parameters: world.parameters.get(o.model) ?? NaN,
    });
  }
  return {
    schema: "slm-energy/calibration@1",
    name: options.name ?? "calibration",
    source: { kind: options.sourceKind ?? "observations", files: options.files ?? [], observations: obs.length },
    assumptions: {
      quantByModel: options.assumptions?.quantByModel ?? Object.fromEntries(obs.map((o) => [o.model, o.quant])),
      powerModeByDevice:
        options.assumptions?.powerModeByDevice ?? Object.fromEntries(obs.map((o) => [o.device, o.powerMode])),
      kvCacheType: "F16",
      ubatch: DEFAULT_UBATCH,
      priors,
      bootstrap: {
        replicates: B,
        seed,
        method: `residual bootstrap of (latency, energy) log-residual pairs, inflated ×${k.toFixed(3)} for the fitted parameters, refit from the estimate; prediction intervals add leave-one-out (PRESS) residuals`,
      },
      intervalLevel: INTERVAL_LEVEL,
    },
    platforms,
    quantFactors: fit.params.quantFactors,
    workloads: wl,
    tokenizerRatio: skeleton.tokenizerRatio,
    modelFamilies: skeleton.modelFamilies,
    coverage: {
      models: [...seen.values()],
      promptTokens: [Math.min(...prompts), Math.max(...prompts)],
      genTokens: [Math.min(...gens), Math.max(...gens)],
    },
    fit: { latency: fitStats(fit.latencyResidualsLog), energy: fitStats(fit.energyResidualsLog) },
    parameterNames: fit.names,
    estimate: fit.values,
    replicates,
    residualsLog: { latency: fit.latencyResidualsLog, energy: fit.energyResidualsLog },
    looResidualsLog: { latency: fit.latencyLooResidualsLog, energy: fit.energyLooResidualsLog },
    cells: obs.map((o, i) => ({
      device: o.device,
      backend: o.backend,
      power_mode: o.powerMode,
      model: o.model,
      quant: o.quant,
      benchmark: o.benchmark,
      latency_s: { measured: o.latencyS, fitted: fittedLat[i] as number },
      energy_wh: { measured: o.energyWh, fitted: fittedEn[i] as number },
      source: o.source,
    })),
  };
}

/** The skeleton a calibration's named vectors apply to. */
export function skeletonOf(cal: Calibration): WorkloadSkeleton {
  return { benchmarks: cal.workloads, tokenizerRatio: cal.tokenizerRatio, modelFamilies: cal.modelFamilies };
}

// ---------------------------------------------------------------------------------------------
// Prediction
// ---------------------------------------------------------------------------------------------

export type PredictWorkload =
  { benchmark: string } | { promptTokens: number; genTokens: number; contextTokens?: number; scoring?: Scoring };

export interface PredictionQuery {
  hardware: Hardware;
  physics: ModelPhysics;
  model: string;
  family: TokenizerFamily;
  /** Quantization family of the model file (sets the compute-efficiency factor); unknown: 1. */
  quantFamily?: string | null;
  workload: PredictWorkload;
}

export interface PredictionPoint {
  latency_s: number;
  prefill_s: number;
  decode_s: number;
  decode_tokens_per_s: number | null;
  prefill_tokens_per_s: number | null;
  power_w: number;
  energy_wh: number;
  energy_j_per_token: number;
  edp_js: number;
  /** Energy above the idle board (energy − idle power × latency); null when idle power is unknown. */
  active_energy_wh: number | null;
}

export interface Prediction extends PredictionPoint {
  interval: { level: number; low: PredictionPoint; high: PredictionPoint };
  workload: Workload;
  bound: { prefill: string; decode: string };
  transfers: Transfer[];
  /** Notes on how the workload was resolved (e.g. a pooled generation length). */
  notes: string[];
}

function resolveWorkload(ps: ParamSet, q: PredictionQuery, notes: string[] | null): Workload {
  if ("benchmark" in q.workload) {
    const b = q.workload.benchmark;
    const bw = ps.workloads.find((w) => w.benchmark === b);
    if (!bw)
      throw usageError(
        `the calibration has no workload for benchmark "${b}"`,
        `calibrated benchmarks: ${ps.workloads.map((w) => w.benchmark).join(", ")}; or give --prompt-tokens and --gen-tokens`,
      );
    if (notes && bw.scoring === "generate" && bw.genTokensByModel[q.model] === undefined) {
      const fam = bw.genTokensByFamily[q.family];
      notes.push(
        `${b}: generated tokens per inference are model-specific (${Object.entries(bw.genTokensByModel)
          .map(([m, g]) => `${m} ${g.toFixed(0)}`)
          .join(", ")}); ${q.model} is not calibrated, so ` +
          (fam === undefined
            ? `the geometric mean over all calibrated models, ${bw.genTokensPooled.toFixed(0)}, is used`
            : `the geometric mean over calibrated models of its tokenizer family (${q.family}), ${fam.toFixed(0)}, is used`),
      );
    }
    return cellWorkload(bw, q.family, q.model);
  }
  const w = q.workload;
  return {
    promptTokens: w.promptTokens,
    genTokens: w.genTokens,
    contextTokens: w.contextTokens ?? 0,
    scoring: w.scoring ?? "generate",
    ubatch: DEFAULT_UBATCH,
  };
}

function point(t: Timing, pp: PlatformParams, w: Workload, idlePowerW: number | null): PredictionPoint {
  const e = predictEnergy(t, pp);
  const tokens = w.promptTokens + w.genTokens;
  return {
    latency_s: t.latencyS,
    prefill_s: t.prefillS,
    decode_s: t.decodeS,
    decode_tokens_per_s: t.decodeS > 0 ? w.genTokens / t.decodeS : null,
    prefill_tokens_per_s: t.prefillS > 0 ? w.promptTokens / t.prefillS : null,
    power_w: e.powerW,
    energy_wh: e.energyWh,
    energy_j_per_token: tokens > 0 ? e.energyJ / tokens : 0,
    edp_js: e.energyJ * t.latencyS,
    active_energy_wh: idlePowerW === null ? null : Math.max(0, e.energyWh - (idlePowerW * t.latencyS) / 3600),
  };
}

function scaled(p: PredictionPoint, kLat: number, kEn: number, idlePowerW: number | null): PredictionPoint {
  return {
    latency_s: p.latency_s * kLat,
    prefill_s: p.prefill_s * kLat,
    decode_s: p.decode_s * kLat,
    decode_tokens_per_s: p.decode_tokens_per_s === null ? null : p.decode_tokens_per_s / kLat,
    prefill_tokens_per_s: p.prefill_tokens_per_s === null ? null : p.prefill_tokens_per_s / kLat,
    power_w: (p.power_w * kEn) / kLat,
    energy_wh: p.energy_wh * kEn,
    energy_j_per_token: p.energy_j_per_token * kEn,
    edp_js: p.edp_js * kEn * kLat,
    active_energy_wh:
      idlePowerW === null ? null : Math.max(0, p.energy_wh * kEn - (idlePowerW * p.latency_s * kLat) / 3600),
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Predict one inference with the estimate, and a 90% prediction interval from the replicates. */
export function predictWithCalibration(cal: Calibration, q: PredictionQuery, seed = 7): Prediction {
  const sk = skeletonOf(cal);
  const calibrated = Object.values(cal.platforms);
  const plan = planTransfer(q.hardware, calibrated);
  const hardware = (id: string) => (cal.platforms[id] as { hardware: Hardware }).hardware;
  const run = (ps: ParamSet, notes: string[] | null, z?: { efficiency: number; power: number }) => {
    const pp = applyTransfer(
      q.hardware,
      plan,
      (id) => {
        const p = ps.platforms[id];
        if (!p) throw internalError(`no parameters for ${id}`);
        return p;
      },
      hardware,
      z,
    );
    pp.etaCompute = etaComputeFor(pp, ps.quantFactors, q.quantFamily);
    const w = resolveWorkload(ps, q, notes);
    const t = predictTiming(q.physics, q.hardware, pp, w);
    return { t, pp, w };
  };
  const notes: string[] = [];
  const est = run(paramsFromVector(cal.parameterNames, cal.estimate, sk), notes);
  const idle = q.hardware.idlePowerW;
  const best = point(est.t, est.pp, est.w, idle);
  const rng = mulberry32(seed);
  const noise = cal.looResidualsLog;
  const n = noise.latency.length;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const draws: PredictionPoint[] = cal.replicates.map((v) => {
    const r = run(paramsFromVector(cal.parameterNames, v, sk), null, { efficiency: gauss(), power: gauss() });
    const j = Math.floor(rng() * n);
    return scaled(
      point(r.t, r.pp, r.w, idle),
      Math.exp(noise.latency[j] as number),
      Math.exp(noise.energy[j] as number),
      idle,
    );
  });
  const a = (1 - cal.assumptions.intervalLevel) / 2;
  const bound = (q: number): PredictionPoint => {
    const f = (key: keyof PredictionPoint): number =>
      quantile(
        draws
          .map((d) => d[key] ?? NaN)
          .filter(Number.isFinite)
          .sort((x, y) => x - y),
        q,
      );
    return {
      latency_s: f("latency_s"),
      prefill_s: f("prefill_s"),
      decode_s: f("decode_s"),
      decode_tokens_per_s: best.decode_tokens_per_s === null ? null : f("decode_tokens_per_s"),
      prefill_tokens_per_s: best.prefill_tokens_per_s === null ? null : f("prefill_tokens_per_s"),
      power_w: f("power_w"),
      energy_wh: f("energy_wh"),
      energy_j_per_token: f("energy_j_per_token"),
      edp_js: f("edp_js"),
      active_energy_wh: best.active_energy_wh === null ? null : f("active_energy_wh"),
    };
  };
  return {
    ...best,
    interval: {
      level: cal.assumptions.intervalLevel,
      low: draws.length ? bound(a) : best,
      high: draws.length ? bound(1 - a) : best,
    },
    workload: est.w,
    bound: { prefill: est.t.prefillBound, decode: est.t.decodeBound },
    transfers: plan.transfers,
    notes,
  };
}

/** Predict a held-out observation (validation): its platform may or may not be calibrated. */
export function predictObservation(cal: Calibration, o: Observation, world: World): Prediction {
  const hw = world.hardware.get(platformOf(o));
  const phys = world.physics.get(`${o.model}@${o.quant}`);
  const family = world.tokenizer.get(o.model);
  if (!hw || !phys || !family) throw internalError(`world lacks ${platformOf(o)} or ${o.model}@${o.quant}`);
  return predictWithCalibration(cal, {
    hardware: hw,
    physics: phys,
    model: o.model,
    family,
    quantFamily: world.quantFamily.get(o.quant) ?? null,
    workload:
      o.promptTokens !== null
        ? { promptTokens: o.promptTokens, genTokens: o.genTokens ?? 0 }
        : { benchmark: o.benchmark },
  });
}
