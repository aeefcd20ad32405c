import { notFoundError, usageError } from "../errors.js";
import type { FileType, QuantCatalog, TensorType } from "../io/catalog/quantization.js";

/** Lookups in the quantization catalog. Its entries' types come from their schema (io/catalog/quantization.ts). */
export type { FileType, QuantCatalog, TensorType } from "../io/catalog/quantization.js";
export { QUANT_FAMILIES, type QuantFamily } from "../domain/families.js";

/** Bits per weight of a tensor type: 8 · bytesPerBlock / blockSize (Q4_0 → 4.5). */
export const bitsPerWeight = (t: TensorType): number => (8 * t.bytesPerBlock) / t.blockSize;

/** Bytes of a tensor of `elements` values in type `t` (elements must fill whole blocks). */
export function tensorBytes(t: TensorType, elements: number): number {
  return Math.ceil(elements / t.blockSize) * t.bytesPerBlock;
}

export function findTensorType(q: QuantCatalog, name: string): TensorType {
  const t = q.tensorTypes.find((x) => x.name === name.toUpperCase());
  if (!t)
    throw notFoundError(`unknown tensor type "${name}"`, {
      file: q.file,
      hint: `known: ${q.tensorTypes.map((x) => x.name).join(", ")}`,
    });
  return t;
}

export function tensorTypeById(q: QuantCatalog, ggmlType: number): TensorType | undefined {
  return q.tensorTypes.find((x) => x.ggmlType === ggmlType);
}

export function findFileType(q: QuantCatalog, name: string): FileType {
  const t = q.fileTypes.find((x) => x.name === name.toUpperCase());
  if (!t) {
    throw usageError(`unknown quantization "${name}"`, `supported: ${q.fileTypes.map((x) => x.name).join(", ")}`);
  }
  return t;
}
