/**
 * The bandwidth sweep's arithmetic: a synthetic model's collected inferences become a sweep point
 * (decode rates against the bandwidth-bound prediction `tokens/s = B_eff / bytes_per_token` for the
 * probe's B_eff, and the calibrated model's figure), and the points a log-log fit (exponent −1
 * means bandwidth-bound). Pure; `pipeline/probe/sweep.ts` writes the models and runs them.
 */
import { max, median } from "simple-statistics";
import type { z } from "zod";
import type { TokenTraffic } from "../gguf/traffic.js";
import type { SweepPointSchema, SweepResultSchema } from "../io/probe/schema.js";
import type { WritableQuant } from "../gguf/types.js";
import { ggufPrefillFlops, type GgufForwardCost } from "./compute.js";
import { bandwidthBoundTokensPerS, fitEffectiveBandwidth, fitPowerLaw, predictionErrorPct } from "./fit.js";

/** One synthetic model of a sweep: its traffic per token, measured and predicted rates. */
export type SweepPoint = z.output<typeof SweepPointSchema>;
/** A sweep's points with the fits over those beyond the cache (sweep.json without its conditions). */
export type SweepResult = z.output<typeof SweepResultSchema>;

/** The timing of one collected inference. */
export interface SweepInference {
  promptTokens: number;
  genTokens: number;
  prefillMs: number;
  decodeMs: number;
}

/** What the calibrated model predicted for one model (null when it was not asked), or why it could not. */
export interface ModelPrediction {
  decodeTokensPerS: number | null;
  prefillTokensPerS: number | null;
  note: string | null;
}

export interface SweepPointInputs {
  model: string;
  quant: WritableQuant;
  scale: number;
  fileBytes: number;
  traffic: TokenTraffic;
  cost: GgufForwardCost;
  inferences: readonly SweepInference[];
  genTokens: number;
  /** Effective bandwidth for the prediction (bytes/s), from the probe. */
  predictedBytesPerS: number;
  fitMinBytesPerToken: number;
  modelPrediction: ModelPrediction;
  bundle: string | null;
}

/** The median prompt length of a model's inferences (what the calibrated model is asked about). */
export const medianPromptTokens = (inferences: readonly SweepInference[]): number =>
  median(inferences.map((r) => r.promptTokens));

/** A sweep point from one model's collected inferences. */
export function sweepPoint(i: SweepPointInputs): SweepPoint {
  const rs = i.inferences;
  const promptTokens = medianPromptTokens(rs);
  const decodeRates = rs.map((r) => r.genTokens / (r.decodeMs / 1000));
  const decode = max(decodeRates);
  const meanContext = promptTokens + i.genTokens / 2;
  const bytesPerToken = i.traffic.weightBytesPerToken + i.traffic.kvBytesPerContextToken * meanContext;
  const predicted = bandwidthBoundTokensPerS(i.predictedBytesPerS, bytesPerToken);
  const modelDecode = i.modelPrediction.decodeTokensPerS;
  return {
    model: i.model,
    quant: i.quant,
    scale: i.scale,
    parameters: i.traffic.parameters,
    fileBytes: i.fileBytes,
    weightBytesPerToken: i.traffic.weightBytesPerToken,
    bytesPerToken,
    promptTokens,
    decodeTokensPerS: decode,
    decodeTokensPerSMedian: median(decodeRates),
    prefillTokensPerS: median(rs.map((r) => r.promptTokens / (r.prefillMs / 1000))),
    prefillGflopsPerS: median(rs.map((r) => ggufPrefillFlops(i.cost, r.promptTokens) / (r.prefillMs / 1000) / 1e9)),
    achievedGBps: (decode * bytesPerToken) / 1e9,
    predictedDecodeTokensPerS: predicted,
    errorPct: predictionErrorPct(decode, predicted),
    modelDecodeTokensPerS: modelDecode,
    modelErrorPct: modelDecode === null ? null : predictionErrorPct(decode, modelDecode),
    modelPrefillTokensPerS: i.modelPrediction.prefillTokensPerS,
    modelNote: i.modelPrediction.note,
    fitted: bytesPerToken >= i.fitMinBytesPerToken,
    bundle: i.bundle,
  };
}

/** Fit and prediction error of a set of sweep points (pure; exported for tests and notebooks). */
export function summarizeSweep(
  like: string,
  points: SweepPoint[],
  predictedBytesPerS: number,
  fitMinBytesPerToken: number,
): SweepResult {
  const fitted = points.filter((p) => p.fitted);
  const rp = fitted.map((p) => ({ bytesPerToken: p.bytesPerToken, tokensPerS: p.decodeTokensPerS }));
  const powerLaw = rp.length >= 2 ? fitPowerLaw(rp) : null;
  const eff = rp.length >= 1 ? fitEffectiveBandwidth(rp) : null;
  const byQuant: Record<string, { effectiveBandwidthGBps: number; n: number }> = {};
  for (const q of [...new Set(fitted.map((p) => p.quant))]) {
    const f = fitEffectiveBandwidth(
      fitted
        .filter((p) => p.quant === q)
        .map((p) => ({ bytesPerToken: p.bytesPerToken, tokensPerS: p.decodeTokensPerS })),
    );
    byQuant[q] = { effectiveBandwidthGBps: f.bytesPerS / 1e9, n: f.n };
  }
  const mae = (xs: number[]): number | null =>
    xs.length === 0 ? null : xs.reduce((a, v) => a + Math.abs(v), 0) / xs.length;
  return {
    schema: "slm-energy/sweep@1",
    like,
    points,
    fit: {
      minBytesPerToken: fitMinBytesPerToken,
      powerLaw,
      effectiveBandwidthGBps: eff ? eff.bytesPerS / 1e9 : null,
      rmsLogError: eff ? eff.rmsLogError : null,
      byQuant,
    },
    prediction: {
      bandwidthGBps: predictedBytesPerS / 1e9,
      meanAbsErrorPct: mae(fitted.map((p) => p.errorPct)),
      meanAbsErrorPctWithFittedBandwidth: eff
        ? mae(fitted.map((p) => predictionErrorPct(p.decodeTokensPerS, eff.bytesPerS / p.bytesPerToken)))
        : null,
      modelMeanAbsErrorPct: mae(fitted.flatMap((p) => (p.modelErrorPct === null ? [] : [p.modelErrorPct]))),
    },
  };
}
