/**
 * Arithmetic of a llama forward pass, from a GGUF header: FLOPs per token of the weight matmuls
 * (2 per weight read, the input embedding excluded since it is a row lookup) and of attention
 * over the context, so a measured prefill rate turns into an effective compute rate.
 */
import type { z } from "zod";
import { metaNumber, metaValue, type GgufHeader } from "../gguf/reader.js";
import type { ComputePointSchema } from "../io/probe/schema.js";

/** llama.cpp's prefill compute rate for one quantization (best and median GFLOP/s of the trials). */
export type ComputePoint = z.output<typeof ComputePointSchema>;

export interface GgufForwardCost {
  /** FLOPs of the weight matmuls per token (2 × matmul weights, output head included). */
  matmulFlopsPerToken: number;
  layers: number;
  /** Query width (heads × head dim): attention costs 4 × layers × qDim FLOPs per (token, context token). */
  qDim: number;
}

export function ggufForwardCost(h: GgufHeader): GgufForwardCost {
  const arch = metaValue(h, "general.architecture") as string;
  const layers = metaNumber(h, `${arch}.block_count`);
  const heads = metaNumber(h, `${arch}.attention.head_count`);
  const kl = metaValue(h, `${arch}.attention.key_length`);
  const headDim = typeof kl === "number" ? kl : metaNumber(h, `${arch}.embedding_length`) / heads;
  const hasOutput = h.tensors.some((t) => t.name === "output.weight");
  let weights = 0;
  for (const t of h.tensors) {
    if (t.dims.length < 2) continue; // norms: negligible
    if (t.name === "token_embd.weight" && hasOutput) continue; // lookup only
    weights += t.elements;
  }
  return { matmulFlopsPerToken: 2 * weights, layers, qDim: heads * headDim };
}

/** FLOPs of prefilling `n` tokens from an empty cache (matmuls + causal attention QKᵀ and AV). */
export function ggufPrefillFlops(c: GgufForwardCost, n: number): number {
  const attention = 4 * c.layers * c.qDim * ((n * (n + 1)) / 2);
  return c.matmulFlopsPerToken * n + attention;
}
