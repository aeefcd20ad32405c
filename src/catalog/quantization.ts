import { readFileSync } from "node:fs";
import { join } from "node:path";
import { notFoundError, usageError } from "../errors.js";
import { parseJsonWithLines } from "./json-lines.js";
import { JsonCursor } from "./json-cursor.js";
import { readSchemaVersion } from "./devices.js";

/** A ggml tensor type: `blockSize` elements stored in `bytesPerBlock` bytes. */
export interface TensorType {
  name: string;
  ggmlType: number;
  blockSize: number;
  bytesPerBlock: number;
}

/** Quantization families that share dequantization cost (calibration fits one efficiency each). */
export const QUANT_FAMILIES = ["float", "q8", "q4-legacy", "q5-legacy", "k-quant"] as const;
export type QuantFamily = (typeof QUANT_FAMILIES)[number];

/** A GGUF file type (llama.cpp `ftype`): a base tensor type plus llama.cpp's mixture rules. */
export interface FileType {
  name: string;
  family: QuantFamily;
  baseType: string;
}

export interface QuantCatalog {
  file: string;
  tensorTypes: TensorType[];
  fileTypes: FileType[];
}

export function parseQuantCatalog(text: string, file: string): QuantCatalog {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  readSchemaVersion(root);
  const tensorTypes = root
    .key("tensorTypes")
    .array({ minLength: 1 })
    .map((c) => ({
      name: c.key("name").string(),
      ggmlType: c.key("ggmlType").number({ integer: true, min: 0 }),
      blockSize: c.key("blockSize").number({ integer: true, min: 1 }),
      bytesPerBlock: c.key("bytesPerBlock").number({ integer: true, min: 1 }),
    }));
  const names = tensorTypes.map((t) => t.name);
  const fileTypes = root
    .key("fileTypes")
    .array({ minLength: 1 })
    .map((c) => ({
      name: c.key("name").string(),
      family: c.key("family").oneOf(QUANT_FAMILIES),
      baseType: c.key("baseType").oneOf(names),
    }));
  return { file, tensorTypes, fileTypes };
}

export const QUANT_CATALOG_PATH = join("data", "catalog", "quantization.json");

export function loadQuantCatalog(root: string): QuantCatalog {
  const file = join(root, QUANT_CATALOG_PATH);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw notFoundError("quantization catalog not found", { file, cause: e });
  }
  return parseQuantCatalog(text, file);
}

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
