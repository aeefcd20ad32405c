import { fitMixedModel, predictMixed, type MixedModelFit } from "../../stats/mixed-model.js";
import { normalQuantile } from "../../stats/normal.js";
import {
  decodeComputeCeilingTokensPerS,
  decodeRooflineTokensPerS,
  DEFAULT_PROMPT_TOKENS,
  prefillCeilingTokensPerS,
  weightGB,
  type CommunityCase,
} from "./case.js";

/**
 * The runtime- and class-aware throughput model (model v2). Each phase's rate is its roofline
 * times an efficiency, and ln(efficiency) is a mixed model:
 *
 *   decode:  ln(rate · bytes/token ÷ bandwidth)       prefill:  ln(rate · FLOPs/token ÷ matmul peak)
 *          = backend intercept + backend · ln(weight GB) [+ backend · ln(prompt/512) for prefill]
 *            + class family + class (CPU core / GPU architecture) + board
 *            + runtime (per backend) + llama.cpp build era + quantization kernel (per class family)
 *            + quantization family (per backend) + model + source + ε
 *
 * Every group is a random intercept (partial pooling, stats/mixed-model.ts): a board with few rows
 * leans on its class, a class with few boards on its family, and an unseen level adds its group's
 * variance to the interval. A prediction never exceeds the bandwidth roofline or the compute peak.
 */
export const GROUPS = [
  "classFamily",
  "class",
  "board",
  "runtime",
  "era",
  "quantKernel",
  "quantFamily",
  "model",
  "source",
] as const;
export type Group = (typeof GROUPS)[number];

export type Phase = "decode" | "prefill";

/** The level of each group for a case (null where the case has none). */
export function levelsOf(c: CommunityCase): Record<Group, string | null> {
  const runtime = `${c.runtime}/${c.runtimeBackend}`;
  return {
    classFamily: c.classFamily,
    class: c.classId,
    board: `${c.board}/${c.backend}`,
    runtime,
    era: c.runtimeEra === null ? null : `${runtime}/${c.runtimeEra}`,
    quantKernel: `${c.classFamily}:${c.quant}`,
    quantFamily: `${c.backend}:${c.quantFamily}`,
    model: c.model,
    source: c.source,
  };
}

const onBackend = (c: CommunityCase, x: number): [number, number] => (c.backend === "cpu" ? [x, 0] : [0, x]);

/** Fixed covariates of a case for a phase. */
export function covariatesOf(c: CommunityCase, phase: Phase): number[] {
  const size = Math.log(weightGB(c));
  // Fewer threads than cores (CPU) and layers left on the CPU (GPU) lower the efficiency.
  const threads = c.backend === "cpu" ? Math.log(c.threadShare ?? 1) : 0;
  const cpuLayers = c.backend === "gpu" ? 1 - (c.gpuLayerShare ?? 1) : 0;
  // A GPU's tensor cores raise its matmul peak far above what decode and short prompts reach.
  const tensorRatio = c.backend === "gpu" ? Math.log(c.peaks.matmulGflops / c.peaks.fp32Gflops) : 0;
  // Machine balance: where compute is scarce next to bandwidth (an old Cortex-A57), decode falls
  // further below the bandwidth roofline (t = bytes/(η_m·B) + FLOPs/(η_c·C) makes ln η depend on
  // ln(1 + roofline/ceiling)). A CPU's int8 dot products were tried as a flag and rejected: on
  // this corpus it is carried by two boards, and leave-one-board-out got worse (13 % → 47 %).
  const balance = Math.log(1 + decodeRooflineTokensPerS(c) / decodeComputeCeilingTokensPerS(c));
  const base = [...onBackend(c, 1), ...onBackend(c, size), threads, cpuLayers, tensorRatio, ...onBackend(c, balance)];
  if (phase === "decode") return base;
  return [...base, ...onBackend(c, Math.log((c.promptTokens ?? DEFAULT_PROMPT_TOKENS) / DEFAULT_PROMPT_TOKENS))];
}

/** The ceiling a phase's efficiency is measured against (tokens/s at efficiency 1). */
export function ceilingOf(c: CommunityCase, phase: Phase): number {
  return phase === "decode" ? decodeRooflineTokensPerS(c) : prefillCeilingTokensPerS(c);
}

/**
 * The measured rate of a phase. A prefill rate counts only with its prompt length: without it the
 * batch size, which sets how much of the peak a prompt can use, is unknown.
 */
export const measuredRate = (c: CommunityCase, phase: Phase): number | null =>
  phase === "decode" ? c.decodeTokensPerS : c.promptTokens === null ? null : c.prefillTokensPerS;

/** ln(efficiency) of a measured case, or null where the phase was not measured. */
export function logEfficiency(c: CommunityCase, phase: Phase): number | null {
  const r = measuredRate(c, phase);
  return r === null || r <= 0 ? null : Math.log(r / ceilingOf(c, phase));
}

export interface CommunityModel {
  decode: MixedModelFit | null;
  prefill: MixedModelFit | null;
  /** Rows each phase was fitted on. */
  n: Record<Phase, number>;
}

function fitPhase(
  cases: readonly CommunityCase[],
  phase: Phase,
  start: MixedModelFit | null | undefined,
): MixedModelFit | null {
  const used = cases.filter((c) => logEfficiency(c, phase) !== null);
  if (used.length < 3) return null;
  const levels = used.map(levelsOf);
  return fitMixedModel(
    {
      y: used.map((c) => logEfficiency(c, phase) as number),
      fixed: used.map((c) => covariatesOf(c, phase)),
      groups: GROUPS.map((g) => ({ name: g, levels: levels.map((l) => l[g]) })),
    },
    start ? { startTau2: start.tau2, startSigma2: start.sigma2 } : {},
  );
}

/** Fits both phases on the measured cases (warm-started from `start`'s variances when given). */
export function fitCommunityModel(cases: readonly CommunityCase[], start?: CommunityModel): CommunityModel {
  return {
    decode: fitPhase(cases, "decode", start?.decode),
    prefill: fitPhase(cases, "prefill", start?.prefill),
    n: {
      decode: cases.filter((c) => logEfficiency(c, "decode") !== null).length,
      prefill: cases.filter((c) => logEfficiency(c, "prefill") !== null).length,
    },
  };
}

export interface RatePrediction {
  tokensPerS: number;
  low: number;
  high: number;
  /** The efficiency against the phase's ceiling, and that ceiling (tokens/s). */
  efficiency: number;
  ceilingTokensPerS: number;
  /** Whether the estimate or the high bound was clipped at a roofline. */
  capped: boolean;
  /** Groups this case's level is new to (their whole variance widens the interval). */
  unseen: Group[];
  /** How far the case's levels moved it from the backend's centre, per group (× factor). */
  priors: { group: Group; level: string; factor: number; n: number }[];
}

/** The hard ceiling of a phase: the roofline and, for decode, also the compute peak. */
function hardCeiling(c: CommunityCase, phase: Phase): number {
  return phase === "decode"
    ? Math.min(decodeRooflineTokensPerS(c), decodeComputeCeilingTokensPerS(c))
    : prefillCeilingTokensPerS(c);
}

/** Predicts a phase's rate with a `level` (two-sided) interval; a new source is always assumed. */
export function predictRate(model: CommunityModel, c: CommunityCase, phase: Phase, level = 0.9): RatePrediction | null {
  const fit = model[phase];
  if (fit === null) return null;
  const levels = { ...levelsOf(c), source: `new:${c.source}` };
  const p = predictMixed(fit, covariatesOf(c, phase), levels);
  const z = normalQuantile(0.5 + level / 2);
  const ceiling = ceilingOf(c, phase);
  const hard = hardCeiling(c, phase);
  const raw = ceiling * Math.exp(p.mean);
  const sd = Math.sqrt(p.variance);
  const clip = (x: number) => Math.min(x, hard);
  return {
    tokensPerS: clip(raw),
    low: clip(ceiling * Math.exp(p.mean - z * sd)),
    high: clip(ceiling * Math.exp(p.mean + z * sd)),
    efficiency: clip(raw) / ceiling,
    ceilingTokensPerS: ceiling,
    capped: ceiling * Math.exp(p.mean + z * sd) > hard,
    unseen: p.unseen.filter((g): g is Group => g !== "source"),
    priors: GROUPS.flatMap((g) => {
      const lv = levels[g];
      const e = lv === null ? undefined : fit.effects[g]?.[lv];
      return lv === null || e === undefined ? [] : [{ group: g, level: lv, factor: Math.exp(e.mean), n: e.n }];
    }),
  };
}
