import type { z } from "zod";
import { bool, num, object, orDefault, orNull } from "./fields.js";

const dim = (max: number) => num({ integer: true, min: 1, max });

/** A dense decoder-only transformer as its config.json describes it (`architecture` of a model entry). */
export const ArchitectureSchema = object({
  layers: dim(1000),
  hidden: dim(1 << 20),
  /** FFN intermediate size (gated: gate and up are each hidden × ffn). */
  ffn: dim(1 << 22),
  heads: dim(4096),
  kvHeads: dim(4096),
  headDim: dim(1 << 14),
  vocab: dim(1 << 24),
  /** The input embedding is also the output head (read in full every decoded token). */
  tiedEmbeddings: bool(),
  contextLength: dim(1 << 28),
  slidingWindow: orNull(num({ integer: true, min: 1 })),
  /** RMSNorm weight vectors per layer (2 for Llama-style, 4 for Gemma 2). */
  normsPerLayer: orDefault(num({ integer: true, min: 0, max: 16 }), () => 2),
  /** Q, K, V stored as one tensor (Phi-3's attn_qkv). */
  fusedQkv: orDefault(bool(), () => false),
  /** FFN gate and up stored as one tensor (Phi-3's ffn_up of 2 × ffn). */
  fusedGateUp: orDefault(bool(), () => false),
}).superRefine((a, ctx) => {
  if (a.heads % a.kvHeads !== 0) {
    ctx.addIssue({ code: "custom", path: ["kvHeads"], message: `heads (${a.heads}) must be a multiple of kvHeads` });
  }
});

export type Architecture = z.output<typeof ArchitectureSchema>;
