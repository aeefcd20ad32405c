import type { Architecture } from "../catalog/models.js";
import { kvBytesPerToken } from "../catalog/architecture.js";
import type { TensorInventory } from "./tensors.js";

/**
 * What one token costs a decoder, exactly from its tensors: bytes read and FLOPs.
 *
 * Decode reads every weight once per token, except the input embedding, which is a row lookup;
 * with tied embeddings the same matrix is the output head and is read in full. A Mixture-of-Experts
 * layer reads its router and only the used experts' share of the expert tensors (`expertsUsed` of
 * `experts`). The KV cache adds `kvBytesPerContextToken` per token already in context. A
 * matrix-vector product costs 2 FLOPs per weight read; attention costs 4 · layers · heads · headDim
 * FLOPs per token in context (QKᵀ and AV).
 */
export interface ModelPhysics {
  parameters: number;
  /** Parameters of the tensors a decoded token uses (MoE: only the used experts' share of the expert tensors). */
  activeParameters: number;
  /** Bytes of all tensor data (≈ the file size minus metadata; what the runtime keeps in RAM). */
  weightBytes: number;
  /** Weight bytes read per decoded token. */
  decodeWeightBytesPerToken: number;
  kvBytesPerContextToken: number;
  /** 2 × weights of every matrix but the embedding and the output head (MoE: used experts only). */
  bodyFlopsPerToken: number;
  /** 2 × vocab × hidden: the output head, paid only where logits are computed. */
  headFlopsPerToken: number;
  /** 4 · layers · heads · headDim: attention FLOPs per token per token already in context. */
  attentionFlopsPerContextToken: number;
  /** Sliding-window layers see at most this many tokens (Gemma 2/3, gpt-oss). */
  slidingWindow: number | null;
  /** Share of the layers that attend to the whole context when `slidingWindow` is set. */
  globalLayerFraction: number;
  contextLength: number;
}

/** Expert tensors (`blk.N.ffn_*_exps.*`): read and multiplied only for the used experts. */
const EXPERT_TENSOR = /\.ffn_(gate|up|down)_exps\./;

/** Share of the layers with full attention: one in `slidingWindowPattern` (2 when unstated, as Gemma 2). */
export function globalLayerFraction(a: Architecture): number {
  if (a.slidingWindow === null) return 1;
  const n = a.slidingWindowPattern ?? 2;
  return Math.floor(a.layers / n) / a.layers;
}

export function modelPhysics(inv: TensorInventory, a: Architecture, kvBytesPerElement = 2): ModelPhysics {
  const used = a.moe ? a.moe.expertsUsed / a.moe.experts : 1;
  let weightBytes = 0;
  let parameters = 0;
  let activeParameters = 0;
  let unusedExpertBytes = 0;
  let body = 0;
  let embedBytes = 0;
  let embedRows = 1;
  let headElements = 0;
  for (const t of inv.tensors) {
    const share = EXPERT_TENSOR.test(t.name) ? used : 1;
    weightBytes += t.bytes;
    parameters += t.elements;
    activeParameters += t.elements * share;
    unusedExpertBytes += t.bytes * (1 - share);
    if (t.role === "token_embd") {
      embedBytes = t.bytes;
      embedRows = t.dims[1] ?? 1;
      if (inv.tiedOutput) headElements = t.elements;
    } else if (t.role === "output") headElements = t.elements;
    else if (t.dims.length >= 2 && !t.name.endsWith(".bias")) body += t.elements * share;
  }
  const rowBytes = embedBytes / embedRows;
  const readAll = weightBytes - unusedExpertBytes;
  const decodeWeightBytesPerToken = inv.tiedOutput ? readAll + rowBytes : readAll - embedBytes + rowBytes;
  return {
    parameters,
    activeParameters,
    weightBytes,
    decodeWeightBytesPerToken,
    kvBytesPerContextToken: kvBytesPerToken(a, kvBytesPerElement),
    bodyFlopsPerToken: 2 * body,
    headFlopsPerToken: 2 * headElements,
    attentionFlopsPerContextToken: 4 * a.layers * a.heads * a.headDim,
    slidingWindow: a.slidingWindow,
    globalLayerFraction: globalLayerFraction(a),
    contextLength: a.contextLength,
  };
}

/** Attention context a token at position `c` sees on average: global layers c, windowed ones at most the window. */
function effectiveContext(p: ModelPhysics, c: number): number {
  if (p.slidingWindow === null) return c;
  const g = p.globalLayerFraction;
  return g * c + (1 - g) * Math.min(c, p.slidingWindow);
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
