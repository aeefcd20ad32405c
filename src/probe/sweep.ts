/**
 * The bandwidth sweep: synthetic GGUFs of one model family across sizes and quantizations, each
 * run through the collector on this machine, then decode rates compared with the bandwidth-bound
 * prediction `tokens/s = B_eff / bytes_per_token` for B_eff measured by the probe, and fitted in
 * log-log (exponent −1 means bandwidth-bound).
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { median } from "simple-statistics";
import { collectRun } from "../pipeline/collect/run.js";
import { benchmarkLikePrompts } from "../collect/benchmark-like.js";
import type { SensorChoice } from "../collect/collect.js";
import type { CollectorRecordV1 } from "../ingest/types.js";
import { catalogArchitecture, scaledSpec } from "../gguf/architectures.js";
import { readGgufHeader } from "../gguf/reader.js";
import { tokenTraffic } from "../gguf/traffic.js";
import { writeSyntheticGguf } from "../gguf/writer.js";
import type { WritableQuant } from "../gguf/types.js";
import { ggufForwardCost, ggufPrefillFlops } from "./compute.js";
import type { MachinePredictor } from "./model-prediction.js";
import {
  bandwidthBoundTokensPerS,
  fitEffectiveBandwidth,
  fitPowerLaw,
  predictionErrorPct,
  type PowerLawFit,
} from "./fit.js";

export interface SweepOptions {
  root: string;
  like: string;
  scales: number[];
  quants: WritableQuant[];
  /** Inferences per model (after one warm-up). */
  n: number;
  /** Benchmark whose prompt shape the inferences use (default winogrande: short prompts, the sweep is about decode). */
  promptsLike?: string;
  genTokens: number;
  threads?: number;
  /** Where models and bundles go. */
  workDir: string;
  keepModels: boolean;
  /** Effective bandwidth for the prediction (bytes/s), from the probe. */
  predictedBytesPerS: number;
  /** Points with bytes/token below this are cache-resident: shown, but not fitted. */
  fitMinBytesPerToken: number;
  sensor: SensorChoice;
  /** The calibrated model's prediction for this machine (`slm-energy predict`), when available. */
  modelPredictor?: MachinePredictor;
  onStep?: (text: string) => void;
}

export interface SweepPoint {
  model: string;
  quant: WritableQuant;
  scale: number;
  parameters: number;
  fileBytes: number;
  weightBytesPerToken: number;
  /** Weights + KV cache at the mean decode context. */
  bytesPerToken: number;
  promptTokens: number;
  /**
   * Decode rate: the best (highest) per-inference rate, the least disturbed one (as the probe
   * reports best-of-trials bandwidth); the median is kept beside it.
   */
  decodeTokensPerS: number;
  decodeTokensPerSMedian: number;
  prefillTokensPerS: number;
  prefillGflopsPerS: number;
  /** Bytes actually streamed per second at the measured decode rate (GB/s). */
  achievedGBps: number;
  predictedDecodeTokensPerS: number;
  errorPct: number;
  /** The calibrated model's decode rate for this machine and its error; null without a predictor. */
  modelDecodeTokensPerS: number | null;
  modelErrorPct: number | null;
  modelPrefillTokensPerS: number | null;
  /** Why the model gave no figure, when it failed. */
  modelNote: string | null;
  fitted: boolean;
  bundle: string | null;
}

export interface SweepResult {
  schema: "slm-energy/sweep@1";
  like: string;
  points: SweepPoint[];
  fit: {
    minBytesPerToken: number;
    powerLaw: PowerLawFit | null;
    effectiveBandwidthGBps: number | null;
    rmsLogError: number | null;
    byQuant: Record<string, { effectiveBandwidthGBps: number; n: number }>;
  };
  prediction: {
    bandwidthGBps: number;
    meanAbsErrorPct: number | null;
    /** Mean abs error when the fitted bandwidth replaces the probe's. */
    meanAbsErrorPctWithFittedBandwidth: number | null;
    /** Mean abs error of the calibrated model (`predict`) over the fitted points, when it ran. */
    modelMeanAbsErrorPct: number | null;
  };
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const arch = catalogArchitecture(o.root, o.like);
  mkdirSync(o.workDir, { recursive: true });
  const promptsLike = o.promptsLike ?? "winogrande";
  const prompts = benchmarkLikePrompts(promptsLike, o.n, 1);
  const points: SweepPoint[] = [];
  for (const scale of o.scales) {
    for (const quant of o.quants) {
      const name = `${o.like}-x${scale}-${quant}`;
      const spec = scaledSpec(arch, scale, quant, `synthetic ${o.like} ×${scale} ${quant}`);
      const modelPath = join(o.workDir, `${name}.gguf`);
      o.onStep?.(`writing ${name}`);
      await writeSyntheticGguf(spec, modelPath);
      const header = readGgufHeader(modelPath);
      const traffic = tokenTraffic(header);
      const cost = ggufForwardCost(header);
      const bundle = join(o.workDir, "bundles", name);
      rmSync(bundle, { recursive: true, force: true });
      o.onStep?.(`running ${name} (${(traffic.weightBytesPerToken / 2 ** 20).toFixed(1)} MiB/token)`);
      await collectRun({
        modelPath,
        prompts,
        promptSource: `benchmark-like:${promptsLike}`,
        benchmark: promptsLike,
        genTokens: o.genTokens,
        ...(o.threads === undefined ? {} : { threads: o.threads }),
        outDir: bundle,
        sensor: o.sensor,
        sampleMs: 100,
        idleS: 0,
        warmup: 1,
        device: "local",
        powerMode: null,
      });
      const records = readFileSync(join(bundle, "inference.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as CollectorRecordV1);
      const promptTokens = median(records.map((r) => r.prompt_tokens));
      const decodeRates = records.map((r) => r.gen_tokens / (r.decode_ms / 1000));
      const decode = Math.max(...decodeRates);
      const prefill = median(records.map((r) => r.prompt_tokens / (r.prefill_ms / 1000)));
      const prefillGflops = median(
        records.map((r) => ggufPrefillFlops(cost, r.prompt_tokens) / (r.prefill_ms / 1000) / 1e9),
      );
      const meanContext = promptTokens + o.genTokens / 2;
      const bytesPerToken = traffic.weightBytesPerToken + traffic.kvBytesPerContextToken * meanContext;
      const predicted = bandwidthBoundTokensPerS(o.predictedBytesPerS, bytesPerToken);
      let modelDecode: number | null = null;
      let modelPrefill: number | null = null;
      let modelNote: string | null = null;
      if (o.modelPredictor) {
        try {
          const r = o.modelPredictor(header, { promptTokens, genTokens: o.genTokens });
          modelDecode = r.decodeTokensPerS;
          modelPrefill = r.prefillTokensPerS;
        } catch (e) {
          modelNote = (e as Error).message;
        }
      }
      if (!o.keepModels) rmSync(modelPath, { force: true });
      points.push({
        model: name,
        quant,
        scale,
        parameters: traffic.parameters,
        fileBytes: header.fileBytes,
        weightBytesPerToken: traffic.weightBytesPerToken,
        bytesPerToken,
        promptTokens,
        decodeTokensPerS: decode,
        decodeTokensPerSMedian: median(decodeRates),
        prefillTokensPerS: prefill,
        prefillGflopsPerS: prefillGflops,
        achievedGBps: (decode * bytesPerToken) / 1e9,
        predictedDecodeTokensPerS: predicted,
        errorPct: predictionErrorPct(decode, predicted),
        modelDecodeTokensPerS: modelDecode,
        modelErrorPct: modelDecode === null ? null : predictionErrorPct(decode, modelDecode),
        modelPrefillTokensPerS: modelPrefill,
        modelNote,
        fitted: bytesPerToken >= o.fitMinBytesPerToken,
        bundle: o.keepModels ? bundle : null,
      });
      if (!o.keepModels) rmSync(bundle, { recursive: true, force: true });
    }
  }
  return summarizeSweep(o.like, points, o.predictedBytesPerS, o.fitMinBytesPerToken);
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
