import type { Architecture } from "../io/catalog/architecture.js";

/**
 * Numbers that follow from a dense transformer's architecture alone.
 */

/** The largest relative gap allowed between a stated parameter count and the architecture's. */
export const PARAMETER_COUNT_TOLERANCE = 0.01;

/** Parameters of one decoder layer: attention (Q, K, V, O), gated FFN (gate, up, down) and norms. */
export function layerParameterCount(a: Architecture): number {
  const q = a.hidden * a.heads * a.headDim;
  const kv = 2 * a.hidden * a.kvHeads * a.headDim;
  const o = a.heads * a.headDim * a.hidden;
  const ffn = 3 * a.hidden * a.ffn;
  return q + kv + o + ffn + a.normsPerLayer * a.hidden;
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
