import { quantileSorted } from "simple-statistics";
import { internalError, SlmError } from "../errors.js";
import type { TokenizerFamily } from "../catalog/models.js";
import { mulberry32 } from "../stats/rng.js";
import { randomIndex } from "../stats/rng.js";
import { edpJs } from "../metrics/edp.js";
import { jToWh } from "../metrics/units.js";
import { skeletonOf, type Calibration } from "./calibration.js";
import { etaComputeFor, paramsFromVector, type ParamSet } from "./fit.js";
import type { Hardware } from "./hardware.js";
import { platformOf, type Observation } from "./observations.js";
import type { ModelPhysics, Scoring } from "./physics.js";
import { predictEnergy, predictTiming, type PlatformParams, type Timing, type Workload } from "./roofline.js";
import { applyTransfer, planTransfer, type Transfer, type TransferPlan } from "./transfer.js";
import { cellWorkload, DEFAULT_UBATCH, type BenchmarkWorkload } from "./workload.js";
import type { World } from "./world.js";

/**
 * Prediction with a calibration (fitting one is model/calibrate.ts): one inference with the
 * estimate, and a prediction interval from the bootstrap replicates plus leave-one-out noise.
 */
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

/** One inference's predicted costs. */
export interface PredictionPoint {
  latencyS: number;
  prefillS: number;
  decodeS: number;
  decodeTokensPerS: number | null;
  prefillTokensPerS: number | null;
  powerW: number;
  energyWh: number;
  energyJPerToken: number;
  edpJs: number;
  /** Energy above the idle board (energy − idle power × latency); null when idle power is unknown. */
  activeEnergyWh: number | null;
}

export interface Prediction extends PredictionPoint {
  interval: { level: number; low: PredictionPoint; high: PredictionPoint };
  workload: Workload;
  bound: { prefill: string; decode: string };
  transfers: Transfer[];
  /** Notes on how the workload was resolved (e.g. a pooled generation length). */
  notes: string[];
}

/** The field a workload error names: the core's word for it; the CLI adds its option names. */
export const UNKNOWN_BENCHMARK_FIELD = "workload.benchmark";

/** The calibration has no workload for a benchmark: says which ones it has (the CLI adds its options). */
function unknownBenchmark(ps: ParamSet, b: string): Error {
  return new SlmError("E_USAGE", `the calibration has no workload for benchmark "${b}"`, {
    field: UNKNOWN_BENCHMARK_FIELD,
    hint: `calibrated benchmarks: ${ps.workloads.map((w) => w.benchmark).join(", ")}`,
  });
}

/** A note when a generated benchmark's tokens for this model are pooled over calibrated ones. */
function pooledGenerationNote(bw: BenchmarkWorkload, q: PredictionQuery): string {
  const fam = bw.genTokensByFamily[q.family];
  const perModel = Object.entries(bw.genTokensByModel)
    .map(([m, g]) => `${m} ${g.toFixed(0)}`)
    .join(", ");
  const used =
    fam === undefined
      ? `the geometric mean over all calibrated models, ${bw.genTokensPooled.toFixed(0)}, is used`
      : `the geometric mean over calibrated models of its tokenizer family (${q.family}), ${fam.toFixed(0)}, is used`;
  return (
    `${bw.benchmark}: generated tokens per inference are model-specific (${perModel}); ` +
    `${q.model} is not calibrated, so ${used}`
  );
}

function resolveWorkload(ps: ParamSet, q: PredictionQuery, notes: string[] | null): Workload {
  if ("benchmark" in q.workload) {
    const b = q.workload.benchmark;
    const bw = ps.workloads.find((w) => w.benchmark === b);
    if (!bw) throw unknownBenchmark(ps, b);
    if (notes && bw.scoring === "generate" && bw.genTokensByModel[q.model] === undefined)
      notes.push(pooledGenerationNote(bw, q));
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

const activeEnergy = (energyWh: number, idlePowerW: number | null, latencyS: number): number | null =>
  idlePowerW === null ? null : Math.max(0, energyWh - jToWh(idlePowerW * latencyS));

function point(t: Timing, pp: PlatformParams, w: Workload, idlePowerW: number | null): PredictionPoint {
  const e = predictEnergy(t, pp);
  const tokens = w.promptTokens + w.genTokens;
  return {
    latencyS: t.latencyS,
    prefillS: t.prefillS,
    decodeS: t.decodeS,
    decodeTokensPerS: t.decodeS > 0 ? w.genTokens / t.decodeS : null,
    prefillTokensPerS: t.prefillS > 0 ? w.promptTokens / t.prefillS : null,
    powerW: e.powerW,
    energyWh: e.energyWh,
    energyJPerToken: tokens > 0 ? e.energyJ / tokens : 0,
    edpJs: edpJs(e.energyJ, t.latencyS),
    activeEnergyWh: activeEnergy(e.energyWh, idlePowerW, t.latencyS),
  };
}

/** A point with its latency scaled by kLat and its energy by kEn (one draw of the fit's noise). */
function scaled(p: PredictionPoint, kLat: number, kEn: number, idlePowerW: number | null): PredictionPoint {
  return {
    latencyS: p.latencyS * kLat,
    prefillS: p.prefillS * kLat,
    decodeS: p.decodeS * kLat,
    decodeTokensPerS: p.decodeTokensPerS === null ? null : p.decodeTokensPerS / kLat,
    prefillTokensPerS: p.prefillTokensPerS === null ? null : p.prefillTokensPerS / kLat,
    powerW: (p.powerW * kEn) / kLat,
    energyWh: p.energyWh * kEn,
    energyJPerToken: p.energyJPerToken * kEn,
    // EDP scales as energy × latency.
    edpJs: p.edpJs * kEn * kLat,
    activeEnergyWh: idlePowerW === null ? null : Math.max(0, p.energyWh * kEn - jToWh(idlePowerW * p.latencyS * kLat)),
  };
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? NaN : quantileSorted(sorted, q);

/** The q-quantile of every cost over the draws (null where the estimate is null). */
function boundOf(draws: readonly PredictionPoint[], best: PredictionPoint, q: number): PredictionPoint {
  const f = (key: keyof PredictionPoint): number =>
    quantile(
      draws
        .map((d) => d[key] ?? NaN)
        .filter(Number.isFinite)
        .sort((x, y) => x - y),
      q,
    );
  return {
    latencyS: f("latencyS"),
    prefillS: f("prefillS"),
    decodeS: f("decodeS"),
    decodeTokensPerS: best.decodeTokensPerS === null ? null : f("decodeTokensPerS"),
    prefillTokensPerS: best.prefillTokensPerS === null ? null : f("prefillTokensPerS"),
    powerW: f("powerW"),
    energyWh: f("energyWh"),
    energyJPerToken: f("energyJPerToken"),
    edpJs: f("edpJs"),
    activeEnergyWh: best.activeEnergyWh === null ? null : f("activeEnergyWh"),
  };
}

/** Evaluates one parameter set (the estimate or a replicate) for the query's platform and workload. */
function evaluator(cal: Calibration, q: PredictionQuery, plan: TransferPlan) {
  const hardware = (id: string) => (cal.platforms[id] as { hardware: Hardware }).hardware;
  return (ps: ParamSet, notes: string[] | null, z?: { efficiency: number; power: number }) => {
    const params = (id: string) => {
      const p = ps.platforms[id];
      if (!p) throw internalError(`no parameters for ${id}`);
      return p;
    };
    const pp = applyTransfer(q.hardware, plan, params, hardware, z);
    pp.etaCompute = etaComputeFor(pp, ps.quantFactors, q.quantFamily);
    const w = resolveWorkload(ps, q, notes);
    const t = predictTiming(q.physics, q.hardware, pp, w);
    return { t, pp, w };
  };
}

/**
 * Each replicate's prediction with a draw of the platform's transfer spread and of the fit's
 * leave-one-out noise. The draw sequence (mulberry32, Box–Muller from two uniforms, then one
 * uniform residual index) is what the committed intervals were computed with.
 */
function replicateDraws(cal: Calibration, run: ReturnType<typeof evaluator>, idle: number | null, seed: number) {
  const sk = skeletonOf(cal);
  const rng = mulberry32(seed);
  const noise = cal.looResidualsLog;
  const n = noise.latency.length;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return cal.replicates.map((v) => {
    const r = run(paramsFromVector(cal.parameters, v, sk), null, { efficiency: gauss(), power: gauss() });
    const j = randomIndex(rng, n);
    const kLat = Math.exp(noise.latency[j] as number);
    const kEn = Math.exp(noise.energy[j] as number);
    return scaled(point(r.t, r.pp, r.w, idle), kLat, kEn, idle);
  });
}

/** Predict one inference with the estimate, and a 90% prediction interval from the replicates. */
export function predictWithCalibration(cal: Calibration, q: PredictionQuery, seed = 7): Prediction {
  const plan = planTransfer(q.hardware, Object.values(cal.platforms));
  const run = evaluator(cal, q, plan);
  const notes: string[] = [];
  const est = run(paramsFromVector(cal.parameters, cal.estimate, skeletonOf(cal)), notes);
  const idle = q.hardware.idlePowerW;
  const best = point(est.t, est.pp, est.w, idle);
  const draws = replicateDraws(cal, run, idle, seed);
  const a = (1 - cal.assumptions.intervalLevel) / 2;
  return {
    ...best,
    interval: {
      level: cal.assumptions.intervalLevel,
      low: draws.length ? boundOf(draws, best, a) : best,
      high: draws.length ? boundOf(draws, best, 1 - a) : best,
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
