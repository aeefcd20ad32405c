import { inputError, isSlmError } from "../errors.js";
import { findModel, type ModelCatalog, type ModelSpec } from "../catalog/models.js";
import type { QuantCatalog } from "../catalog/quantization.js";
import type { CorpusRow } from "../io/corpus.js";
import { mlcDefaultQuant, OLLAMA_DEFAULT_TAGS, type DefaultQuant } from "./default-quants.js";
import { fileTypeForSpelling } from "./quant-spellings.js";

/**
 * A corpus row's model and quantization as catalog entries: the model whose id or alias the row
 * names, and the file type of the quantization the row prints, or, where it prints none, of the
 * runtime's default (Ollama's tag, MLC's benchmark script), each with its citation.
 */

/** How the file type was found. */
export type QuantSource =
  /** The row's `quantization` names it (llama.cpp's type string, a file name, a tag suffix). */
  | "printed"
  /** The row names an Ollama tag only; the tag's file type is cited in default-quants.ts. */
  | "tool default tag"
  /** The row prints "INT4" or nothing for an MLC run; the benchmark script it cites picks the format. */
  | "runtime benchmark script";

export interface ResolvedCorpusModel {
  model: ModelSpec;
  /** A file type of the quantization catalog (e.g. Q4_K_M, MXFP4_MOE, MLC_Q4F16_FT). */
  quant: string;
  quantSource: QuantSource;
  /** Citation of a default, and what it does not show directly; null for a printed quantization. */
  note: string | null;
}

/** Where the row is, for the error: the corpus file and the row's line (header is line 1). */
export interface CorpusRowLocation {
  file?: string;
  line?: number;
}

/** The Ollama tag a default-tag row names in its notes ("ollama tag llama3.2:3b"). */
export function ollamaTagOf(row: CorpusRow): string | null {
  const m = /\btag ([a-z0-9._-]+:[a-z0-9._-]+)/i.exec(row.notes ?? "");
  return m ? (m[1] as string).toLowerCase() : null;
}

function unresolved(row: CorpusRow, at: CorpusRowLocation, field: string, message: string, hint: string): Error {
  return inputError(`corpus row "${row.rowId}": ${message}`, {
    ...(at.file !== undefined ? { file: at.file } : {}),
    ...(at.line !== undefined ? { line: at.line } : {}),
    field,
    hint,
  });
}

function resolveModel(row: CorpusRow, models: ModelCatalog, at: CorpusRowLocation): ModelSpec {
  try {
    return findModel(models, row.model);
  } catch (e) {
    if (!isSlmError(e)) throw e;
    throw unresolved(
      row,
      at,
      "model",
      `model "${row.model}" is not in the model catalog`,
      "add an entry (or an alias) with its architecture and a citation to data/catalog/models.json",
    );
  }
}

function fromDefault(d: DefaultQuant, quantSource: QuantSource): Omit<ResolvedCorpusModel, "model"> {
  return { quant: d.quant, quantSource, note: d.caveat === null ? d.source : `${d.source}; ${d.caveat}` };
}

function resolveDefault(row: CorpusRow, at: CorpusRowLocation): Omit<ResolvedCorpusModel, "model"> {
  if (row.runtime === "ollama") {
    const tag = ollamaTagOf(row);
    const d = tag === null ? undefined : OLLAMA_DEFAULT_TAGS[tag];
    if (d === undefined) {
      throw unresolved(
        row,
        at,
        "quantization",
        tag === null
          ? "no quantization is printed and the notes name no Ollama tag"
          : `no source read prints the quantization of Ollama's "${tag}"`,
        "add the tag to OLLAMA_DEFAULT_TAGS in src/corpus/default-quants.ts with a citation",
      );
    }
    return fromDefault(d, "tool default tag");
  }
  if (row.runtime === "mlc") return fromDefault(mlcDefaultQuant(row.model), "runtime benchmark script");
  throw unresolved(
    row,
    at,
    "quantization",
    `no quantization is printed for a ${row.runtime} run`,
    "print the file type (e.g. Q4_K_M) in the row's quantization column",
  );
}

function resolveQuant(row: CorpusRow, quants: QuantCatalog, at: CorpusRowLocation): Omit<ResolvedCorpusModel, "model"> {
  const printed = row.quantization;
  if (printed === null) return resolveDefault(row, at);
  if (row.runtime === "mlc" && /^int4$/i.test(printed.trim())) {
    return fromDefault(mlcDefaultQuant(row.model), "runtime benchmark script");
  }
  const quant = fileTypeForSpelling(
    printed,
    quants.fileTypes.map((t) => t.name),
  );
  if (quant === null) {
    throw unresolved(
      row,
      at,
      "quantization",
      `"${printed}" names no file type of the quantization catalog`,
      'a bare bit width ("4-bit") fits several file types and a custom mixture has no llama.cpp rules; ' +
        `known: ${quants.fileTypes.map((t) => t.name).join(", ")}`,
    );
  }
  return { quant, quantSource: "printed", note: null };
}

/**
 * The catalog model and file type of a corpus row. Throws an input error naming the row (its id,
 * and the file and line when given) and the field (`model` or `quantization`) it cannot resolve.
 */
export function resolveCorpusModel(
  row: CorpusRow,
  models: ModelCatalog,
  quants: QuantCatalog,
  at: CorpusRowLocation = {},
): ResolvedCorpusModel {
  const model = resolveModel(row, models, at);
  return { model, ...resolveQuant(row, quants, at) };
}
