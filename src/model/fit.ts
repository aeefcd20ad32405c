import { internalError } from "../errors.js";
import { TOKENIZER_FAMILIES, type TokenizerFamily } from "../catalog/models.js";
import { jacobian, levenbergMarquardt, leverages } from "./optimize.js";
import type { Hardware } from "./hardware.js";
import type { ModelPhysics, Scoring } from "./physics.js";
import { platformOf, type Observation } from "./observations.js";
import { predictTiming, type PlatformParams } from "./roofline.js";
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
  /** Named parameter vector (natural units), for bootstrap replicates and the calibration file. */
  names: string[];
  values: number[];
}

export interface Priors {
  /** Scale of the data's log residuals the priors are weighed against (smaller: weaker priors). */
  dataSigmaLog: number;
  etaMemory: { median: number; sigmaLog: number };
  etaCompute: { median: number; sigmaLog: number };
  quantFactor: { median: number; sigmaLog: number };
  decodeOverPrefillPower: { median: number; sigmaLog: number };
  /**
   * Scale (ln units) of the Cauchy loss on data residuals, or null for least squares. A robust
   * loss keeps a few cells the physics cannot explain from dragging every parameter.
   */
  robustScaleLog: number | null;
}

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
  names: string[];
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

function timeLayout(
  obs: readonly Observation[],
  skeleton: WorkloadSkeleton,
  init: ParamSet | undefined,
  world: World,
): Layout {
  const L: Layout = { names: [], lo: [], hi: [], x0: [] };
  const add = (name: string, lo: number, hi: number, x0: number) => {
    L.names.push(name);
    L.lo.push(LN(lo));
    L.hi.push(LN(hi));
    L.x0.push(LN(Math.min(hi, Math.max(lo, x0))));
  };
  for (const p of [...new Set(obs.map(platformOf))]) {
    const ip = init?.platforms[p];
    add(`eta_compute@${p}`, 1e-4, 1, ip?.etaCompute ?? 0.3);
    add(`eta_memory@${p}`, 1e-4, 1, ip?.etaMemory ?? 0.6);
    add(`overhead_s@${p}`, 1e-5, 600, ip?.overheadS ?? 0.01);
  }
  const ref = referenceQuantFamily(obs, world);
  for (const f of [
    ...new Set(
      obs.map((o) => world.quantFamily.get(o.quant)).filter((x): x is NonNullable<typeof x> => x !== undefined),
    ),
  ].sort()) {
    if (f !== ref) add(`quant_factor@${f}`, 0.2, 5, init?.quantFactors[f] ?? 1);
  }
  for (const bw of skeleton.benchmarks.filter((b) => b.promptTokensFitted)) {
    const iw = init?.workloads.find((w) => w.benchmark === bw.benchmark);
    add(`prompt_tokens@${bw.benchmark}`, 1, 32768, iw?.promptTokens["large-vocab"] ?? 100);
    for (const m of [
      ...new Set(obs.filter((o) => o.benchmark === bw.benchmark && o.genTokens === null).map((o) => o.model)),
    ]) {
      add(`gen_tokens@${bw.benchmark}@${m}`, 0.5, 8192, iw?.genTokensByModel[m] ?? 30);
    }
  }
  return L;
}

function applyTime(
  names: readonly string[],
  x: readonly number[],
  skeleton: WorkloadSkeleton,
  power: Record<string, { prefillPowerW: number; decodePowerW: number }>,
): ParamSet {
  const platforms: Record<string, PlatformParams> = {};
  const quantFactors: Record<string, number> = {};
  const workloads = skeleton.benchmarks.map((b) => ({
    ...b,
    promptTokens: { ...b.promptTokens },
    genTokensByModel: { ...b.genTokensByModel },
    genTokensByFamily: { ...b.genTokensByFamily },
  }));
  names.forEach((name, i) => {
    const v = Math.exp(x[i] as number);
    const [kind, a, b] = name.split("@") as [string, string, string | undefined];
    if (kind === "eta_compute" || kind === "eta_memory" || kind === "overhead_s") {
      const p = (platforms[a] ??= {
        etaCompute: 0.3,
        etaMemory: 0.6,
        overheadS: 0,
        prefillPowerW: power[a]?.prefillPowerW ?? 5,
        decodePowerW: power[a]?.decodePowerW ?? 5,
      });
      if (kind === "eta_compute") p.etaCompute = v;
      else if (kind === "eta_memory") p.etaMemory = v;
      else p.overheadS = v;
    } else if (kind === "quant_factor") {
      quantFactors[a] = v;
    } else if (kind === "prompt_tokens") {
      const w = workloads.find((x) => x.benchmark === a) as BenchmarkWorkload;
      w.promptTokens = { "llama2-32k": v * skeleton.tokenizerRatio, "large-vocab": v };
    } else if (kind === "gen_tokens") {
      const w = workloads.find((x) => x.benchmark === a) as BenchmarkWorkload;
      w.genTokensByModel[b as string] = v;
    }
  });
  const gmean = (g: number[]) => Math.exp(g.reduce((s, v) => s + LN(v), 0) / g.length);
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
  return { platforms, workloads, quantFactors };
}

/** Predicted timing of an observation under a parameter set (platform must be in the set). */
export function timingOf(o: Observation, params: ParamSet, world: World, pp?: PlatformParams) {
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
  names: readonly string[],
): Compiled[] {
  const idx = new Map(names.map((n, i) => [n, i] as const));
  return obs.map((o) => {
    const p = platformOf(o);
    const hw = world.hardware.get(p);
    if (!hw) throw internalError(`no hardware for ${p}`);
    const bw = skeleton.benchmarks.find((b) => b.benchmark === o.benchmark) as BenchmarkWorkload;
    const fam = familyOf(world, o.model);
    const iPrompt =
      o.promptTokens === null && bw.promptTokensFitted ? (idx.get(`prompt_tokens@${o.benchmark}`) ?? -1) : -1;
    const iGen = o.genTokens === null ? (idx.get(`gen_tokens@${o.benchmark}@${o.model}`) ?? -1) : -1;
    return {
      iEtaC: idx.get(`eta_compute@${p}`) as number,
      iQuant: idx.get(`quant_factor@${world.quantFamily.get(o.quant)}`) ?? -1,
      iEtaM: idx.get(`eta_memory@${p}`) as number,
      iOverhead: idx.get(`overhead_s@${p}`) as number,
      iPrompt,
      iGen,
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

function fastTiming(c: Compiled, x: readonly number[]) {
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

/** Fit the model to observations. `init` warm-starts (bootstrap refits start at the estimate). */
export function fitParameters(
  obs: readonly Observation[],
  world: World,
  skeleton: WorkloadSkeleton,
  init?: ParamSet,
  priors: Readonly<Priors> = PRIORS,
): FitResult {
  const PR = priors;
  // Stage 1: time, from several starts unless warm-started.
  const T = timeLayout(obs, skeleton, init, world);
  const compiled = compile(obs, world, skeleton, T.names);
  const priorT = (x: readonly number[]): number[] => {
    const r: number[] = [];
    T.names.forEach((n, i) => {
      if (n.startsWith("eta_memory@"))
        r.push((PR.dataSigmaLog * ((x[i] as number) - LN(PR.etaMemory.median))) / PR.etaMemory.sigmaLog);
      if (n.startsWith("eta_compute@"))
        r.push((PR.dataSigmaLog * ((x[i] as number) - LN(PR.etaCompute.median))) / PR.etaCompute.sigmaLog);
      if (n.startsWith("quant_factor@"))
        r.push((PR.dataSigmaLog * ((x[i] as number) - LN(PR.quantFactor.median))) / PR.quantFactor.sigmaLog);
    });
    return r;
  };
  const rawTime = (x: readonly number[]): number[] => compiled.map((c) => LN(fastTiming(c, x).latencyS / c.o.latencyS));
  const timeResiduals = (x: readonly number[]): number[] =>
    rawTime(x)
      .map((r) => robustResidual(r, PR.robustScaleLog))
      .concat(priorT(x));
  const starts: number[][] = [T.x0];
  if (!init) {
    for (const [etaM, gen, prompt] of [
      [0.15, 20, 50],
      [0.9, 80, 200],
      [0.4, 10, 400],
    ] as const) {
      starts.push(
        T.names.map((n, i) =>
          n.startsWith("eta_memory@")
            ? LN(etaM)
            : n.startsWith("gen_tokens@")
              ? LN(gen)
              : n.startsWith("prompt_tokens@")
                ? LN(prompt)
                : (T.x0[i] as number),
        ),
      );
    }
  }
  let best = levenbergMarquardt(timeResiduals, starts[0] as number[], T.lo, T.hi);
  for (const s of starts.slice(1)) {
    const r = levenbergMarquardt(timeResiduals, s, T.lo, T.hi);
    if (r.cost < best.cost) best = r;
  }
  const tx = best.x;
  const timings = compiled.map((c) => fastTiming(c, tx));
  const timeParams = applyTime(T.names, tx, skeleton, {});

  // Stage 2: power, given the fitted phase times.
  const platforms = [...new Set(obs.map(platformOf))];
  const Pn: string[] = [];
  const Plo: number[] = [];
  const Phi: number[] = [];
  const Px0: number[] = [];
  for (const p of platforms) {
    const mine = obs.filter((o) => platformOf(o) === p);
    const avgW = Math.exp(mine.reduce((s, o) => s + LN((o.energyWh * 3600) / o.latencyS), 0) / mine.length);
    const hw = world.hardware.get(p);
    const cap = Math.max(hw?.supplyW ?? 1000, avgW * 4);
    // A phase never draws less than the idle board (when the catalog knows its idle power).
    const floor = Math.max(0.05, hw?.idlePowerW ?? 0.05);
    for (const kind of ["prefill_power_w", "decode_power_w"]) {
      Pn.push(`${kind}@${p}`);
      Plo.push(LN(floor));
      Phi.push(LN(cap));
      const ip = init?.platforms[p];
      Px0.push(
        LN(Math.max(floor, Math.min(cap, (kind === "prefill_power_w" ? ip?.prefillPowerW : ip?.decodePowerW) ?? avgW))),
      );
    }
  }
  const pIndex = new Map(platforms.map((p, k) => [p, k] as const));
  const obsPlatform = obs.map((o) => pIndex.get(platformOf(o)) as number);
  const rawEnergy = (x: readonly number[]): number[] =>
    obs.map((o, i) => {
      const k = obsPlatform[i] as number;
      const t = timings[i] as ReturnType<typeof predictTiming>;
      const energyJ =
        Math.exp(x[2 * k] as number) * t.prefillS + Math.exp(x[2 * k + 1] as number) * (t.decodeS + t.overheadS);
      return LN(energyJ / 3600 / o.energyWh);
    });
  const energyResiduals = (x: readonly number[]): number[] => {
    const r = rawEnergy(x).map((v) => robustResidual(v, PR.robustScaleLog));
    platforms.forEach((_, k) =>
      r.push(
        (PR.dataSigmaLog * ((x[2 * k + 1] as number) - (x[2 * k] as number) - LN(PR.decodeOverPrefillPower.median))) /
          PR.decodeOverPrefillPower.sigmaLog,
      ),
    );
    return r;
  };
  const e = levenbergMarquardt(energyResiduals, Px0, Plo, Phi);
  const params = timeParams;
  platforms.forEach((p, k) => {
    const pp = params.platforms[p] as PlatformParams;
    pp.prefillPowerW = Math.exp(e.x[2 * k] as number);
    pp.decodePowerW = Math.exp(e.x[2 * k + 1] as number);
  });

  const latencyResidualsLog = rawTime(tx);
  const energyResidualsLog = rawEnergy(e.x);
  // Leverages at the optimum, with parameters held at a bound treated as fixed.
  const free = (x: readonly number[], lo: readonly number[], hi: readonly number[]) =>
    x.map((v, i) => v > (lo[i] as number) + 1e-9 && v < (hi[i] as number) - 1e-9);
  const looOf = (
    raw: (x: readonly number[]) => number[],
    prior: (x: readonly number[]) => number[],
    x: readonly number[],
    lo: readonly number[],
    hi: readonly number[],
    r: number[],
  ) => {
    const keep = free(x, lo, hi);
    const drop = (M: number[][]) => M.map((row) => row.filter((_, j) => keep[j]));
    const h = leverages(drop(jacobian(raw, x, hi)), drop(jacobian(prior, x, hi)));
    return r.map((v, i) => v / Math.max(0.1, 1 - (h[i] as number)));
  };
  const latencyLooResidualsLog = looOf(rawTime, priorT, tx, T.lo, T.hi, latencyResidualsLog);
  const energyPrior = (x: readonly number[]) => energyResiduals(x).slice(obs.length);
  const energyLooResidualsLog = looOf(rawEnergy, energyPrior, e.x, Plo, Phi, energyResidualsLog);
  const names = [...T.names, ...Pn];
  const values = [...tx, ...e.x].map((v) => Math.exp(v));
  return {
    params,
    latencyResidualsLog,
    energyResidualsLog,
    latencyLooResidualsLog,
    energyLooResidualsLog,
    names,
    values,
  };
}

/** Rebuild a parameter set from a named vector (a bootstrap replicate) on a skeleton. */
export function paramsFromVector(
  names: readonly string[],
  values: readonly number[],
  skeleton: WorkloadSkeleton,
): ParamSet {
  const timeIdx = names.map((n, i) => [n, i] as const).filter(([n]) => !n.includes("power_w@"));
  const power: Record<string, { prefillPowerW: number; decodePowerW: number }> = {};
  names.forEach((n, i) => {
    const [kind, p] = n.split("@") as [string, string];
    if (kind === "prefill_power_w")
      (power[p] ??= { prefillPowerW: 0, decodePowerW: 0 }).prefillPowerW = values[i] as number;
    if (kind === "decode_power_w")
      (power[p] ??= { prefillPowerW: 0, decodePowerW: 0 }).decodePowerW = values[i] as number;
  });
  const ps = applyTime(
    timeIdx.map(([n]) => n),
    timeIdx.map(([, i]) => LN(values[i] as number)),
    skeleton,
    power,
  );
  for (const [p, pw] of Object.entries(power))
    if (ps.platforms[p]) Object.assign(ps.platforms[p] as PlatformParams, pw);
  return ps;
}
