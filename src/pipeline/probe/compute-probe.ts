/**
 * Compute rate of this machine as llama.cpp achieves it: prefill of a long prompt on a synthetic
 * model is matrix–matrix work (compute-bound), so FLOPs of the forward pass over its time give the
 * effective GFLOP/s of llama.cpp's kernels for each quantization (dequantization included).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { max, median } from "simple-statistics";
import type { InferenceEngine } from "../../collect/engine.js";
import { openLlamaEngine } from "../../io/llama/engine.js";
import { benchmarkLikePrompts } from "../../collect/benchmark-like.js";
import { catalogArchitecture, scaledSpec } from "../../gguf/architectures.js";
import type { WritableQuant } from "../../gguf/types.js";
import { readGgufHeader } from "../../io/gguf/reader.js";
import { writeSyntheticGguf } from "../../io/gguf/writer.js";
import { ggufForwardCost, ggufPrefillFlops, type ComputePoint } from "../../probe/compute.js";

export interface ComputeProbeOptions {
  root: string;
  workDir: string;
  quants?: WritableQuant[];
  threads?: number;
  promptTokens?: number;
  trials?: number;
  /** Model family and scale of the synthetic model (default tinyllama-1.1b × 0.05, ~55 M parameters). */
  like?: string;
  scale?: number;
  onPoint?: (p: ComputePoint) => void;
}

/** A long prompt: benchmark-like text until it has `n` tokens. */
function longPrompt(engine: InferenceEngine, n: number): number[] {
  let tokens: number[] = [];
  for (let k = 1; tokens.length < n; k++) {
    const text = benchmarkLikePrompts("hellaswag", 4 * k, 7)
      .map((p) => p.prompt)
      .join(" ");
    tokens = engine.tokenize(text);
  }
  return tokens.slice(0, n);
}

/** Prefill rates (GFLOP/s) of `trials` runs of an `n`-token prompt on the model at `path`, after a warm-up. */
async function prefillRates(path: string, n: number, trials: number, threads: number | undefined) {
  const header = readGgufHeader(path);
  const cost = ggufForwardCost(header);
  const engine = await openLlamaEngine({ modelPath: path, ...(threads === undefined ? {} : { threads }) });
  try {
    const tokens = longPrompt(engine, n);
    await engine.prepare(n + 2);
    await engine.infer(tokens, 0); // warm-up: page the weights in
    const rates: number[] = [];
    for (let t = 0; t < trials; t++) {
      const r = await engine.infer(tokens, 0);
      rates.push(ggufPrefillFlops(cost, n) / (r.prefillMs / 1000) / 1e9);
    }
    return { rates, threads: engine.info().threads, parameters: header.tensors.reduce((a, x) => a + x.elements, 0) };
  } finally {
    await engine.dispose();
  }
}

export async function measureComputeRate(o: ComputeProbeOptions): Promise<ComputePoint[]> {
  mkdirSync(o.workDir, { recursive: true });
  const arch = catalogArchitecture(o.root, o.like ?? "tinyllama-1.1b");
  const n = o.promptTokens ?? 256;
  const trials = o.trials ?? 3;
  const out: ComputePoint[] = [];
  for (const quant of o.quants ?? (["Q4_0", "Q8_0", "F16"] as WritableQuant[])) {
    const path = join(o.workDir, `compute-${quant}.gguf`);
    try {
      await writeSyntheticGguf(scaledSpec(arch, o.scale ?? 0.05, quant, `compute probe ${quant}`), path);
      const r = await prefillRates(path, n, trials, o.threads);
      const p: ComputePoint = {
        quant,
        threads: r.threads,
        parameters: r.parameters,
        promptTokens: n,
        bestGflopsPerS: max(r.rates),
        medianGflopsPerS: median(r.rates),
        trials,
      };
      o.onPoint?.(p);
      out.push(p);
    } finally {
      rmSync(path, { force: true });
    }
  }
  return out;
}
