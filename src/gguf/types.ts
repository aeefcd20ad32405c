/**
 * GGUF (version 3, little-endian) vocabulary: metadata value types, ggml tensor types and their
 * block layouts, as llama.cpp's `gguf.h` / `ggml.h` define them.
 */

/** Metadata value types (`gguf_type`). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

/** ggml tensor types this project reads or writes (numbering of `enum ggml_type`). */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q8_1: 9,
  Q2_K: 10,
  Q3_K: 11,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  Q8_K: 15,
  IQ2_XXS: 16,
  IQ2_XS: 17,
  IQ3_XXS: 18,
  IQ1_S: 19,
  IQ4_NL: 20,
  IQ3_S: 21,
  IQ2_S: 22,
  IQ4_XS: 23,
  I8: 24,
  I16: 25,
  I32: 26,
  I64: 27,
  F64: 28,
  IQ1_M: 29,
  BF16: 30,
  TQ1_0: 34,
  TQ2_0: 35,
  MXFP4: 39,
} as const;
export type GgmlTypeName = keyof typeof GgmlType;

/** Elements per block and bytes per block of each type (F32/F16/BF16: 1 element per "block"). */
export const GGML_BLOCK: Readonly<Record<GgmlTypeName, { elements: number; bytes: number }>> = {
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  BF16: { elements: 1, bytes: 2 },
  Q4_0: { elements: 32, bytes: 18 },
  Q4_1: { elements: 32, bytes: 20 },
  Q5_0: { elements: 32, bytes: 22 },
  Q5_1: { elements: 32, bytes: 24 },
  Q8_0: { elements: 32, bytes: 34 },
  Q8_1: { elements: 32, bytes: 36 },
  Q2_K: { elements: 256, bytes: 84 },
  Q3_K: { elements: 256, bytes: 110 },
  Q4_K: { elements: 256, bytes: 144 },
  Q5_K: { elements: 256, bytes: 176 },
  Q6_K: { elements: 256, bytes: 210 },
  Q8_K: { elements: 256, bytes: 292 },
  // i-quants and ternary types (block structs of ggml-common.h)
  IQ2_XXS: { elements: 256, bytes: 66 },
  IQ2_XS: { elements: 256, bytes: 74 },
  IQ3_XXS: { elements: 256, bytes: 98 },
  IQ1_S: { elements: 256, bytes: 50 },
  IQ4_NL: { elements: 32, bytes: 18 },
  IQ3_S: { elements: 256, bytes: 110 },
  IQ2_S: { elements: 256, bytes: 82 },
  IQ4_XS: { elements: 256, bytes: 136 },
  IQ1_M: { elements: 256, bytes: 56 },
  TQ1_0: { elements: 256, bytes: 54 },
  TQ2_0: { elements: 256, bytes: 66 },
  MXFP4: { elements: 32, bytes: 17 },
  I8: { elements: 1, bytes: 1 },
  I16: { elements: 1, bytes: 2 },
  I32: { elements: 1, bytes: 4 },
  I64: { elements: 1, bytes: 8 },
  F64: { elements: 1, bytes: 8 },
};

const TYPE_BY_ID = new Map<number, GgmlTypeName>(
  (Object.entries(GgmlType) as [GgmlTypeName, number][]).map(([k, v]) => [v, k]),
);

/** Name of a ggml type id, or undefined when this project does not know it. */
export const ggmlTypeName = (id: number): GgmlTypeName | undefined => TYPE_BY_ID.get(id);

/** The quantizations the synthetic writer can produce. */
export const WRITABLE_QUANTS = ["F32", "F16", "Q8_0", "Q4_0"] as const;
export type WritableQuant = (typeof WRITABLE_QUANTS)[number];

/** `general.file_type` (`enum llama_ftype`) of a file whose matrices are all of one type. */
export const GGUF_FILE_TYPE: Readonly<Record<WritableQuant, number>> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

/** Bytes of a tensor of `elements` values in type `type` (elements must fill whole blocks). */
export function ggmlTensorBytes(type: GgmlTypeName, elements: number): number {
  const b = GGML_BLOCK[type];
  return (elements / b.elements) * b.bytes;
}

/** GGUF files align tensor data (and the start of the data section) to this many bytes by default. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
