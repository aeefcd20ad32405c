/**
 * The shape of a synthetic llama-architecture model and the tensors it consists of. Pure: no I/O.
 */
import { usageError } from "../errors.js";
import { GGML_BLOCK, WRITABLE_QUANTS, ggmlTensorBytes, type GgmlTypeName, type WritableQuant } from "./types.js";
import { MIN_VOCAB } from "./vocab.js";

export interface SyntheticModelSpec {
  /** `general.name` written into the file. */
  name: string;
  layers: number;
  /** Embedding width (`n_embd`). */
  hidden: number;
  /** FFN inner width (`n_ff`). */
  ffn: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  /** Per-head width; defaults to hidden / heads. When different, key/value lengths are written. */
  headDim?: number;
  /** Output head shares the token embedding (no `output.weight`), as Llama 3.2 and Gemma 2 do. */
  tiedEmbeddings?: boolean;
  /** Type of every weight matrix; norms are always F32. */
  quant: WritableQuant;
  /** `llama.context_length` (default 2048). */
  contextLength?: number;
  /** Seed of the weights (default 1). Same spec and seed give byte-identical files. */
  seed?: number;
}

export interface PlannedTensor {
  name: string;
  /** ggml order: the contiguous dimension first. */
  dims: number[];
  type: GgmlTypeName;
  /** "ones" for norm weights, "random" for matrices (uniform, std 1/sqrt(dims[0])). */
  init: "ones" | "random";
  elements: number;
  bytes: number;
}

export const headDimOf = (s: SyntheticModelSpec): number => s.headDim ?? s.hidden / s.heads;

/** Throws a usage error naming the first field that does not make a loadable model. */
export function validateSpec(s: SyntheticModelSpec): void {
  const positiveInt = (v: number, field: string): void => {
    if (!Number.isInteger(v) || v <= 0) throw usageError(`the model's ${field} must be a positive integer, got ${v}`);
  };
  positiveInt(s.layers, "layer count");
  positiveInt(s.hidden, "hidden width");
  positiveInt(s.ffn, "feed-forward width");
  positiveInt(s.heads, "head count");
  positiveInt(s.kvHeads, "KV head count");
  positiveInt(s.vocab, "vocabulary size");
  if (!(WRITABLE_QUANTS as readonly string[]).includes(s.quant)) {
    throw usageError(`the quantization must be one of ${WRITABLE_QUANTS.join(", ")}, got ${s.quant}`);
  }
  if (s.vocab < MIN_VOCAB)
    throw usageError(`the vocabulary must hold at least ${MIN_VOCAB} tokens (specials, 256 byte tokens, ASCII)`);
  if (s.heads % s.kvHeads !== 0) {
    throw usageError(
      `the head count (${s.heads}) must be a multiple of the KV head count (${s.kvHeads}) for grouped-query attention`,
    );
  }
  const hd = headDimOf(s);
  if (!Number.isInteger(hd) || hd % 2 !== 0) {
    throw usageError(
      `head width hidden/heads = ${hd} must be an even integer (RoPE rotates pairs)`,
      "choose a hidden width that is a multiple of 2 × heads, or set the head width",
    );
  }
  const block = GGML_BLOCK[s.quant].elements;
  const rowWidths: [number, string][] = [
    [s.hidden, "hidden"],
    [s.ffn, "ffn"],
    [s.heads * hd, "heads × head width"],
  ];
  for (const [w, what] of rowWidths) {
    if (w % 32 !== 0) {
      throw usageError(
        `${what} = ${w} must be a multiple of 32`,
        `${s.quant} packs rows in blocks of ${block}; ggml kernels need multiples of 32 everywhere`,
      );
    }
  }
  if (s.contextLength !== undefined) positiveInt(s.contextLength, "context length");
  if (s.seed !== undefined && (!Number.isInteger(s.seed) || s.seed < 0))
    throw usageError(`the seed must be a non-negative integer, got ${s.seed}`);
}

/** Every tensor of the model, in the order the writer lays them out. */
export function planTensors(s: SyntheticModelSpec): PlannedTensor[] {
  const hd = headDimOf(s);
  const qDim = s.heads * hd;
  const kvDim = s.kvHeads * hd;
  const out: PlannedTensor[] = [];
  const add = (name: string, dims: number[], type: GgmlTypeName, init: "ones" | "random"): void => {
    const elements = dims.reduce((a, b) => a * b, 1);
    out.push({ name, dims, type, init, elements, bytes: ggmlTensorBytes(type, elements) });
  };
  const q = s.quant;
  add("token_embd.weight", [s.hidden, s.vocab], q, "random");
  add("output_norm.weight", [s.hidden], "F32", "ones");
  if (!s.tiedEmbeddings) add("output.weight", [s.hidden, s.vocab], q, "random");
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    add(`${b}.attn_norm.weight`, [s.hidden], "F32", "ones");
    add(`${b}.attn_q.weight`, [s.hidden, qDim], q, "random");
    add(`${b}.attn_k.weight`, [s.hidden, kvDim], q, "random");
    add(`${b}.attn_v.weight`, [s.hidden, kvDim], q, "random");
    add(`${b}.attn_output.weight`, [qDim, s.hidden], q, "random");
    add(`${b}.ffn_norm.weight`, [s.hidden], "F32", "ones");
    add(`${b}.ffn_gate.weight`, [s.hidden, s.ffn], q, "random");
    add(`${b}.ffn_up.weight`, [s.hidden, s.ffn], q, "random");
    add(`${b}.ffn_down.weight`, [s.ffn, s.hidden], q, "random");
  }
  return out;
}

/** Parameter count (all tensors, embedding included). */
export const specParameterCount = (s: SyntheticModelSpec): number => planTensors(s).reduce((a, t) => a + t.elements, 0);
