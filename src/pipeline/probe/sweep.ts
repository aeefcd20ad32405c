/**
 * The bandwidth sweep as a stage: synthetic GGUFs of one model family across sizes and
 * quantizations, each written to disk, run through the collector on this machine and read back;
 * `probe/sweep.ts` turns the collected inferences into points and fits.
 */
import { rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { benchmarkLikePrompts } from "../../collect/benchmark-like.js";
import type { SensorChoice } from "../../collect/collect.js";
import { collectRun } from "../collect/run.js";
import { catalogArchitecture, scaledSpec } from "../../gguf/architectures.js";
import type { GgufHeader } from "../../gguf/reader.js";
import { tokenTraffic } from "../../gguf/traffic.js";
import type { WritableQuant } from "../../gguf/types.js";
import { readGgufHeader } from "../../io/gguf/reader.js";
import { writeSyntheticGguf } from "../../io/gguf/writer.js";
import { readSweepInferences } from "../../io/probe/files.js";
import { ggufForwardCost } from "../../probe/compute.js";
import type { MachinePredictor } from "../../probe/model-prediction.js";
import {
  medianPromptTokens,
  summarizeSweep,
  sweepPoint,
  type ModelPrediction,
  type SweepInference,
  type SweepPoint,
  type SweepResult,
} from "../../probe/sweep.js";

type Architecture = ReturnType<typeof catalogArchitecture>;

export interface SweepOptions {
  root: string;
  like: string;
  scales: number[];
  quants: WritableQuant[];
  /** Inferences per model (after one warm-up). */
  n: number;
  /** Benchmark whose prompt shape the inferences use (default winogrande: short prompts; the sweep is about decode). */
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

/** Run `n` inferences of the model at `modelPath` through the collector into `bundle`; its timings. */
async function collectInferences(o: SweepOptions, modelPath: string, bundle: string): Promise<SweepInference[]> {
  const promptsLike = o.promptsLike ?? "winogrande";
  rmSync(bundle, { recursive: true, force: true });
  await collectRun({
    modelPath,
    prompts: benchmarkLikePrompts(promptsLike, o.n, 1),
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
  return readSweepInferences(join(bundle, "inference.jsonl")).map((r) => ({
    promptTokens: r.prompt_tokens,
    genTokens: r.gen_tokens,
    prefillMs: r.prefill_ms,
    decodeMs: r.decode_ms,
  }));
}

/** What the calibrated model predicts for this file, or why it could not. */
function askModel(o: SweepOptions, header: GgufHeader, promptTokens: number): ModelPrediction {
  if (!o.modelPredictor) return { decodeTokensPerS: null, prefillTokensPerS: null, note: null };
  try {
    const r = o.modelPredictor(header, { promptTokens, genTokens: o.genTokens });
    return { decodeTokensPerS: r.decodeTokensPerS, prefillTokensPerS: r.prefillTokensPerS, note: null };
  } catch (e) {
    return { decodeTokensPerS: null, prefillTokensPerS: null, note: (e as Error).message };
  }
}

/** Write, run and measure one (scale, quantization) model. */
async function sweepOne(o: SweepOptions, arch: Architecture, scale: number, quant: WritableQuant): Promise<SweepPoint> {
  const name = `${o.like}-x${scale}-${quant}`;
  const spec = scaledSpec(arch, scale, quant, `synthetic ${o.like} ×${scale} ${quant}`);
  const modelPath = join(o.workDir, `${name}.gguf`);
  o.onStep?.(`writing ${name}`);
  await writeSyntheticGguf(spec, modelPath);
  const header = readGgufHeader(modelPath);
  const traffic = tokenTraffic(header);
  const bundle = join(o.workDir, "bundles", name);
  o.onStep?.(`running ${name} (${(traffic.weightBytesPerToken / 2 ** 20).toFixed(1)} MiB/token)`);
  const inferences = await collectInferences(o, modelPath, bundle);
  const modelPrediction = askModel(o, header, medianPromptTokens(inferences));
  if (!o.keepModels) rmSync(modelPath, { force: true });
  const point = sweepPoint({
    model: name,
    quant,
    scale,
    fileBytes: header.fileBytes,
    traffic,
    cost: ggufForwardCost(header),
    inferences,
    genTokens: o.genTokens,
    predictedBytesPerS: o.predictedBytesPerS,
    fitMinBytesPerToken: o.fitMinBytesPerToken,
    modelPrediction,
    bundle: o.keepModels ? bundle : null,
  });
  if (!o.keepModels) rmSync(bundle, { recursive: true, force: true });
  return point;
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const arch = catalogArchitecture(o.root, o.like);
  mkdirSync(o.workDir, { recursive: true });
  const points: SweepPoint[] = [];
  for (const scale of o.scales) for (const quant of o.quants) points.push(await sweepOne(o, arch, scale, quant));
  return summarizeSweep(o.like, points, o.predictedBytesPerS, o.fitMinBytesPerToken);
}
