import type { Architecture } from "../catalog/models.js";
import { kvBytesPerToken } from "../catalog/architecture.js";
import type { TensorInventory } from "./tensors.js";

/**
 * What one token costs a dense decoder, exactly from its tensors: bytes read and FLOPs.
 *
 * Decode reads every weight once per token, except the input embedding, which is a row lookup;
 * with tied embeddings the same matrix is the output head and is read in full. The KV cache adds
 * `kvBytesPerContextToken` per token already in context. A matrix-vector product costs 2 FLOPs
 * per weight; attention costs 4 · layers · heads · headDim FLOPs per token in context (QKᵀ and AV).
 */
export interface ModelPhysics {
  parameters: number;
  /** Bytes of all tensor data (≈ the file size minus metadata; what the runtime keeps in RAM). */
  weightBytes: number;
  /** Weight bytes read per decoded token. */
  decodeWeightBytesPerToken: number;
  kvBytesPerContextToken: number;
  /** 2 × weights of every matrix but the embedding and the output head. */
  bodyFlopsPerToken: number;
  /** 2 × vocab × hidden: the output head, paid only where logits are computed. */
  headFlopsPerToken: number;
  /** 4 · layers · heads · headDim: attention FLOPs per token per token already in context. */
  attentionFlopsPerContextToken: number;
  /** Gemma 2: half the layers see at most this many tokens. */
  slidingWindow: number | null;
  contextLength: number;
}

export function modelPhysics(inv: TensorInventory, a: Architecture, kvBytesPerElement = 2): ModelPhysics {
  let weightBytes = 0;
  let parameters = 0;
  let body = 0;
  let embedBytes = 0;
  let embedRows = 1;
  let headElements = 0;
  for (const t of inv.tensors) {
    weightBytes += t.bytes;
    parameters += t.elements;
    if (t.role === "token_embd") {
      embedBytes = t.bytes;
      embedRows = t.dims[1] ?? 1;
      if (inv.tiedOutput) headElements = t.elements;
    } else if (t.role === "output") headElements = t.elements;
    else if (t.dims.length >= 2) body += t.elements;
  }
  const rowBytes = embedBytes / embedRows;
  const decodeWeightBytesPerToken = inv.tiedOutput ? weightBytes + rowBytes : weightBytes - embedBytes + rowBytes;
  return {
    parameters,
    weightBytes,
    decodeWeightBytesPerToken,
    kvBytesPerContextToken: kvBytesPerToken(a, kvBytesPerElement),
    bodyFlopsPerToken: 2 * body,
    headFlopsPerToken: 2 * headElements,
    attentionFlopsPerContextToken: 4 * a.layers * a.heads * a.headDim,
    slidingWindow: a.slidingWindow,
    contextLength: a.contextLength,
  };
}

/** Attention context seen on average by a token at position `c`, with Gemma 2's alternating window. */
function effectiveContext(p: ModelPhysics, c: number): number {
  return p.slidingWindow === null ? c : 0.5 * c + 0.5 * Math.min(c, p.slidingWindow);
}

/** Bytes read to decode one token with `context` tokens already in the cache. */
export function decodeBytesPerToken(p: ModelPhysics, context: number): number {
  return (
    p.decodeWeightBytesPerToken + effectiveContext(p, context) * p.kvBytesPerContextToken + p.kvBytesPerContextToken
  );
}

/** FLOPs to decode one token with `context` tokens already in the cache (logits computed). */
export function decodeFlopsPerToken(p: ModelPhysics, context: number): number {
  return p.bodyFlopsPerToken + p.headFlopsPerToken + effectiveContext(p, context) * p.attentionFlopsPerContextToken;
}

export type Scoring = "loglikelihood" | "generate";

/**
 * FLOPs to prefill `tokens` prompt tokens after `context` cached ones. Log-likelihood scoring of
 * multiple-choice answers needs logits at every position (the output head runs on every token);
 * generation needs them only for the last prompt token.
 */
export function prefillFlopsTotal(p: ModelPhysics, tokens: number, context: number, scoring: Scoring): number {
  const logits = scoring === "loglikelihood" ? tokens : Math.min(1, tokens);
  const meanContext = context + tokens / 2;
  return (
    tokens * (p.bodyFlopsPerToken + effectiveContext(p, meanContext) * p.attentionFlopsPerContextToken) +
    logits * p.headFlopsPerToken
  );
}

/** Bytes read to prefill: the weights once per micro-batch of `ubatch` tokens, plus the cache. */
export function prefillBytes(p: ModelPhysics, tokens: number, context: number, ubatch = 512): number {
  if (tokens <= 0) return 0;
  const passes = Math.ceil(tokens / ubatch);
  return passes * p.decodeWeightBytesPerToken + (context + tokens) * p.kvBytesPerContextToken;
}
