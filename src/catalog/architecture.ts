import type { Architecture } from "../io/catalog/architecture.js";

/**
 * Numbers that follow from a decoder's architecture alone: dense (Llama, Gemma, Phi-3, Qwen) and
 * Mixture-of-Experts (Qwen3-MoE, gpt-oss) layers, with their biases, Q/K norms and sinks.
 */

/** The largest relative gap allowed between a stated parameter count and the architecture's. */
export const PARAMETER_COUNT_TOLERANCE = 0.01;

/** Bias and small per-layer vectors of the attention block: biases, Q/K norms, sinks. */
function attentionVectors(a: Architecture): number {
  const qDim = a.heads * a.headDim;
  const kvDim = a.kvHeads * a.headDim;
  const bias = a.attentionBias === "none" ? 0 : qDim + 2 * kvDim + (a.attentionBias === "qkvo" ? a.hidden : 0);
  return bias + (a.qkNorm ? 2 * a.headDim : 0) + (a.attentionSinks ? a.heads : 0);
}

/** Parameters of one layer's FFN: a gated FFN, or under `moe` the router and every expert. */
export function ffnParameterCount(a: Architecture): number {
  const dense = 3 * a.hidden * a.ffn;
  if (!a.moe) return dense;
  const m = a.moe;
  const router = a.hidden * m.experts + (m.routerBias ? m.experts : 0);
  return router + m.experts * (dense + (m.expertBias ? 2 * a.ffn + a.hidden : 0));
}

/** Parameters of one decoder layer: attention (Q, K, V, O and their vectors), FFN and norms. */
export function layerParameterCount(a: Architecture): number {
  const q = a.hidden * a.heads * a.headDim;
  const kv = 2 * a.hidden * a.kvHeads * a.headDim;
  const o = a.heads * a.headDim * a.hidden;
  return q + kv + o + attentionVectors(a) + ffnParameterCount(a) + a.normsPerLayer * a.hidden;
}

/**
 * Total parameters: input embedding, layers, final norm, and the output head unless tied.
 * Reproduces the published counts exactly for the four catalog models (e.g. 1,235,814,400 for
 * Llama 3.2 1B).
 */
export function parameterCountFromArchitecture(a: Architecture): number {
  const embedding = a.vocab * a.hidden;
  return embedding * (a.tiedEmbeddings ? 1 : 2) + a.layers * layerParameterCount(a) + a.hidden;
}

/**
 * KV-cache bytes per token of context: 2 (K and V) · layers · kvHeads · headDim · bytesPerElement.
 * llama.cpp keeps the cache in F16 (2 bytes) by default.
 * @example kvBytesPerToken(tinyllama) // 22528 (22 KiB)
 */
export function kvBytesPerToken(a: Architecture, bytesPerElement = 2): number {
  return 2 * a.layers * a.kvHeads * a.headDim * bytesPerElement;
}

/** Parameters read per decoded token as matrix weights (everything but the input embedding). */
export function matmulParameterCount(a: Architecture): number {
  return a.layers * (layerParameterCount(a) - a.normsPerLayer * a.hidden) + a.vocab * a.hidden;
}
