/**
 * The bytes of a synthetic llama-architecture GGUF file: real shapes and quantization, seeded random
 * weights. The header and then the tensor data in chunks (constant memory whatever the file size),
 * each with its file position; `io/gguf/writer.ts` puts them on disk. Same spec and seed → same bytes.
 */
import { SlmError } from "../errors.js";
import { encodeGgufHeader, layoutTensors, type GgufMetadataEntry, type GgufTensorInfo } from "./header.js";
import { encodeF16, encodeF32, quantizeQ4_0, quantizeQ8_0 } from "./quantize.js";
import { fillUniform, hashSeed, mulberry32 } from "./rng.js";
import { headDimOf, planTensors, validateSpec, type PlannedTensor, type SyntheticModelSpec } from "./spec.js";
import { GGUF_FILE_TYPE, GGUF_DEFAULT_ALIGNMENT, GgmlType, GgufValueType } from "./types.js";
import { syntheticVocab } from "./vocab.js";

const V = GgufValueType;

/** The metadata of a synthetic model: what llama.cpp's llama architecture and SPM tokenizer need. */
export function syntheticMetadata(s: SyntheticModelSpec): GgufMetadataEntry[] {
  const vocab = syntheticVocab(s.vocab);
  const hd = headDimOf(s);
  const m: GgufMetadataEntry[] = [
    { key: "general.architecture", type: V.STRING, value: "llama" },
    { key: "general.name", type: V.STRING, value: s.name },
    {
      key: "general.description",
      type: V.STRING,
      value: "synthetic model written by slm-energy: random weights, meaningless output",
    },
    { key: "general.file_type", type: V.UINT32, value: GGUF_FILE_TYPE[s.quant] },
    { key: "general.quantization_version", type: V.UINT32, value: 2 },
    { key: "general.alignment", type: V.UINT32, value: GGUF_DEFAULT_ALIGNMENT },
    { key: "slm_energy.seed", type: V.UINT32, value: s.seed ?? 1 },
    { key: "llama.context_length", type: V.UINT32, value: s.contextLength ?? 2048 },
    { key: "llama.embedding_length", type: V.UINT32, value: s.hidden },
    { key: "llama.block_count", type: V.UINT32, value: s.layers },
    { key: "llama.feed_forward_length", type: V.UINT32, value: s.ffn },
    { key: "llama.attention.head_count", type: V.UINT32, value: s.heads },
    { key: "llama.attention.head_count_kv", type: V.UINT32, value: s.kvHeads },
    { key: "llama.attention.layer_norm_rms_epsilon", type: V.FLOAT32, value: 1e-5 },
    { key: "llama.rope.dimension_count", type: V.UINT32, value: hd },
    { key: "llama.rope.freq_base", type: V.FLOAT32, value: 10000 },
    { key: "llama.vocab_size", type: V.UINT32, value: s.vocab },
  ];
  if (hd !== s.hidden / s.heads) {
    m.push({ key: "llama.attention.key_length", type: V.UINT32, value: hd });
    m.push({ key: "llama.attention.value_length", type: V.UINT32, value: hd });
  }
  m.push(
    { key: "tokenizer.ggml.model", type: V.STRING, value: "llama" },
    { key: "tokenizer.ggml.tokens", type: V.ARRAY, value: { elementType: V.STRING, items: vocab.tokens } },
    { key: "tokenizer.ggml.scores", type: V.ARRAY, value: { elementType: V.FLOAT32, items: vocab.scores } },
    { key: "tokenizer.ggml.token_type", type: V.ARRAY, value: { elementType: V.INT32, items: vocab.tokenTypes } },
    { key: "tokenizer.ggml.bos_token_id", type: V.UINT32, value: vocab.bosId },
    { key: "tokenizer.ggml.eos_token_id", type: V.UINT32, value: vocab.eosId },
    { key: "tokenizer.ggml.unknown_token_id", type: V.UINT32, value: vocab.unkId },
    { key: "tokenizer.ggml.add_bos_token", type: V.BOOL, value: true },
    { key: "tokenizer.ggml.add_eos_token", type: V.BOOL, value: false },
  );
  return m;
}

/** Values per generated chunk: a multiple of every block size, ~1 M floats (4 MB) of scratch. */
const CHUNK = 1 << 20;

/** Encode `values` as `type` into `out`; returns bytes written. */
function encode(type: string, values: Float32Array, out: Uint8Array): number {
  switch (type) {
    case "Q8_0":
      return quantizeQ8_0(values, out);
    case "Q4_0":
      return quantizeQ4_0(values, out);
    case "F16":
      return encodeF16(values, out);
    case "F32":
      return encodeF32(values, out);
    default:
      throw new SlmError("E_INTERNAL", `cannot encode tensor type ${type}`);
  }
}

/** The layout of a synthetic file: its tensors, the encoded header, the total size. */
export interface SyntheticLayout {
  plan: PlannedTensor[];
  infos: GgufTensorInfo[];
  header: Uint8Array;
  totalBytes: number;
}

/** Check `spec` and lay its file out (GGUF v3). */
export function syntheticLayout(spec: SyntheticModelSpec): SyntheticLayout {
  validateSpec(spec);
  const plan = planTensors(spec);
  const { infos, dataBytes } = layoutTensors(
    plan.map((t) => ({ name: t.name, dims: t.dims, type: GgmlType[t.type], bytes: t.bytes })),
    GGUF_DEFAULT_ALIGNMENT,
  );
  const header = encodeGgufHeader(syntheticMetadata(spec), infos, GGUF_DEFAULT_ALIGNMENT);
  return { plan, infos, header, totalBytes: header.length + dataBytes };
}

/** A run of bytes of the file: `bytes[0..length)` belongs at `position`. */
export interface SyntheticChunk {
  bytes: Uint8Array;
  length: number;
  position: number;
  /** The tensor the chunk belongs to (its padding included). */
  tensor: string;
}

/**
 * The tensor data of `layout`, chunk by chunk, padding included. The chunk's buffer is reused:
 * write it before asking for the next one.
 */
export function* syntheticTensorChunks(spec: SyntheticModelSpec, layout: SyntheticLayout): Generator<SyntheticChunk> {
  const { plan, infos, header } = layout;
  const values = new Float32Array(CHUNK);
  const out = new Uint8Array(CHUNK * 4);
  const zeros = new Uint8Array(GGUF_DEFAULT_ALIGNMENT);
  for (let i = 0; i < plan.length; i++) {
    const t = plan[i]!;
    let position = header.length + infos[i]!.offset;
    const rng = mulberry32(hashSeed(spec.seed ?? 1, t.name));
    const std = 1 / Math.sqrt(t.dims[0]!);
    for (let done = 0; done < t.elements; done += CHUNK) {
      const n = Math.min(CHUNK, t.elements - done);
      const chunk = n === CHUNK ? values : values.subarray(0, n);
      if (t.init === "ones") chunk.fill(1);
      else fillUniform(chunk, rng, std);
      const length = encode(t.type, chunk, out);
      yield { bytes: out, length, position, tensor: t.name };
      position += length;
    }
    const pad = (GGUF_DEFAULT_ALIGNMENT - (t.bytes % GGUF_DEFAULT_ALIGNMENT)) % GGUF_DEFAULT_ALIGNMENT;
    if (pad > 0) yield { bytes: zeros, length: pad, position, tensor: t.name };
  }
}
