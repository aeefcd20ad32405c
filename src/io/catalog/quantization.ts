import { join } from "node:path";
import type { z } from "zod";
import { QUANT_FAMILIES } from "../../domain/families.js";
import { PATHS } from "../../pipeline/paths.js";
import { decodeJson } from "../json.js";
import { list, num, object, oneOf, orNull, parseCatalogJson, schemaVersion, text } from "./fields.js";
import { readCatalogText } from "./read-text.js";

/** `data/catalog/quantization.json`: ggml tensor types and the GGUF file types built on them. */

/**
 * A tensor type: `blockSize` elements stored in `bytesPerBlock` bytes. `ggmlType` is the id a GGUF
 * tensor info carries, null for a runtime's own format (MLC's q4f16_1); `source` cites the layout.
 */
export const TensorTypeSchema = object({
  name: text(),
  ggmlType: orNull(num({ integer: true, min: 0 })),
  blockSize: num({ integer: true, min: 1 }),
  bytesPerBlock: num({ integer: true, min: 1 }),
  source: orNull(text()),
});

/** A file type (llama.cpp `ftype`, or an MLC preset): a base tensor type plus the quantizer's mixture rules. */
export const FileTypeSchema = object({
  name: text(),
  family: oneOf(QUANT_FAMILIES),
  baseType: text(),
  source: orNull(text()),
});

const QuantCatalogFileSchema = object({
  schemaVersion,
  tensorTypes: list(TensorTypeSchema, 1),
  fileTypes: list(FileTypeSchema, 1),
}).superRefine((q, ctx) => {
  const names = q.tensorTypes.map((t) => t.name);
  q.fileTypes.forEach((t, i) => {
    if (!names.includes(t.baseType)) {
      ctx.addIssue({
        code: "custom",
        path: ["fileTypes", i, "baseType"],
        message: `expected one of ${names.join(", ")}`,
      });
    }
  });
});

export type TensorType = z.output<typeof TensorTypeSchema>;
export type FileType = z.output<typeof FileTypeSchema>;
export type QuantCatalog = Omit<z.output<typeof QuantCatalogFileSchema>, "schemaVersion"> & { file: string };

export function parseQuantCatalog(text: string, file: string): QuantCatalog {
  const { tensorTypes, fileTypes } = decodeJson(QuantCatalogFileSchema, parseCatalogJson(text, file));
  return { file, tensorTypes, fileTypes };
}

/** Load `data/catalog/quantization.json` under the project root. */
export function loadQuantCatalog(root: string): QuantCatalog {
  const file = join(root, PATHS.quantizationCatalog);
  return parseQuantCatalog(readCatalogText(file, "quantization catalog"), file);
}
