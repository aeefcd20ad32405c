import { internalError, usageError } from "../errors.js";
import type { TokenizerFamily } from "../catalog/models.js";
import { mulberry32 } from "../stats/rng.js";
import { randomIndex } from "../stats/rng.js";
import { medianSorted } from "simple-statistics";
import { INTERVAL_LEVEL, type Calibration, type CalibrationCell, type FitStats } from "./calibration.js";
import { fitParameters, PRIORS, type FitResult, type Priors } from "./fit.js";
import type { Observation } from "./observations.js";
import { isPowerParam, paramId } from "./parameters.js";
import {
  cellWorkload,
  DEFAULT_UBATCH,
  deriveWorkloads,
  type BenchmarkWorkload,
  type WorkloadSkeleton,
} from "./workload.js";
import type { World } from "./world.js";

/**
 * Calibration: fit the model to observations (model/fit.ts) and bootstrap it. Predicting with the
 * result is model/predict-calibrated.ts.
 */
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

const apePct = (r: number): number => Math.abs(Math.exp(r) - 1) * 100;

/** In-sample fit statistics of log residuals ln(fitted / measured). */
export function fitStats(residualsLog: readonly number[]): FitStats {
  const ape = residualsLog.map(apePct).sort((a, b) => a - b);
  const n = ape.length;
  return {
    mapePct: ape.reduce((a, b) => a + b, 0) / n,
    medianApePct: n === 0 ? NaN : medianSorted(ape),
    maxApePct: ape[n - 1] ?? NaN,
    rmsLog: Math.sqrt(residualsLog.reduce((a, r) => a + r * r, 0) / n),
  };
}

/** Residual-bootstrap inflation: residuals of a fit are smaller than the noise by √((n−p)/n). */
function inflation(n: number, p: number): number {
  return n > p ? Math.sqrt(n / (n - p)) : 2;
}

export interface Fitted {
  fit: FitResult;
  latencyS: number[];
  energyWh: number[];
}

/**
 * The residual bootstrap: each replicate adds resampled (latency, energy) residual pairs, inflated
 * by `k` for the parameters fitted, to the fitted cells and refits from the estimate. Not
 * stats/bootstrap.ts: that one resamples cases for a percentile interval of a scalar (xoshiro128**);
 * this one resamples residual pairs onto fitted values and keeps every refit's parameter vector, and
 * its draws (mulberry32, one `randomIndex` per cell) are what the committed calibration was made with.
 * The draws are made here, in order; the refits (the cost) are independent of each other.
 */
function bootstrapSamples(
  obs: readonly Observation[],
  f: Fitted,
  options: { replicates: number; seed: number; k: number },
): Observation[][] {
  const { fit } = f;
  const { k } = options;
  const rng = mulberry32(options.seed);
  const samples: Observation[][] = [];
  for (let b = 0; b < options.replicates; b++) {
    samples.push(
      obs.map((o, i) => {
        const j = randomIndex(rng, obs.length);
        return {
          ...o,
          latencyS: (f.latencyS[i] as number) * Math.exp(-k * (fit.latencyResidualsLog[j] as number)),
          energyWh: (f.energyWh[i] as number) * Math.exp(-k * (fit.energyResidualsLog[j] as number)),
        };
      }),
    );
  }
  return samples;
}

/** Bootstrap replicates to refit: plain data, so a worker thread can run them. */
export interface ReplicateTask {
  samples: Observation[][];
  world: World;
  skeleton: WorkloadSkeleton;
  init: FitResult["params"];
  priors: Readonly<Priors>;
  /** The estimate's parameter layout: every refit must keep it. */
  layout: string;
}

/** Refit each replicate of a task from the estimate (pure: a worker task); its parameter vectors. */
export function refitReplicates(t: ReplicateTask): number[][] {
  return t.samples.map((boot) => {
    const r = fitParameters(boot, t.world, t.skeleton, t.init, t.priors);
    if (r.keys.map(paramId).join() !== t.layout) throw internalError("bootstrap parameter layout changed");
    return r.values;
  });
}

/** The models, prompt and generation lengths a calibration has seen (to warn on extrapolation). */
function coverageOf(
  obs: readonly Observation[],
  world: World,
  workloads: BenchmarkWorkload[],
): Calibration["coverage"] {
  const prompts: number[] = [];
  const gens: number[] = [];
  for (const o of obs) {
    const w = cellWorkload(
      workloads.find((x) => x.benchmark === o.benchmark) as BenchmarkWorkload,
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
    models: [...seen.values()],
    promptTokens: [Math.min(...prompts), Math.max(...prompts)],
    genTokens: [Math.min(...gens), Math.max(...gens)],
  };
}

function platformsOf(fit: FitResult, world: World): Calibration["platforms"] {
  const platforms: Calibration["platforms"] = {};
  for (const [id, p] of Object.entries(fit.params.platforms)) {
    const hw = world.hardware.get(id);
    if (!hw) throw internalError(`no hardware for ${id}`);
    platforms[id] = { hardware: hw, params: p };
  }
  return platforms;
}

function cellsOf(obs: readonly Observation[], f: Fitted): CalibrationCell[] {
  return obs.map((o, i) => ({
    device: o.device,
    backend: o.backend,
    powerMode: o.powerMode,
    model: o.model,
    quant: o.quant,
    benchmark: o.benchmark,
    latencyS: { measured: o.latencyS, fitted: f.latencyS[i] as number },
    energyWh: { measured: o.energyWh, fitted: f.energyWh[i] as number },
    source: o.source,
  }));
}

function assumptionsOf(
  obs: readonly Observation[],
  options: CalibrateOptions,
  bootstrap: { replicates: number; seed: number; k: number; priors: Readonly<Priors> },
): Calibration["assumptions"] {
  return {
    quantByModel: options.assumptions?.quantByModel ?? Object.fromEntries(obs.map((o) => [o.model, o.quant])),
    powerModeByDevice:
      options.assumptions?.powerModeByDevice ?? Object.fromEntries(obs.map((o) => [o.device, o.powerMode])),
    kvCacheType: "F16",
    ubatch: DEFAULT_UBATCH,
    priors: bootstrap.priors,
    bootstrap: {
      replicates: bootstrap.replicates,
      seed: bootstrap.seed,
      method:
        `residual bootstrap of (latency, energy) log-residual pairs, inflated ×${bootstrap.k.toFixed(3)} ` +
        "for the fitted parameters, refit from the estimate; prediction intervals add leave-one-out (PRESS) residuals",
    },
    intervalLevel: INTERVAL_LEVEL,
  };
}

/** A calibration up to its bootstrap: the fit, and the replicates to refit. */
export interface CalibrationPlan {
  obs: readonly Observation[];
  world: World;
  options: CalibrateOptions;
  skeleton: WorkloadSkeleton;
  fit: FitResult;
  fitted: Fitted;
  bootstrap: { replicates: number; seed: number; k: number; priors: Readonly<Priors> };
  samples: Observation[][];
}

/** Fit the model to observations and draw the bootstrap samples (refit them with `refitReplicates`). */
export function planCalibration(
  obs: readonly Observation[],
  world: World,
  options: CalibrateOptions = {},
): CalibrationPlan {
  if (obs.length === 0) throw usageError("no observations to calibrate on");
  const skeleton = deriveWorkloads(obs, (m) => world.tokenizer.get(m) as TokenizerFamily);
  const priors = options.priors ?? PRIORS;
  const fit = fitParameters(obs, world, skeleton, undefined, priors);
  const k = inflation(obs.length, fit.keys.filter((key) => !isPowerParam(key)).length);
  const fitted: Fitted = {
    fit,
    latencyS: obs.map((o, i) => o.latencyS * Math.exp(fit.latencyResidualsLog[i] as number)),
    energyWh: obs.map((o, i) => o.energyWh * Math.exp(fit.energyResidualsLog[i] as number)),
  };
  const bootstrap = { replicates: options.bootstrap ?? 200, seed: options.seed ?? 1, k, priors };
  return { obs, world, options, skeleton, fit, fitted, bootstrap, samples: bootstrapSamples(obs, fitted, bootstrap) };
}

/** The plan's replicates as tasks of at most `size` replicates each, in order. */
export function replicateTasks(plan: CalibrationPlan, size = Infinity): ReplicateTask[] {
  const tasks: ReplicateTask[] = [];
  const layout = plan.fit.keys.map(paramId).join();
  const n = plan.samples.length;
  const step = Math.max(1, Math.min(size, n));
  for (let at = 0; at < n; at += step) {
    const samples = plan.samples.slice(at, at + step);
    const { world, skeleton } = plan;
    tasks.push({ samples, world, skeleton, init: plan.fit.params, priors: plan.bootstrap.priors, layout });
  }
  return tasks;
}

/**
 * Fit the model to observations and bootstrap it: each replicate adds resampled (latency, energy)
 * residual pairs, inflated for the parameters fitted, to the fitted cells and refits from the
 * estimate.
 */
export function calibrate(obs: readonly Observation[], world: World, options: CalibrateOptions = {}): Calibration {
  const plan = planCalibration(obs, world, options);
  return finishCalibration(plan, replicateTasks(plan).flatMap(refitReplicates));
}

/** The calibration from its plan and the refitted replicates, in sample order. */
export function finishCalibration(plan: CalibrationPlan, replicates: number[][]): Calibration {
  const { obs, world, options, skeleton, fit, fitted, bootstrap } = plan;
  const workloads = fit.params.workloads;
  return {
    schema: "slm-energy/calibration@1",
    name: options.name ?? "calibration",
    source: { kind: options.sourceKind ?? "observations", files: options.files ?? [], observations: obs.length },
    assumptions: assumptionsOf(obs, options, bootstrap),
    platforms: platformsOf(fit, world),
    quantFactors: fit.params.quantFactors,
    workloads,
    tokenizerRatio: skeleton.tokenizerRatio,
    modelFamilies: skeleton.modelFamilies,
    coverage: coverageOf(obs, world, workloads),
    fit: { latency: fitStats(fit.latencyResidualsLog), energy: fitStats(fit.energyResidualsLog) },
    parameters: fit.keys,
    estimate: fit.values,
    replicates,
    residualsLog: { latency: fit.latencyResidualsLog, energy: fit.energyResidualsLog },
    looResidualsLog: { latency: fit.latencyLooResidualsLog, energy: fit.energyLooResidualsLog },
    cells: cellsOf(obs, fitted),
  };
}
