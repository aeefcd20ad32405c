/**
 * Compute rate of this machine as llama.cpp achieves it: prefill of a long prompt on a synthetic
 * model is matrix–matrix work (compute-bound), so FLOPs of the forward pass over its time give the
 * effective GFLOP/s of llama.cpp's kernels for each quantization (dequantization included).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openLlamaEngine } from "../io/llama/engine.js";
import { benchmarkLikePrompts } from "../collect/benchmark-like.js";
import { catalogArchitecture, scaledSpec } from "../gguf/architectures.js";
import { readGgufHeader } from "../gguf/reader.js";
import { writeSyntheticGguf } from "../gguf/writer.js";
import type { WritableQuant } from "../gguf/types.js";
import { ggufForwardCost, ggufPrefillFlops } from "./compute.js";

export interface ComputePoint {
  quant: WritableQuant;
  threads: number;
  parameters: number;
  promptTokens: number;
  /** Best of the trials, GFLOP/s (matmuls + attention of the prefill). */
  bestGflopsPerS: number;
  medianGflopsPerS: number;
  trials: number;
}

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

export async function measureComputeRate(o: ComputeProbeOptions): Promise<ComputePoint[]> {
  mkdirSync(o.workDir, { recursive: true });
  const like = o.like ?? "tinyllama-1.1b";
  const arch = catalogArchitecture(o.root, like);
  const n = o.promptTokens ?? 256;
  const trials = o.trials ?? 3;
  const out: ComputePoint[] = [];
  for (const quant of o.quants ?? (["Q4_0", "Q8_0", "F16"] as WritableQuant[])) {
    const path = join(o.workDir, `compute-${quant}.gguf`);
    try {
      await writeSyntheticGguf(scaledSpec(arch, o.scale ?? 0.05, quant, `compute probe ${quant}`), path);
      const header = readGgufHeader(path);
      const cost = ggufForwardCost(header);
      const engine = await openLlamaEngine({
        modelPath: path,
        ...(o.threads === undefined ? {} : { threads: o.threads }),
      });
      try {
        // A long prompt: benchmark-like text until it has n tokens.
        let tokens: number[] = [];
        for (let k = 1; tokens.length < n; k++)
          tokens = engine.tokenize(
            benchmarkLikePrompts("hellaswag", 4 * k, 7)
              .map((p) => p.prompt)
              .join(" "),
          );
        tokens = tokens.slice(0, n);
        await engine.prepare(n + 2);
        await engine.infer(tokens, 0); // warm-up: page the weights in
        const rates: number[] = [];
        for (let t = 0; t < trials; t++) {
          const r = await engine.infer(tokens, 0);
          rates.push(ggufPrefillFlops(cost, n) / (r.prefillMs / 1000) / 1e9);
        }
        rates.sort((a, b) => a - b);
        const p: ComputePoint = {
          quant,
          threads: engine.info().threads,
          parameters: header.tensors.reduce((a, x) => a + x.elements, 0),
          promptTokens: n,
          bestGflopsPerS: rates[rates.length - 1]!,
          medianGflopsPerS: rates[Math.floor(rates.length / 2)]!,
          trials,
        };
        o.onPoint?.(p);
        out.push(p);
      } finally {
        await engine.dispose();
      }
    } finally {
      rmSync(path, { force: true });
    }
  }
  return out;
}
