/**
 * Memory traffic of one decoded token, computed exactly from a GGUF header: every weight is read
 * once per token except the input embedding, which is one row lookup — unless the output head is
 * tied to it, then the whole matrix is read as the output projection. The KV cache adds
 * 2 · layers · kv_heads · head_dim · 2 bytes (F16) per token of context.
 */
import { inputError } from "../errors.js";
import { metaNumber, metaValue, type GgufHeader } from "./reader.js";

export interface TokenTraffic {
  /** Weight bytes read per decoded token. */
  weightBytesPerToken: number;
  /** KV-cache bytes read per decoded token per token already in context (F16 cache). */
  kvBytesPerContextToken: number;
  /** Bytes of all tensors (≈ the model in memory). */
  weightBytes: number;
  parameters: number;
  /** Whole-file average bits per weight. */
  bitsPerWeight: number;
  tiedOutput: boolean;
  architecture: string;
  /** Most common matrix type, e.g. "Q4_0". */
  quantization: string;
}

export function tokenTraffic(h: GgufHeader): TokenTraffic {
  const arch = metaValue(h, "general.architecture");
  if (typeof arch !== "string") {
    throw inputError(`GGUF metadata "general.architecture" is missing`, {
      file: h.file,
      field: "general.architecture",
    });
  }
  const unknown = h.tensors.filter((t) => t.bytes === null);
  if (unknown.length > 0) {
    throw inputError(`tensor "${unknown[0]!.name}" has ggml type ${unknown[0]!.type}, which this project cannot size`, {
      file: h.file,
      field: unknown[0]!.name,
      hint: "bytes per token need every tensor's size; use a file with F32/F16/BF16, Q4_0..Q8_1 or K-quant tensors",
    });
  }
  const weightBytes = h.tensors.reduce((a, t) => a + t.bytes!, 0);
  const parameters = h.tensors.reduce((a, t) => a + t.elements, 0);
  const embd = h.tensors.find((t) => t.name === "token_embd.weight");
  const tiedOutput = embd !== undefined && !h.tensors.some((t) => t.name === "output.weight");
  let weightBytesPerToken = weightBytes;
  if (embd && !tiedOutput) {
    const rows = embd.dims[1] ?? 1;
    weightBytesPerToken = weightBytes - embd.bytes! + embd.bytes! / rows;
  }
  const layers = metaNumber(h, `${arch}.block_count`);
  const heads = metaNumber(h, `${arch}.attention.head_count`);
  const kvHeadsRaw = metaValue(h, `${arch}.attention.head_count_kv`);
  const kvHeads = typeof kvHeadsRaw === "number" ? kvHeadsRaw : heads;
  const keyLength = metaValue(h, `${arch}.attention.key_length`);
  const headDim = typeof keyLength === "number" ? keyLength : metaNumber(h, `${arch}.embedding_length`) / heads;
  const counts = new Map<string, number>();
  for (const t of h.tensors)
    if (t.dims.length >= 2) counts.set(t.typeName!, (counts.get(t.typeName!) ?? 0) + t.elements);
  const quantization = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "unknown";
  return {
    weightBytesPerToken,
    kvBytesPerContextToken: 2 * layers * kvHeads * headDim * 2,
    weightBytes,
    parameters,
    bitsPerWeight: (8 * weightBytes) / parameters,
    tiedOutput,
    architecture: arch,
    quantization,
  };
}
