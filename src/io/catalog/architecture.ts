import type { z } from "zod";
import { bool, num, object, oneOf, orDefault, orNull } from "./fields.js";

const dim = (max: number) => num({ integer: true, min: 1, max });

/** Bias vectors on the attention projections: none (Llama), Q/K/V (Qwen2), or Q/K/V and output (gpt-oss). */
export const ATTENTION_BIAS = ["none", "qkv", "qkvo"] as const;

/**
 * A Mixture-of-Experts FFN (Qwen3-MoE, gpt-oss): every layer routes each token to `expertsUsed` of
 * `experts` gated FFNs of width `ffn`, chosen by a router of hidden × experts weights.
 */
export const MoeSchema = object({
  experts: dim(4096),
  expertsUsed: dim(4096),
  /** Each expert's gate, up and down projections carry a bias (gpt-oss). */
  expertBias: orDefault(bool(), () => false),
  /** The router carries a bias (gpt-oss). */
  routerBias: orDefault(bool(), () => false),
}).superRefine((m, ctx) => {
  if (m.expertsUsed > m.experts) {
    ctx.addIssue({ code: "custom", path: ["expertsUsed"], message: `expected at most experts (${m.experts})` });
  }
});

/** A decoder-only transformer as its config.json describes it (`architecture` of a model entry). */
export const ArchitectureSchema = object({
  layers: dim(1000),
  hidden: dim(1 << 20),
  /** FFN intermediate size (gated: gate and up are each hidden × ffn); of each expert under `moe`. */
  ffn: dim(1 << 22),
  heads: dim(4096),
  kvHeads: dim(4096),
  headDim: dim(1 << 14),
  vocab: dim(1 << 24),
  /** The input embedding is also the output head (read in full every decoded token). */
  tiedEmbeddings: bool(),
  contextLength: dim(1 << 28),
  slidingWindow: orNull(num({ integer: true, min: 1 })),
  /**
   * One layer in this many attends to the whole context; the others see `slidingWindow` tokens
   * (Gemma 3: 6; gpt-oss and Gemma 2: 2, the default when a window is given).
   */
  slidingWindowPattern: orNull(num({ integer: true, min: 2, max: 1000 })),
  /** RMSNorm weight vectors per layer (2 for Llama-style, 4 for Gemma 2). */
  normsPerLayer: orDefault(num({ integer: true, min: 0, max: 16 }), () => 2),
  /** Q, K, V stored as one tensor (Phi-3's attn_qkv). */
  fusedQkv: orDefault(bool(), () => false),
  /** FFN gate and up stored as one tensor (Phi-3's ffn_up of 2 × ffn). */
  fusedGateUp: orDefault(bool(), () => false),
  attentionBias: orDefault(oneOf(ATTENTION_BIAS), () => "none" as const),
  /** RMSNorm of width headDim on queries and keys (Qwen3, Gemma 3). */
  qkNorm: orDefault(bool(), () => false),
  /** One learned sink logit per head and layer (gpt-oss). */
  attentionSinks: orDefault(bool(), () => false),
  moe: orNull(MoeSchema),
}).superRefine((a, ctx) => {
  if (a.heads % a.kvHeads !== 0) {
    ctx.addIssue({ code: "custom", path: ["kvHeads"], message: `heads (${a.heads}) must be a multiple of kvHeads` });
  }
});

export type Architecture = z.output<typeof ArchitectureSchema>;
export type MoeArchitecture = z.output<typeof MoeSchema>;
