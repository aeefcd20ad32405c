import { internalError } from "../errors.js";
import { TOKENIZER_FAMILIES, type TokenizerFamily } from "../catalog/models.js";
import type { Priors } from "../io/calibration-schema.js";
import { averagePowerW } from "../metrics/energy.js";
import { jToWh, whToJ } from "../metrics/units.js";
import { jacobian, levenbergMarquardt, leverages } from "./optimize.js";
import type { Hardware } from "./hardware.js";
import type { ModelPhysics, Scoring } from "./physics.js";
import { platformOf, type Observation } from "./observations.js";
import { isPowerParam, paramId, type ParamKey, type PowerParamKind } from "./parameters.js";
import { predictTiming, type PlatformParams, type Timing } from "./roofline.js";
import { cellWorkload, DEFAULT_UBATCH, type BenchmarkWorkload, type WorkloadSkeleton } from "./workload.js";
import { modelKey, type World } from "./world.js";

/**
 * Calibration of the analytical model to measured cells, in log space with physical bounds:
 *   stage 1 (time): per platform η_c, η_m ∈ (0, 1] and overhead ≥ 0; per generated benchmark its
 *     prompt tokens and each model's generated tokens; residual ln(predicted / measured latency);
 *   stage 2 (power): per platform prefill and decode power (board totals, never below the board's
 *     idle power); residual ln(predicted / measured energy).
 * Data residuals go through a Cauchy loss (scale 0.15 in ln units): a cell the physics cannot
 * explain (a throttled run, a swapping board) pulls far less than under least squares.
 * Weak priors keep parameters the data barely touch near physical values: effective DRAM bandwidth
 * 60% of peak (×/÷ e^0.5; "40–80% on CPUs"), decode power near prefill power (×/÷ e^0.3).
 */
export interface ParamSet {
  platforms: Record<string, PlatformParams>;
  workloads: BenchmarkWorkload[];
  /**
   * Compute-efficiency factor of each quantization family relative to the reference family (the
   * one with most cells, factor 1): dequantization costs differ (Q8_0 against Q4_0, K-quants).
   * A family the calibration has not seen gets 1.
   */
  quantFactors: Record<string, number>;
}

/** Effective compute efficiency of a platform for a quantization family (capped at 1). */
export function etaComputeFor(
  pp: PlatformParams,
  quantFactors: Record<string, number>,
  quantFamily: string | null | undefined,
): number {
  return Math.min(1, pp.etaCompute * (quantFamily ? (quantFactors[quantFamily] ?? 1) : 1));
}

export interface FitResult {
  params: ParamSet;
  /** ln(predicted / measured), one per observation, in the observations' order. */
  latencyResidualsLog: number[];
  energyResidualsLog: number[];
  /** The same divided by (1 − leverage): what each cell's residual would be were it left out. */
  latencyLooResidualsLog: number[];
  energyLooResidualsLog: number[];
  /** The parameters and their values (natural units), for bootstrap replicates and the calibration file. */
  keys: ParamKey[];
  values: number[];
}

/** Prior strengths of the fit and its loss (typed from their schema, io/calibration-schema.ts). */
export type { Priors } from "../io/calibration-schema.js";

export const PRIORS: Readonly<Priors> = Object.freeze({
  dataSigmaLog: 0.1,
  etaMemory: Object.freeze({ median: 0.6, sigmaLog: 0.5 }),
  etaCompute: Object.freeze({ median: 0.3, sigmaLog: 2 }),
  quantFactor: Object.freeze({ median: 1, sigmaLog: 0.3 }),
  decodeOverPrefillPower: Object.freeze({ median: 1, sigmaLog: 0.3 }),
  robustScaleLog: 0.15,
});

/** Cauchy-loss residual: its square is c² · ln(1 + (r/c)²), ≈ r² for small r. */
export function robustResidual(r: number, c: number | null): number {
  if (c === null) return r;
  return Math.sign(r) * c * Math.sqrt(Math.log1p((r / c) ** 2));
}

interface Layout {
  keys: ParamKey[];
  lo: number[];
  hi: number[];
  x0: number[];
}

const LN = Math.log;

function familyOf(world: World, model: string): TokenizerFamily {
  const f = world.tokenizer.get(model);
  if (!f) throw internalError(`no tokenizer family for ${model}`);
  return f;
}

/** The quantization family with most observations: its compute factor is fixed at 1. */
export function referenceQuantFamily(obs: readonly Observation[], world: World): string | null {
  const n = new Map<string, number>();
  for (const o of obs) {
    const f = world.quantFamily.get(o.quant);
    if (f) n.set(f, (n.get(f) ?? 0) + 1);
  }
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function emptyLayout(): Layout & { add: (key: ParamKey, lo: number, hi: number, x0: number) => void } {
  const L: Layout = { keys: [], lo: [], hi: [], x0: [] };
  return {
    ...L,
    add(key, lo, hi, x0) {
      this.keys.push(key);
      this.lo.push(LN(lo));
      this.hi.push(LN(hi));
      this.x0.push(LN(Math.min(hi, Math.max(lo, x0))));
    },
  };
}

/** The time stage's parameters, bounds and start: per platform, per quantization family, per benchmark. */
function timeLayout(
  obs: readonly Observation[],
  skeleton: WorkloadSkeleton,
  init: ParamSet | undefined,
  world: World,
): Layout {
  const L = emptyLayout();
  for (const platform of [...new Set(obs.map(platformOf))]) {
    const ip = init?.platforms[platform];
    L.add({ kind: "etaCompute", platform }, 1e-4, 1, ip?.etaCompute ?? 0.3);
    L.add({ kind: "etaMemory", platform }, 1e-4, 1, ip?.etaMemory ?? 0.6);
    L.add({ kind: "overheadS", platform }, 1e-5, 600, ip?.overheadS ?? 0.01);
  }
  const ref = referenceQuantFamily(obs, world);
  const families = obs.map((o) => world.quantFamily.get(o.quant)).filter((x) => x !== undefined);
  for (const quantFamily of [...new Set(families)].sort()) {
    if (quantFamily !== ref) L.add({ kind: "quantFactor", quantFamily }, 0.2, 5, init?.quantFactors[quantFamily] ?? 1);
  }
  for (const bw of skeleton.benchmarks.filter((b) => b.promptTokensFitted)) {
    const benchmark = bw.benchmark;
    const iw = init?.workloads.find((w) => w.benchmark === benchmark);
    L.add({ kind: "promptTokens", benchmark }, 1, 32768, iw?.promptTokens["large-vocab"] ?? 100);
    const generating = obs.filter((o) => o.benchmark === benchmark && o.genTokens === null).map((o) => o.model);
    for (const model of [...new Set(generating)]) {
      L.add({ kind: "genTokens", benchmark, model }, 0.5, 8192, iw?.genTokensByModel[model] ?? 30);
    }
  }
  return { keys: L.keys, lo: L.lo, hi: L.hi, x0: L.x0 };
}

type PhasePowers = Record<string, { prefillPowerW: number; decodePowerW: number }>;

function copyWorkloads(skeleton: WorkloadSkeleton): BenchmarkWorkload[] {
  return skeleton.benchmarks.map((b) => ({
    ...b,
    promptTokens: { ...b.promptTokens },
    genTokensByModel: { ...b.genTokensByModel },
    genTokensByFamily: { ...b.genTokensByFamily },
  }));
}

const gmean = (g: number[]) => Math.exp(g.reduce((s, v) => s + LN(v), 0) / g.length);

/** Pooled generated tokens: over all calibrated models, and per tokenizer family. */
function poolGenTokens(workloads: BenchmarkWorkload[], skeleton: WorkloadSkeleton): void {
  for (const w of workloads) {
    const g = Object.values(w.genTokensByModel);
    if (g.length) w.genTokensPooled = gmean(g);
    w.genTokensByFamily = {};
    for (const f of TOKENIZER_FAMILIES) {
      const mine = Object.entries(w.genTokensByModel)
        .filter(([m]) => skeleton.modelFamilies[m] === f)
        .map(([, v]) => v);
      if (mine.length) w.genTokensByFamily[f] = gmean(mine);
    }
  }
}

/** A parameter set from the time stage's vector (log units), with the given phase powers. */
function applyTime(
  keys: readonly ParamKey[],
  x: readonly number[],
  skeleton: WorkloadSkeleton,
  power: PhasePowers,
): ParamSet {
  const platforms: Record<string, PlatformParams> = {};
  const quantFactors: Record<string, number> = {};
  const workloads = copyWorkloads(skeleton);
  const workload = (b: string) => workloads.find((w) => w.benchmark === b) as BenchmarkWorkload;
  keys.forEach((k, i) => {
    const v = Math.exp(x[i] as number);
    switch (k.kind) {
      case "etaCompute":
      case "etaMemory":
      case "overheadS": {
        const p = (platforms[k.platform] ??= {
          etaCompute: 0.3,
          etaMemory: 0.6,
          overheadS: 0,
          prefillPowerW: power[k.platform]?.prefillPowerW ?? 5,
          decodePowerW: power[k.platform]?.decodePowerW ?? 5,
        });
        p[k.kind] = v;
        break;
      }
      case "quantFactor":
        quantFactors[k.quantFamily] = v;
        break;
      case "promptTokens":
        workload(k.benchmark).promptTokens = { "llama2-32k": v * skeleton.tokenizerRatio, "large-vocab": v };
        break;
      case "genTokens":
        workload(k.benchmark).genTokensByModel[k.model] = v;
        break;
      default:
        break;
    }
  });
  poolGenTokens(workloads, skeleton);
  return { platforms, workloads, quantFactors };
}

/** Predicted timing of an observation under a parameter set (platform must be in the set). */
export function timingOf(o: Observation, params: ParamSet, world: World, pp?: PlatformParams): Timing {
  const hw = world.hardware.get(platformOf(o));
  const phys = world.physics.get(modelKey(o.model, o.quant));
  const w = params.workloads.find((x) => x.benchmark === o.benchmark);
  const p = pp ?? params.platforms[platformOf(o)];
  if (!hw || !phys || !w || !p)
    throw internalError(`missing parameters for ${platformOf(o)} ${o.model} ${o.benchmark}`);
  const eff = { ...p, etaCompute: etaComputeFor(p, params.quantFactors, world.quantFamily.get(o.quant)) };
  return predictTiming(phys, hw, eff, cellWorkload(w, familyOf(world, o.model), o.model, o));
}

/**
 * One observation compiled for fast residuals: the indices of its parameters in the time vector
 * and the fixed numbers of its physics, so a residual costs a few dozen flops.
 */
interface Compiled {
  iEtaC: number;
  /** Index of the quantization family's compute factor, or -1 for the reference family. */
  iQuant: number;
  iEtaM: number;
  iOverhead: number;
  /** Index of the fitted prompt tokens, or -1 when fixed. */
  iPrompt: number;
  /** Index of the fitted generated tokens, or -1 when fixed. */
  iGen: number;
  promptFixed: number;
  promptScale: number;
  genFixed: number;
  phys: ModelPhysics;
  hw: Hardware;
  scoring: Scoring;
  o: Observation;
}

function compile(
  obs: readonly Observation[],
  world: World,
  skeleton: WorkloadSkeleton,
  keys: readonly ParamKey[],
): Compiled[] {
  const idx = new Map(keys.map((k, i) => [paramId(k), i] as const));
  const at = (k: ParamKey) => idx.get(paramId(k)) ?? -1;
  return obs.map((o) => {
    const platform = platformOf(o);
    const hw = world.hardware.get(platform);
    if (!hw) throw internalError(`no hardware for ${platform}`);
    const benchmark = o.benchmark;
    const bw = skeleton.benchmarks.find((b) => b.benchmark === benchmark) as BenchmarkWorkload;
    const fam = familyOf(world, o.model);
    const quantFamily = world.quantFamily.get(o.quant);
    return {
      iEtaC: at({ kind: "etaCompute", platform }),
      iQuant: quantFamily === undefined ? -1 : at({ kind: "quantFactor", quantFamily }),
      iEtaM: at({ kind: "etaMemory", platform }),
      iOverhead: at({ kind: "overheadS", platform }),
      iPrompt: o.promptTokens === null && bw.promptTokensFitted ? at({ kind: "promptTokens", benchmark }) : -1,
      iGen: o.genTokens === null ? at({ kind: "genTokens", benchmark, model: o.model }) : -1,
      promptFixed: o.promptTokens ?? (bw.promptTokensFitted ? 0 : bw.promptTokens[fam]),
      promptScale: fam === "llama2-32k" ? skeleton.tokenizerRatio : 1,
      genFixed: o.genTokens ?? 0,
      phys: world.physics.get(modelKey(o.model, o.quant)) as ModelPhysics,
      hw,
      scoring: o.genTokens !== null && o.genTokens > 0 ? "generate" : bw.scoring,
      o,
    };
  });
}

function fastTiming(c: Compiled, x: readonly number[]): Timing {
  const e = (i: number) => Math.exp(x[i] as number);
  const pp: PlatformParams = {
    etaCompute: Math.min(1, e(c.iEtaC) * (c.iQuant >= 0 ? e(c.iQuant) : 1)),
    etaMemory: e(c.iEtaM),
    overheadS: e(c.iOverhead),
    prefillPowerW: 0,
    decodePowerW: 0,
  };
  return predictTiming(c.phys, c.hw, pp, {
    promptTokens: c.iPrompt >= 0 ? e(c.iPrompt) * c.promptScale : c.promptFixed,
    genTokens: c.iGen >= 0 ? e(c.iGen) : c.genFixed,
    contextTokens: 0,
    scoring: c.scoring,
    ubatch: DEFAULT_UBATCH,
  });
}

type Residuals = (x: readonly number[]) => number[];

/** A fitted stage: its layout, its optimum (log units), and its data and prior residual functions. */
interface Stage {
  layout: Layout;
  x: number[];
  raw: Residuals;
  prior: Residuals;
}

/** The prior's pull on a log parameter towards ln(median), weighed against the data. */
const priorResidual = (PR: Readonly<Priors>, v: number, p: { median: number; sigmaLog: number }): number =>
  (PR.dataSigmaLog * (v - LN(p.median))) / p.sigmaLog;

/** Extra starts of the time stage (a cold fit), different guesses of bandwidth and token counts. */
function coldStarts(T: Layout): number[][] {
  const starts = [
    [0.15, 20, 50],
    [0.9, 80, 200],
    [0.4, 10, 400],
  ] as const;
  return starts.map(([etaM, gen, prompt]) =>
    T.keys.map((k, i) =>
      k.kind === "etaMemory"
        ? LN(etaM)
        : k.kind === "genTokens"
          ? LN(gen)
          : k.kind === "promptTokens"
            ? LN(prompt)
            : (T.x0[i] as number),
    ),
  );
}

/** Stage 1: time, from several starts unless warm-started. */
function fitTime(compiled: readonly Compiled[], T: Layout, PR: Readonly<Priors>, warm: boolean): Stage {
  const prior: Residuals = (x) => {
    const r: number[] = [];
    T.keys.forEach((k, i) => {
      const v = x[i] as number;
      if (k.kind === "etaMemory") r.push(priorResidual(PR, v, PR.etaMemory));
      if (k.kind === "etaCompute") r.push(priorResidual(PR, v, PR.etaCompute));
      if (k.kind === "quantFactor") r.push(priorResidual(PR, v, PR.quantFactor));
    });
    return r;
  };
  const raw: Residuals = (x) => compiled.map((c) => LN(fastTiming(c, x).latencyS / c.o.latencyS));
  const all: Residuals = (x) =>
    raw(x)
      .map((r) => robustResidual(r, PR.robustScaleLog))
      .concat(prior(x));
  const starts = [T.x0, ...(warm ? [] : coldStarts(T))];
  let best = levenbergMarquardt(all, starts[0] as number[], T.lo, T.hi);
  for (const s of starts.slice(1)) {
    const r = levenbergMarquardt(all, s, T.lo, T.hi);
    if (r.cost < best.cost) best = r;
  }
  return { layout: T, x: best.x, raw, prior };
}

/** The power stage's parameters: per platform prefill and decode power, bounded by idle and supply. */
function powerLayout(obs: readonly Observation[], platforms: readonly string[], world: World, init?: ParamSet) {
  const L = emptyLayout();
  for (const platform of platforms) {
    const mine = obs.filter((o) => platformOf(o) === platform);
    const avgW = Math.exp(mine.reduce((s, o) => s + LN(averagePowerW(whToJ(o.energyWh), o.latencyS)), 0) / mine.length);
    const hw = world.hardware.get(platform);
    const cap = Math.max(hw?.supplyW ?? 1000, avgW * 4);
    // A phase never draws less than the idle board (when the catalog knows its idle power).
    const floor = Math.max(0.05, hw?.idlePowerW ?? 0.05);
    for (const kind of ["prefillPowerW", "decodePowerW"] as const satisfies readonly PowerParamKind[]) {
      const start = init?.platforms[platform]?.[kind] ?? avgW;
      L.add({ kind, platform }, floor, cap, start);
    }
  }
  return { keys: L.keys, lo: L.lo, hi: L.hi, x0: L.x0 };
}

/** Stage 2: power, given the fitted phase times. */
function fitPower(
  obs: readonly Observation[],
  timings: readonly Timing[],
  platforms: readonly string[],
  P: Layout,
  PR: Readonly<Priors>,
): Stage {
  const pIndex = new Map(platforms.map((p, k) => [p, k] as const));
  const obsPlatform = obs.map((o) => pIndex.get(platformOf(o)) as number);
  const raw: Residuals = (x) =>
    obs.map((o, i) => {
      const k = obsPlatform[i] as number;
      const t = timings[i] as Timing;
      const energyJ =
        Math.exp(x[2 * k] as number) * t.prefillS + Math.exp(x[2 * k + 1] as number) * (t.decodeS + t.overheadS);
      return LN(jToWh(energyJ) / o.energyWh);
    });
  const prior: Residuals = (x) =>
    platforms.map(
      (_, k) =>
        (PR.dataSigmaLog * ((x[2 * k + 1] as number) - (x[2 * k] as number) - LN(PR.decodeOverPrefillPower.median))) /
        PR.decodeOverPrefillPower.sigmaLog,
    );
  const all: Residuals = (x) => [...raw(x).map((v) => robustResidual(v, PR.robustScaleLog)), ...prior(x)];
  const e = levenbergMarquardt(all, P.x0, P.lo, P.hi);
  return { layout: P, x: e.x, raw, prior };
}

/**
 * Leave-one-out residuals of a stage: r / (1 − leverage) at the optimum, with parameters held at a
 * bound treated as fixed.
 */
function looResiduals(stage: Stage, r: readonly number[]): number[] {
  const { x, layout } = stage;
  const keep = x.map((v, i) => v > (layout.lo[i] as number) + 1e-9 && v < (layout.hi[i] as number) - 1e-9);
  const drop = (M: number[][]) => M.map((row) => row.filter((_, j) => keep[j]));
  const h = leverages(drop(jacobian(stage.raw, x, layout.hi)), drop(jacobian(stage.prior, x, layout.hi)));
  return r.map((v, i) => v / Math.max(0.1, 1 - (h[i] as number)));
}

/** Fit the model to observations. `init` warm-starts (bootstrap refits start at the estimate). */
export function fitParameters(
  obs: readonly Observation[],
  world: World,
  skeleton: WorkloadSkeleton,
  init?: ParamSet,
  priors: Readonly<Priors> = PRIORS,
): FitResult {
  const T = timeLayout(obs, skeleton, init, world);
  const compiled = compile(obs, world, skeleton, T.keys);
  const time = fitTime(compiled, T, priors, init !== undefined);
  const timings = compiled.map((c) => fastTiming(c, time.x));
  const params = applyTime(T.keys, time.x, skeleton, {});
  const platforms = [...new Set(obs.map(platformOf))];
  const power = fitPower(obs, timings, platforms, powerLayout(obs, platforms, world, init), priors);
  platforms.forEach((p, k) => {
    const pp = params.platforms[p] as PlatformParams;
    pp.prefillPowerW = Math.exp(power.x[2 * k] as number);
    pp.decodePowerW = Math.exp(power.x[2 * k + 1] as number);
  });
  const latencyResidualsLog = time.raw(time.x);
  const energyResidualsLog = power.raw(power.x);
  return {
    params,
    latencyResidualsLog,
    energyResidualsLog,
    latencyLooResidualsLog: looResiduals(time, latencyResidualsLog),
    energyLooResidualsLog: looResiduals(power, energyResidualsLog),
    keys: [...T.keys, ...power.layout.keys],
    values: [...time.x, ...power.x].map((v) => Math.exp(v)),
  };
}

/** Rebuild a parameter set from a parameter vector (the estimate or a bootstrap replicate) on a skeleton. */
export function paramsFromVector(
  keys: readonly ParamKey[],
  values: readonly number[],
  skeleton: WorkloadSkeleton,
): ParamSet {
  const timeIdx = keys.map((k, i) => [k, i] as const).filter(([k]) => !isPowerParam(k));
  const power: PhasePowers = {};
  keys.forEach((k, i) => {
    if (k.kind === "prefillPowerW" || k.kind === "decodePowerW")
      (power[k.platform] ??= { prefillPowerW: 0, decodePowerW: 0 })[k.kind] = values[i] as number;
  });
  const ps = applyTime(
    timeIdx.map(([k]) => k),
    timeIdx.map(([, i]) => LN(values[i] as number)),
    skeleton,
    power,
  );
  for (const [p, pw] of Object.entries(power)) if (ps.platforms[p]) Object.assign(ps.platforms[p], pw);
  return ps;
}
