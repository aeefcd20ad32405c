import { inputError } from "../errors.js";
import { tokenizerFamilyForVocab, type Architecture, type ModelSpec } from "../catalog/models.js";
import { metaNumber, metaValue, type GgufHeader } from "../gguf/reader.js";
import { inventoryFromTensors, type TensorEntry, type TensorInventory } from "./tensors.js";

/**
 * A model described by a GGUF header alone: the architecture from its metadata, the exact tensor
 * inventory (every tensor's type and shape) from its tensor infos. No weights are read.
 */
export interface GgufModel {
  spec: ModelSpec;
  inventory: TensorInventory;
}

const has = (layer0: readonly TensorEntry[], suffix: string): boolean => layer0.some((t) => t.name.endsWith(suffix));

/** What a layer's tensors show beyond the dense core: biases, Q/K norms, sinks, experts. */
function tensorFeatures(layer0: readonly TensorEntry[], num: (k: string) => number | null) {
  const experts = num("expert_count");
  const moe =
    experts !== null && experts > 1
      ? {
          experts,
          expertsUsed: num("expert_used_count") ?? 1,
          expertBias: has(layer0, ".ffn_down_exps.bias"),
          routerBias: has(layer0, ".ffn_gate_inp.bias"),
        }
      : null;
  const qkvBias = has(layer0, ".attn_q.bias") || has(layer0, ".attn_qkv.bias");
  return {
    slidingWindowPattern: num("attention.sliding_window_pattern"),
    attentionBias: !qkvBias
      ? ("none" as const)
      : has(layer0, ".attn_output.bias")
        ? ("qkvo" as const)
        : ("qkv" as const),
    qkNorm: has(layer0, ".attn_q_norm.weight"),
    attentionSinks: has(layer0, ".attn_sinks.weight"),
    moe,
  };
}

export function modelFromGguf(h: GgufHeader): GgufModel {
  const arch = metaValue(h, "general.architecture");
  if (typeof arch !== "string") {
    throw inputError(`GGUF metadata "general.architecture" is missing`, {
      file: h.file,
      field: "general.architecture",
      hint: "is this a llama.cpp model file?",
    });
  }
  const inventory = inventoryFromTensors(h.tensors, h.file);
  const num = (k: string): number | null => {
    const v = metaValue(h, `${arch}.${k}`);
    return typeof v === "number" ? v : null;
  };
  const heads = metaNumber(h, `${arch}.attention.head_count`);
  const hidden = metaNumber(h, `${arch}.embedding_length`);
  const embd = inventory.tensors.find((t) => t.role === "token_embd");
  const tokens = metaValue(h, "tokenizer.ggml.tokens");
  const vocab = embd?.dims[1] ?? (Array.isArray(tokens) ? tokens.length : null);
  if (!vocab)
    throw inputError("cannot tell the vocabulary size (no token_embd.weight, no tokenizer.ggml.tokens)", {
      file: h.file,
      field: "token_embd.weight",
    });
  const layer0 = inventory.tensors.filter((t) => t.layer === 0);
  const a: Architecture = {
    layers: metaNumber(h, `${arch}.block_count`),
    hidden,
    // a MoE file's feed_forward_length may be a dense width its experts do not use (Qwen3-MoE)
    ffn:
      ((num("expert_count") ?? 0) > 1 ? num("expert_feed_forward_length") : null) ??
      metaNumber(h, `${arch}.feed_forward_length`),
    heads,
    kvHeads: num("attention.head_count_kv") ?? heads,
    headDim: num("attention.key_length") ?? hidden / heads,
    vocab,
    tiedEmbeddings: inventory.tiedOutput,
    contextLength: num("context_length") ?? 2048,
    slidingWindow: num("attention.sliding_window"),
    normsPerLayer: layer0.filter((t) => t.role === "norm" && !/\.attn_[qk]_norm\./.test(t.name)).length || 2,
    fusedQkv: layer0.some((t) => t.role === "attn_qkv"),
    fusedGateUp: !layer0.some((t) => t.role === "ffn_gate") && layer0.some((t) => t.role === "ffn_up"),
    ...tensorFeatures(layer0, num),
  };
  if (!Number.isInteger(a.headDim) || a.heads % a.kvHeads !== 0) {
    throw inputError(`inconsistent attention shape: ${a.heads} heads, ${a.kvHeads} KV heads, head width ${a.headDim}`, {
      file: h.file,
      field: `${arch}.attention.head_count_kv`,
    });
  }
  const name = metaValue(h, "general.name");
  const parameters = inventory.tensors.reduce((s, t) => s + t.elements, 0);
  const id =
    (typeof name === "string" ? name : "gguf-model")
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "gguf-model";
  return {
    spec: {
      id,
      aliases: [],
      label: typeof name === "string" ? name : h.file,
      checkpoint: null,
      architectureSource: `GGUF metadata of ${h.file}`,
      ggufArchitecture: arch,
      architecture: a,
      tokenizer: {
        kind: String(metaValue(h, "tokenizer.ggml.model") ?? "unknown"),
        vocab,
        family: tokenizerFamilyForVocab(vocab),
      },
      parameters: { nominalB: Math.round(parameters / 1e7) / 100, printed: null, count: parameters },
      trainingTokensT: null,
      paperProfile: null,
    },
    inventory,
  };
}

/** The quantization family of a ggml tensor type name (what calibration coverage is keyed by). */
export function familyOfTensorType(type: string): string {
  if (/^(F32|F16|BF16)$/.test(type)) return "float";
  if (type === "Q8_0" || type === "Q8_1") return "q8";
  if (/^Q4_[01]$/.test(type)) return "q4-legacy";
  if (/^Q5_[01]$/.test(type)) return "q5-legacy";
  if (/_K$/.test(type)) return "k-quant";
  return "unknown";
}
