import type { Backend } from "../../domain/ids.js";
import { fitMixedModel, predictMixed, type MixedModelFit } from "../../stats/mixed-model.js";
import { normalQuantile } from "../../stats/normal.js";

/**
 * Average board power during inference, per board and power mode, as a share of the mode's power
 * envelope (its vendor maximum, else its budget):
 *
 *   ln(power / envelope) = intercept + phase + class family + class + board + source + ε
 *
 * (one intercept: with power readings from a handful of boards, a per-backend intercept is fitted
 * on one or two boards and transfers worse than the pooled share — checked by loo-board)
 *
 * with the phase a fixed effect: prefill-only readings (the paper's HellaSwag and Winogrande
 * cells, which generate nothing) against the rest (MMLU, a llama-bench run), whose level decode
 * takes: no published reading averages over decode alone.
 *
 * Fitted on every measurement that prints an average (the paper's cells, corpus rows with
 * board-input, rail or wall averages). A board without power data gets its class's (or family's)
 * share scaled by its own envelope — a transferred figure, and the interval says so. Peak-wall
 * readings are upper bounds: they are never fitted, only checked (a prediction should not exceed
 * them).
 */
export interface PowerCase {
  id: string;
  board: string;
  powerMode: string;
  backend: Backend;
  classId: string;
  classFamily: string;
  source: string;
  runtime: string;
  envelopeW: number;
  powerW: number | null;
  /** "avg" readings are fitted; "peak" ones are upper bounds. */
  kind: "avg" | "peak" | null;
  /** What the reading averages over. */
  phase: PowerPhase;
}

export type PowerPhase = "prefill" | "decode" | "mixed";

export const POWER_GROUPS = ["classFamily", "class", "board", "source"] as const;
type PowerGroup = (typeof POWER_GROUPS)[number];

const levels = (c: PowerCase): Record<PowerGroup, string> => ({
  classFamily: c.classFamily,
  class: c.classId,
  board: `${c.board}/${c.backend}/${c.powerMode}`,
  source: c.source,
});
/** No published reading averages over decode alone: decode shares the mixed readings' level. */
const covariates = (c: PowerCase): number[] => [1, c.phase === "prefill" ? 1 : 0];

export function fitPowerModel(cases: readonly PowerCase[]): MixedModelFit | null {
  const used = cases.filter((c) => c.kind === "avg" && c.powerW !== null && c.powerW > 0);
  if (used.length < 3) return null;
  const lv = used.map(levels);
  return fitMixedModel({
    y: used.map((c) => Math.log((c.powerW as number) / c.envelopeW)),
    fixed: used.map(covariates),
    groups: POWER_GROUPS.map((g) => ({ name: g, levels: lv.map((l) => l[g]) })),
  });
}

export interface PowerPrediction {
  powerW: number;
  low: number;
  high: number;
  /** True when the board itself has no power data: its class's share scaled by its envelope. */
  transferred: boolean;
  unseen: string[];
}

export function predictPower(fit: MixedModelFit, c: PowerCase, level = 0.9): PowerPrediction {
  const p = predictMixed(fit, covariates(c), { ...levels(c), source: `new:${c.source}` });
  const z = normalQuantile(0.5 + level / 2);
  const sd = Math.sqrt(p.variance);
  const unseen = p.unseen.filter((g) => g !== "source");
  return {
    powerW: c.envelopeW * Math.exp(p.mean),
    low: c.envelopeW * Math.exp(p.mean - z * sd),
    high: c.envelopeW * Math.exp(p.mean + z * sd),
    transferred: unseen.includes("board"),
    unseen,
  };
}
