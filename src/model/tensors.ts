import { inputError } from "../errors.js";
import type { Architecture } from "../catalog/models.js";
import { findFileType, findTensorType, tensorBytes, type QuantCatalog } from "../catalog/quantization.js";
import { mixtureType, type MixtureModel } from "./quant-mixture.js";

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
  | "ffn_gate_inp"
  | "ffn_gate_exps"
  | "ffn_up_exps"
  | "ffn_down_exps"
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
  [/\.ffn_gate_inp\.weight$/, "ffn_gate_inp"],
  [/\.ffn_gate_exps\.weight$/, "ffn_gate_exps"],
  [/\.ffn_up_exps\.weight$/, "ffn_up_exps"],
  [/\.ffn_down_exps\.weight$/, "ffn_down_exps"],
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

export { useMoreBits } from "./quant-mixture.js";

/** Adds one tensor, typed by the file type's mixture rules. */
type AddTensor = (name: string, dims: number[]) => void;

function addAttention(add: AddTensor, a: Architecture, b: string): void {
  const qDim = a.heads * a.headDim;
  const kvDim = a.kvHeads * a.headDim;
  add(`${b}.attn_norm.weight`, [a.hidden]);
  if (a.fusedQkv) add(`${b}.attn_qkv.weight`, [a.hidden, qDim + 2 * kvDim]);
  else {
    add(`${b}.attn_q.weight`, [a.hidden, qDim]);
    add(`${b}.attn_k.weight`, [a.hidden, kvDim]);
    add(`${b}.attn_v.weight`, [a.hidden, kvDim]);
  }
  if (a.attentionBias !== "none") {
    if (a.fusedQkv) add(`${b}.attn_qkv.bias`, [qDim + 2 * kvDim]);
    else {
      add(`${b}.attn_q.bias`, [qDim]);
      add(`${b}.attn_k.bias`, [kvDim]);
      add(`${b}.attn_v.bias`, [kvDim]);
    }
  }
  if (a.qkNorm) {
    add(`${b}.attn_q_norm.weight`, [a.headDim]);
    add(`${b}.attn_k_norm.weight`, [a.headDim]);
  }
  add(`${b}.attn_output.weight`, [qDim, a.hidden]);
  if (a.attentionBias === "qkvo") add(`${b}.attn_output.bias`, [a.hidden]);
  if (a.attentionSinks) add(`${b}.attn_sinks.weight`, [a.heads]);
}

function addFfn(add: AddTensor, a: Architecture, b: string): void {
  add(`${b}.ffn_norm.weight`, [a.hidden]);
  const m = a.moe;
  if (m) {
    add(`${b}.ffn_gate_inp.weight`, [a.hidden, m.experts]);
    if (m.routerBias) add(`${b}.ffn_gate_inp.bias`, [m.experts]);
    add(`${b}.ffn_gate_exps.weight`, [a.hidden, a.ffn, m.experts]);
    add(`${b}.ffn_up_exps.weight`, [a.hidden, a.ffn, m.experts]);
    add(`${b}.ffn_down_exps.weight`, [a.ffn, a.hidden, m.experts]);
    if (m.expertBias) {
      add(`${b}.ffn_gate_exps.bias`, [a.ffn, m.experts]);
      add(`${b}.ffn_up_exps.bias`, [a.ffn, m.experts]);
      add(`${b}.ffn_down_exps.bias`, [a.hidden, m.experts]);
    }
    return;
  }
  if (a.fusedGateUp) add(`${b}.ffn_up.weight`, [a.hidden, 2 * a.ffn]);
  else {
    add(`${b}.ffn_gate.weight`, [a.hidden, a.ffn]);
    add(`${b}.ffn_up.weight`, [a.hidden, a.ffn]);
  }
  add(`${b}.ffn_down.weight`, [a.ffn, a.hidden]);
}

/** What llama.cpp's mixture rules need to know about the model (see quant-mixture.ts). */
function mixtureModel(a: Architecture): MixtureModel {
  return {
    layers: a.layers,
    tied: a.tiedEmbeddings,
    gqa: a.heads / a.kvHeads,
    experts: a.moe?.experts ?? 0,
    is70B: a.layers === 80 && a.heads !== a.kvHeads,
  };
}

/**
 * The tensors of a decoder (Llama, Gemma 2/3, Phi-3, Qwen2/3 and Mixture-of-Experts layouts) under
 * a file type, named as llama.cpp names them, typed by its quantizer's mixture rules.
 */
export function inventoryFromArchitecture(a: Architecture, quant: string, quants: QuantCatalog): TensorInventory {
  const ft = findFileType(quants, quant);
  const model = mixtureModel(a);
  const out: TensorEntry[] = [];
  const add: AddTensor = (name, dims) => {
    const role = tensorRole(name);
    const layer = tensorLayer(name);
    const elements = dims.reduce((x, y) => x * y, 1);
    const type = mixtureType(ft, { role, layer, rowLength: dims[0] as number, dims: dims.length }, model);
    out.push({ name, role, layer, dims, elements, type, bytes: tensorBytes(findTensorType(quants, type), elements) });
  };
  add("token_embd.weight", [a.hidden, a.vocab]);
  add("output_norm.weight", [a.hidden]);
  if (!a.tiedEmbeddings) add("output.weight", [a.hidden, a.vocab]);
  const extraNorms = ["post_attention_norm", "post_ffw_norm"];
  for (let i = 0; i < a.layers; i++) {
    const b = `blk.${i}`;
    addAttention(add, a, b);
    addFfn(add, a, b);
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
