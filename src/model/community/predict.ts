import { edpJs } from "../../metrics/edp.js";
import { jToWh } from "../../metrics/units.js";
import type { MixedModelFit } from "../../stats/mixed-model.js";
import type { PredictionPoint } from "../predict-calibrated.js";
import type { Workload } from "../roofline.js";
import type { CommunityCase } from "./case.js";
import { predictRate, type CommunityModel, type Group, type Phase, type RatePrediction } from "./fit.js";
import { predictPower, type PowerCase, type PowerPrediction } from "./power.js";

/**
 * One inference predicted by the runtime-aware model: prefill and decode times from the predicted
 * rates, average power from the power model, energy = power × time. The interval combines the
 * phases' bounds (fast with fast, slow with slow), so it is conservative.
 */
export interface CommunityPrediction {
  point: PredictionPoint;
  low: PredictionPoint;
  high: PredictionPoint;
  prefill: RatePrediction | null;
  decode: RatePrediction | null;
  /** Predicted average power of each phase (null without a power model). */
  power: { prefill: PowerPrediction | null; decode: PowerPrediction | null };
  /** What the prediction drew on and why its interval is as wide as it is. */
  notes: string[];
}

const GROUP_WORDS: Record<Group, string> = {
  classFamily: "class family",
  class: "hardware class",
  board: "board",
  runtime: "runtime",
  era: "build era",
  quantKernel: "quantization kernel",
  quantFamily: "quantization family",
  model: "model",
  source: "source",
};

function pointOf(
  w: Workload,
  prefillRate: number | null,
  decodeRate: number | null,
  power: { prefillW: number; decodeW: number },
  idlePowerW: number | null,
) {
  const prefillS = w.promptTokens > 0 && prefillRate ? w.promptTokens / prefillRate : 0;
  const decodeS = w.genTokens > 0 && decodeRate ? w.genTokens / decodeRate : 0;
  const latencyS = prefillS + decodeS;
  const energyJ = power.prefillW * prefillS + power.decodeW * decodeS;
  const powerW = latencyS > 0 ? energyJ / latencyS : power.decodeW;
  const tokens = w.promptTokens + w.genTokens;
  return {
    latencyS,
    prefillS,
    decodeS,
    decodeTokensPerS: w.genTokens > 0 ? decodeRate : null,
    prefillTokensPerS: w.promptTokens > 0 ? prefillRate : null,
    powerW,
    energyWh: jToWh(energyJ),
    energyJPerToken: tokens > 0 ? energyJ / tokens : 0,
    edpJs: edpJs(energyJ, latencyS),
    activeEnergyWh: idlePowerW === null ? null : jToWh(Math.max(0, (powerW - idlePowerW) * latencyS)),
  } satisfies PredictionPoint;
}

function rateNote(phase: Phase, r: RatePrediction): string {
  const ceiling = phase === "decode" ? "bandwidth roofline" : "matmul peak";
  const priors = r.priors
    .filter((p) => p.group !== "source")
    .map((p) => `${GROUP_WORDS[p.group]} ${p.level} ×${p.factor.toFixed(2)} (n ${p.n})`)
    .join(", ");
  const unseen = r.unseen.map((g) => GROUP_WORDS[g]);
  return (
    `${phase}: ${(r.efficiency * 100).toFixed(1)} % of the ${ceiling} ` +
    `(${r.ceilingTokensPerS.toPrecision(3)} tokens/s)` +
    (priors ? `; drew on ${priors}` : "") +
    (unseen.length
      ? `; not in the corpus: ${unseen.join(", ")} — the interval adds the spread of its group` +
        (unseen.includes("board") ? " (a board of this class it never saw)" : "")
      : "") +
    (r.capped ? "; capped at the roofline" : "")
  );
}

export function predictCommunity(
  model: CommunityModel,
  powerFit: MixedModelFit | null,
  query: CommunityCase,
  powerQuery: PowerCase,
  w: Workload,
  /** The board's idle power (catalog), for the energy above idle; null when unknown. */
  idlePowerW: number | null = null,
): CommunityPrediction {
  const c = { ...query, promptTokens: w.promptTokens, genTokens: w.genTokens };
  const prefill = w.promptTokens > 0 ? predictRate(model, c, "prefill") : null;
  const decode = w.genTokens > 0 ? predictRate(model, c, "decode") : null;
  const phasePower = (phase: "prefill" | "decode") =>
    powerFit === null ? null : predictPower(powerFit, { ...powerQuery, phase });
  const pp = phasePower("prefill");
  const pd = phasePower("decode");
  const power = w.genTokens > 0 ? pd : pp;
  const notes: string[] = [];
  if (prefill) notes.push(rateNote("prefill", prefill));
  if (decode) notes.push(rateNote("decode", decode));
  if (power?.transferred)
    notes.push(
      `power: no average power measured on ${query.board}; its class's share of the power envelope ` +
        `(${powerQuery.envelopeW} W) is used — transferred, not measured`,
    );
  if (pp && pd)
    notes.push(
      `power per phase: prefill ${pp.powerW.toPrecision(3)} W, decode ${pd.powerW.toPrecision(3)} W ` +
        `(90 %: ${pp.low.toPrecision(3)}–${pp.high.toPrecision(3)} W, ` +
        `${pd.low.toPrecision(3)}–${pd.high.toPrecision(3)} W)`,
    );
  if (power === null) notes.push(`power: no power model; the power envelope ${powerQuery.envelopeW} W is used`);
  const env = powerQuery.envelopeW;
  const phases = (k: "powerW" | "low" | "high") => ({ prefillW: pp?.[k] ?? env, decodeW: pd?.[k] ?? env });
  return {
    point: pointOf(w, prefill?.tokensPerS ?? null, decode?.tokensPerS ?? null, phases("powerW"), idlePowerW),
    // Per-metric bounds: the low latency and energy come with the high rates, and vice versa.
    low: {
      ...pointOf(w, prefill?.high ?? null, decode?.high ?? null, phases("low"), idlePowerW),
      decodeTokensPerS: decode?.low ?? null,
      prefillTokensPerS: prefill?.low ?? null,
    },
    high: {
      ...pointOf(w, prefill?.low ?? null, decode?.low ?? null, phases("high"), idlePowerW),
      decodeTokensPerS: decode?.high ?? null,
      prefillTokensPerS: prefill?.high ?? null,
    },
    prefill,
    decode,
    power: { prefill: pp, decode: pd },
    notes,
  };
}
