import type { FileType } from "../catalog/quantization.js";

/**
 * The ggml type llama.cpp's quantizer gives each tensor under a file type: `llama_tensor_get_type`
 * and `tensor_type_fallback` in src/llama-quant.cpp (ggml-org/llama.cpp @ 007dbbf3), for the file
 * types the quantization catalog lists, quantized without an importance matrix. MLC's presets
 * follow mlc-llm's quantization configs. Every rule below names the llama.cpp branch it follows.
 */

/** What the rules look at in a tensor. */
export interface MixtureTensor {
  role: string;
  layer: number | null;
  /** ggml's ne[0]: the contiguous (input) dimension. */
  rowLength: number;
  /** Expert tensors are 3-D (ne[2] = experts). */
  dims: number;
}

/** What the rules look at in the model. */
export interface MixtureModel {
  layers: number;
  tied: boolean;
  /** heads / kvHeads (llama.cpp's n_gqa). */
  gqa: number;
  /** 0 for a dense model. */
  experts: number;
  /** llama.cpp's LLM_TYPE_70B: an 80-layer llama-architecture model with grouped-query attention. */
  is70B: boolean;
}

/** llama.cpp's `use_more_bits`: the first and last eighth of the layers, and every third in between. */
export function useMoreBits(layer: number, layers: number): boolean {
  return (
    layer < Math.floor(layers / 8) ||
    layer >= Math.floor((7 * layers) / 8) ||
    (layer - Math.floor(layers / 8)) % 3 === 2
  );
}

const BLOCK_256 = new Set(["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ3_XXS", "IQ3_S", "IQ4_XS"]);

/** `tensor_type_fallback`: a 256-block type on a row that is not a multiple of 256. */
const FALLBACK: Record<string, string> = {
  Q2_K: "Q4_0",
  Q3_K: "Q4_0",
  Q4_K: "Q5_0",
  Q5_K: "Q5_1",
  Q6_K: "Q8_0",
  IQ3_XXS: "IQ4_NL",
  IQ3_S: "IQ4_NL",
  IQ4_XS: "IQ4_NL",
};

function fallback(t: string, rowLength: number): string {
  if (!BLOCK_256.has(t) || rowLength % 256 === 0) return t;
  const f = FALLBACK[t] as string;
  return rowLength % 32 === 0 ? f : "F16";
}

const blockOf = (t: string): number => (BLOCK_256.has(t) ? 256 : 32);

/** The output head (or the token embedding when it is also the head). */
function headType(ft: FileType, rowLength: number): string {
  if (ft.name === "MXFP4_MOE") return "Q8_0";
  if (rowLength % blockOf(ft.baseType) !== 0) return "Q8_0";
  return ft.baseType === "Q8_0" ? "Q8_0" : "Q6_K";
}

/** attn_v (category_is_attn_v; i_attention_wv is the layer index in a dense or MoE decoder). */
function attnVType(ft: FileType, i: number, m: MixtureModel): string {
  const n = ft.name;
  let t = ft.baseType;
  if (n === "Q2_K") t = m.gqa >= 4 ? "Q4_K" : "Q3_K";
  else if (n === "IQ3_XS" && m.gqa >= 4) t = "Q4_K";
  else if (n === "IQ3_M") t = "Q4_K";
  else if (n === "Q3_K_M") t = i < 2 ? "Q5_K" : "Q4_K";
  else if (n === "Q3_K_L") t = "Q5_K";
  else if ((n === "IQ4_NL" || n === "IQ4_XS") && m.gqa >= 4) t = "Q5_K";
  else if ((n === "Q4_K_M" || n === "Q5_K_M") && useMoreBits(i, m.layers)) t = "Q6_K";
  else if (n === "Q4_K_S" && i < 4) t = "Q5_K";
  if (m.is70B && (t === "Q3_K" || t === "Q4_K")) t = "Q5_K";
  if (m.experts === 8) t = "Q8_0";
  return t;
}

/** ffn_down (dense or experts), by layer. */
function ffnDownType(ft: FileType, i: number, m: MixtureModel): string {
  const n = ft.name;
  const L = m.layers;
  const more = useMoreBits(i, L);
  if (n === "Q2_K") return "Q3_K";
  if (n === "Q3_K_M") return i < Math.floor(L / 16) ? "Q5_K" : "Q4_K";
  if (n === "IQ3_M" && (i < Math.floor(L / 8) || (m.experts === 8 && more))) return "Q4_K";
  if (n === "Q3_K_L") return "Q5_K";
  if (n === "Q4_K_M") return more ? "Q6_K" : ft.baseType;
  if (i < Math.floor(L / 8) && (n === "IQ4_NL" || n === "IQ4_XS")) return "Q5_K";
  if (n === "Q5_K_M" && more) return "Q6_K";
  if (n === "Q4_K_S" && i < Math.floor(L / 8)) return "Q5_K";
  return ft.baseType;
}

const EIGHT_EXPERT_OUTPUT = new Set([
  "Q2_K",
  "IQ3_XS",
  "Q3_K_S",
  "Q3_K_M",
  "IQ4_NL",
  "Q4_K_S",
  "Q4_K_M",
  "IQ3_M",
  "IQ4_XS",
]);

function attnOutputType(ft: FileType, m: MixtureModel): string {
  const n = ft.name;
  if (m.experts === 8) return EIGHT_EXPERT_OUTPUT.has(n) ? "Q5_K" : ft.baseType;
  const raised: Record<string, string> = { Q2_K: "Q3_K", Q3_K_M: "Q4_K", Q3_K_L: "Q5_K", IQ3_M: "Q4_K" };
  return raised[n] ?? ft.baseType;
}

/**
 * Phi-3's fused attn_qkv: the dedicated attn_qkv branch (Q3_K_M / Q3_K_L / IQ3_M → Q4_K, Q4_K_M →
 * Q5_K, Q5_K_M → Q6_K), as llama.cpp builds before 007dbbf3 applied it; 007dbbf3 routes attn_qkv
 * through the attn_v rules first.
 */
function attnQkvType(ft: FileType): string {
  const raised: Record<string, string> = {
    Q3_K_M: "Q4_K",
    Q3_K_L: "Q4_K",
    IQ3_M: "Q4_K",
    Q4_K_M: "Q5_K",
    Q5_K_M: "Q6_K",
  };
  return raised[ft.name] ?? ft.baseType;
}

function bodyType(ft: FileType, t: MixtureTensor, m: MixtureModel): string {
  const i = t.layer ?? 0;
  const middle = i >= Math.floor(m.layers / 8) && i < Math.floor((7 * m.layers) / 8);
  switch (t.role) {
    case "attn_v":
      return attnVType(ft, i, m);
    case "attn_qkv":
      return attnQkvType(ft);
    case "attn_k":
      if (m.experts === 8) return "Q8_0";
      return ft.name === "IQ3_XS" ? "IQ3_XXS" : ft.baseType;
    case "attn_q":
      return ft.name === "IQ3_XS" ? "IQ3_XXS" : ft.baseType;
    case "ffn_down":
    case "ffn_down_exps":
      return ffnDownType(ft, i, m);
    case "attn_output":
      return attnOutputType(ft, m);
    case "ffn_gate":
    case "ffn_up":
    case "ffn_gate_exps":
    case "ffn_up_exps":
      return ft.name === "IQ3_XS" && middle ? "IQ3_XXS" : ft.baseType;
    default:
      return ft.baseType;
  }
}

/** MLC: embedding and final projection group-quantized (q4f16_1), other matrices in the preset's type. */
function mlcType(ft: FileType, t: MixtureTensor): string {
  if (t.dims < 2 || t.role === "norm") return "F16";
  if (t.role === "token_embd" || t.role === "output") return "MLC_Q4F16_1";
  return ft.baseType;
}

/** Tensors llama.cpp never quantizes: vectors (norms, biases, sinks) and the MoE router. */
function keptAsConverted(t: MixtureTensor): boolean {
  return t.dims < 2 || t.role === "norm" || t.role === "ffn_gate_inp" || t.role === "other";
}

/** The tensor type of one tensor under file type `ft`. */
export function mixtureType(ft: FileType, t: MixtureTensor, m: MixtureModel): string {
  if (ft.family === "mlc-int4") return mlcType(ft, t);
  if (keptAsConverted(t)) return "F32";
  if (ft.family === "float") return ft.baseType;
  const isHead = t.role === "output" || (m.tied && t.role === "token_embd");
  let type: string;
  if (isHead) type = headType(ft, t.rowLength);
  else if (ft.name === "MXFP4_MOE") type = t.dims > 2 ? "MXFP4" : "Q8_0";
  else if (t.role === "token_embd") type = ft.baseType;
  else type = bodyType(ft, t, m);
  return fallback(type, t.rowLength);
}
