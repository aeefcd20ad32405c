import { inputError } from "../errors.js";
import type { Architecture } from "../catalog/models.js";
import {
  findFileType,
  findTensorType,
  tensorBytes,
  type FileType,
  type QuantCatalog,
} from "../catalog/quantization.js";

/**
 * A model as the runtime holds it: every tensor with its role, shape and ggml type. Built either
 * from an architecture plus a GGUF file type (llama.cpp's quantization mixture rules below), or
 * read from a real GGUF header. Everything the physics needs (bytes per token, FLOPs) follows.
 */
export type TensorRole =
  | "token_embd"
  | "output"
  | "norm"
  | "attn_q"
  | "attn_k"
  | "attn_v"
  | "attn_qkv"
  | "attn_output"
  | "ffn_gate"
  | "ffn_up"
  | "ffn_down"
  | "other";

export interface TensorEntry {
  name: string;
  role: TensorRole;
  /** Layer index for `blk.N.*` tensors, else null. */
  layer: number | null;
  /** ggml order: the contiguous dimension first (dims[1] is the row count of a matrix). */
  dims: number[];
  elements: number;
  type: string;
  bytes: number;
}

export interface TensorInventory {
  tensors: TensorEntry[];
  /** The output head is the token embedding (no `output.weight`). */
  tiedOutput: boolean;
  /** The file type the inventory was built for, or the dominant matrix type of a GGUF file. */
  quant: string;
}

const ROLE_BY_SUFFIX: [RegExp, TensorRole][] = [
  [/^token_embd\.weight$/, "token_embd"],
  [/^output\.weight$/, "output"],
  [/norm\.weight$/, "norm"],
  [/\.attn_qkv\.weight$/, "attn_qkv"],
  [/\.attn_q\.weight$/, "attn_q"],
  [/\.attn_k\.weight$/, "attn_k"],
  [/\.attn_v\.weight$/, "attn_v"],
  [/\.attn_output\.weight$/, "attn_output"],
  [/\.ffn_gate\.weight$/, "ffn_gate"],
  [/\.ffn_up\.weight$/, "ffn_up"],
  [/\.ffn_down\.weight$/, "ffn_down"],
];

/** The role of a tensor from its GGUF name (`blk.3.attn_v.weight` → attn_v). */
export function tensorRole(name: string): TensorRole {
  for (const [re, role] of ROLE_BY_SUFFIX) if (re.test(name)) return role;
  return "other";
}

export function tensorLayer(name: string): number | null {
  const m = /^blk\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * llama.cpp's `use_more_bits`: the layers that Q4_K_M / Q5_K_M give Q6_K for attn_v and ffn_down
 * (the first and last eighth, and every third layer in between).
 */
export function useMoreBits(layer: number, layers: number): boolean {
  return (
    layer < Math.floor(layers / 8) ||
    layer >= Math.floor((7 * layers) / 8) ||
    (layer - Math.floor(layers / 8)) % 3 === 2
  );
}

const K_FALLBACK: Record<string, string> = { Q2_K: "Q4_0", Q3_K: "Q4_0", Q4_K: "Q5_0", Q5_K: "Q5_1", Q6_K: "Q8_0" };

/**
 * The ggml type llama.cpp's quantizer gives a tensor under a file type (llama_tensor_get_type,
 * for the file types this project knows): norms stay F32; the output head (or the tied embedding)
 * goes to Q6_K under every quantized type but Q8_0; Q4_K_M / Q5_K_M raise attn_v and ffn_down to
 * Q6_K on `useMoreBits` layers and Phi-3's fused attn_qkv to Q5_K / Q6_K; a K-quant tensor whose
 * row length is not a multiple of 256 falls back to a 32-block type.
 */
export function mixtureType(
  ft: FileType,
  role: TensorRole,
  layer: number | null,
  layers: number,
  rowLength: number,
  tied: boolean,
): string {
  if (role === "norm") return "F32";
  if (ft.family === "float") return ft.baseType;
  let t = ft.baseType;
  const isHead = role === "output" || (tied && role === "token_embd");
  if (isHead) {
    if (rowLength % 256 !== 0) t = "Q8_0";
    else if (ft.baseType !== "Q8_0") t = "Q6_K";
  } else if (ft.name === "Q4_K_M" || ft.name === "Q5_K_M") {
    const more = layer !== null && useMoreBits(layer, layers);
    if ((role === "attn_v" || role === "ffn_down") && more) t = "Q6_K";
    if (role === "attn_qkv") t = ft.name === "Q4_K_M" ? "Q5_K" : "Q6_K";
  }
  if (t in K_FALLBACK && rowLength % 256 !== 0) t = K_FALLBACK[t] as string;
  return t;
}

/** The tensors of a dense decoder (Llama, Gemma 2, Phi-3 layouts) under a GGUF file type. */
export function inventoryFromArchitecture(a: Architecture, quant: string, quants: QuantCatalog): TensorInventory {
  const ft = findFileType(quants, quant);
  const out: TensorEntry[] = [];
  const qDim = a.heads * a.headDim;
  const kvDim = a.kvHeads * a.headDim;
  const add = (name: string, dims: number[]): void => {
    const role = tensorRole(name);
    const layer = tensorLayer(name);
    const elements = dims.reduce((x, y) => x * y, 1);
    const type = mixtureType(ft, role, layer, a.layers, dims[0] as number, a.tiedEmbeddings);
    out.push({ name, role, layer, dims, elements, type, bytes: tensorBytes(findTensorType(quants, type), elements) });
  };
  add("token_embd.weight", [a.hidden, a.vocab]);
  add("output_norm.weight", [a.hidden]);
  if (!a.tiedEmbeddings) add("output.weight", [a.hidden, a.vocab]);
  for (let i = 0; i < a.layers; i++) {
    const b = `blk.${i}`;
    add(`${b}.attn_norm.weight`, [a.hidden]);
    if (a.fusedQkv) add(`${b}.attn_qkv.weight`, [a.hidden, qDim + 2 * kvDim]);
    else {
      add(`${b}.attn_q.weight`, [a.hidden, qDim]);
      add(`${b}.attn_k.weight`, [a.hidden, kvDim]);
      add(`${b}.attn_v.weight`, [a.hidden, kvDim]);
    }
    add(`${b}.attn_output.weight`, [qDim, a.hidden]);
    add(`${b}.ffn_norm.weight`, [a.hidden]);
    if (a.fusedGateUp) add(`${b}.ffn_up.weight`, [a.hidden, 2 * a.ffn]);
    else {
      add(`${b}.ffn_gate.weight`, [a.hidden, a.ffn]);
      add(`${b}.ffn_up.weight`, [a.hidden, a.ffn]);
    }
    add(`${b}.ffn_down.weight`, [a.ffn, a.hidden]);
    const extraNorms = ["post_attention_norm", "post_ffw_norm"];
    for (let k = 2; k < a.normsPerLayer; k++) add(`${b}.${extraNorms[k - 2] ?? `extra_${k}_norm`}.weight`, [a.hidden]);
  }
  return { tensors: out, tiedOutput: a.tiedEmbeddings, quant: ft.name };
}

/** An inventory from tensors read out of a GGUF header (names, dims, type names, bytes). */
export function inventoryFromTensors(
  tensors: readonly { name: string; dims: number[]; typeName: string | null; bytes: number | null; elements: number }[],
  file: string,
): TensorInventory {
  const out: TensorEntry[] = tensors.map((t) => {
    if (t.typeName === null || t.bytes === null) {
      throw inputError(`tensor "${t.name}" has a ggml type this project cannot size`, {
        file,
        field: t.name,
        hint: "use a file with F32/F16/BF16, Q4_0…Q8_0 or K-quant tensors",
      });
    }
    return {
      name: t.name,
      role: tensorRole(t.name),
      layer: tensorLayer(t.name),
      dims: t.dims,
      elements: t.elements,
      type: t.typeName,
      bytes: t.bytes,
    };
  });
  const tiedOutput = out.some((t) => t.role === "token_embd") && !out.some((t) => t.role === "output");
  const byType = new Map<string, number>();
  for (const t of out)
    if (t.dims.length >= 2 && t.role !== "output" && t.role !== "token_embd")
      byType.set(t.type, (byType.get(t.type) ?? 0) + t.elements);
  const quant = [...byType.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? "unknown";
  return { tensors: out, tiedOutput, quant };
}
