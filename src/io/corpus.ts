import { z } from "zod";
import { inputError } from "../errors.js";
import { cell, decodeCsvRows } from "./csv-rows.js";
import { csvField, parseCsv } from "./csv.js";
import { readTextFile } from "./files.js";

/**
 * The community corpus (data/community/corpus.csv): measurements published by others, one row per
 * board × model × runtime configuration, each with its source. The wire columns are snake_case;
 * a decoded row is camelCase with units in its names. Only what the source prints is filled in.
 */

const ROW_ID = /^[a-z0-9][a-z0-9._-]*$/;
const BOARD_ID = /^[a-z0-9][a-z0-9-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const rate = () => cell.optionalNumber({ exclusiveMin: 0 });
const count = () => cell.optionalNumber({ integer: true, min: 0 });
const matching = (re: RegExp, what: string) =>
  cell.text().refine((t) => re.test(t), { error: `expected ${what}`, params: { hint: `match ${re.source}` } });

export const CORPUS_BACKENDS = ["cpu", "cuda", "vulkan", "metal", "opencl"] as const;
export const RUNTIMES = ["llama.cpp", "ollama", "mlc", "other"] as const;
export const POWER_KINDS = ["board-input-avg", "rail-avg", "wall-peak", "wall-avg"] as const;
export const SOURCE_KINDS = ["github-discussion", "github-issue", "github-file", "paper", "web-page"] as const;

/** One corpus row as it is written (snake_case columns, text cells) → a typed, camelCase record. */
export const CorpusRowSchema = z
  .object({
    row_id: matching(ROW_ID, "a lowercase slug"),
    board: matching(BOARD_ID, "a lowercase board id"),
    power_mode: cell.optionalText(),
    backend: cell.oneOf(CORPUS_BACKENDS),
    runtime: cell.oneOf(RUNTIMES),
    runtime_version: cell.optionalText(),
    threads: count(),
    gpu_layers: cell.optionalText(),
    model: matching(ROW_ID, "a lowercase model id"),
    model_params_b: rate(),
    quantization: cell.optionalText(),
    quant_source: cell.optionalOneOf(["printed", "default-tag"]),
    prompt_tokens: count(),
    prefill_tok_s: rate(),
    generated_tokens: count(),
    decode_tok_s: rate(),
    power_w: rate(),
    power_kind: cell.optionalOneOf(POWER_KINDS),
    energy_j: rate(),
    source_kind: cell.oneOf(SOURCE_KINDS),
    source: cell.text(),
    source_locator: cell.text(),
    source_date: cell.optionalText().refine((t) => t === null || DATE.test(t), { error: "expected YYYY-MM-DD" }),
    notes: cell.optionalText(),
  })
  .refine((r) => r.prefill_tok_s !== null || r.decode_tok_s !== null, {
    error: "a row needs a prefill or a decode rate",
    path: ["decode_tok_s"],
  })
  .refine((r) => (r.power_w === null) === (r.power_kind === null), {
    error: "power_w and power_kind go together",
    path: ["power_kind"],
  })
  .transform((r) => ({
    rowId: r.row_id,
    board: r.board,
    powerMode: r.power_mode,
    backend: r.backend,
    runtime: r.runtime,
    runtimeVersion: r.runtime_version,
    threads: r.threads,
    gpuLayers: r.gpu_layers,
    model: r.model,
    modelParamsB: r.model_params_b,
    quantization: r.quantization,
    quantSource: r.quant_source,
    promptTokens: r.prompt_tokens,
    prefillTokPerS: r.prefill_tok_s,
    generatedTokens: r.generated_tokens,
    decodeTokPerS: r.decode_tok_s,
    powerW: r.power_w,
    powerKind: r.power_kind,
    energyJ: r.energy_j,
    source: { kind: r.source_kind, name: r.source, locator: r.source_locator, date: r.source_date },
    notes: r.notes,
  }));

export type CorpusRow = z.output<typeof CorpusRowSchema>;

/** Decodes corpus CSV text named `file`; every bad cell is reported at once; row ids must be unique. */
export function parseCorpus(text: string, file: string): CorpusRow[] {
  const rows = decodeCsvRows(CorpusRowSchema, parseCsv(text, file), file, {
    hint: "see data/community/README.md for the columns",
  });
  const seen = new Map<string, number>();
  for (const { line, row } of rows) {
    const first = seen.get(row.rowId);
    if (first !== undefined) {
      throw inputError(`row_id "${row.rowId}" repeats the row at line ${first}`, {
        file,
        line,
        field: "row_id",
        hint: "give every row its own id",
      });
    }
    seen.set(row.rowId, line);
  }
  return rows.map((r) => r.row);
}

/** Reads the corpus file at `path`. */
export function readCorpus(path: string): CorpusRow[] {
  return parseCorpus(readTextFile(path, "corpus file"), path);
}

/** The corpus's columns, in the order the file writes them. */
export const CORPUS_COLUMNS = [
  "row_id",
  "board",
  "power_mode",
  "backend",
  "runtime",
  "runtime_version",
  "threads",
  "gpu_layers",
  "model",
  "model_params_b",
  "quantization",
  "quant_source",
  "prompt_tokens",
  "prefill_tok_s",
  "generated_tokens",
  "decode_tok_s",
  "power_w",
  "power_kind",
  "energy_j",
  "source_kind",
  "source",
  "source_locator",
  "source_date",
  "notes",
] as const;

export type CorpusColumn = (typeof CORPUS_COLUMNS)[number];

/** A row on the wire (`corpus --json`): the corpus's own column names, numbers as numbers, null when empty. */
export type CorpusWireRow = Record<CorpusColumn, string | number | null>;

export function corpusRowWire(r: CorpusRow): CorpusWireRow {
  return {
    row_id: r.rowId,
    board: r.board,
    power_mode: r.powerMode,
    backend: r.backend,
    runtime: r.runtime,
    runtime_version: r.runtimeVersion,
    threads: r.threads,
    gpu_layers: r.gpuLayers,
    model: r.model,
    model_params_b: r.modelParamsB,
    quantization: r.quantization,
    quant_source: r.quantSource,
    prompt_tokens: r.promptTokens,
    prefill_tok_s: r.prefillTokPerS,
    generated_tokens: r.generatedTokens,
    decode_tok_s: r.decodeTokPerS,
    power_w: r.powerW,
    power_kind: r.powerKind,
    energy_j: r.energyJ,
    source_kind: r.source.kind,
    source: r.source.name,
    source_locator: r.source.locator,
    source_date: r.source.date,
    notes: r.notes,
  };
}

/** The line end a corpus text uses (the bundled file: CRLF, as RFC 4180 asks). */
export function corpusLineEnd(text: string): "\r\n" | "\n" {
  return /\r\n/.test(text) || text === "" ? "\r\n" : "\n";
}

/**
 * Corpus rows as CSV lines, each ending with `eol` (CRLF by default), with the header first when
 * asked. Numbers are written as JavaScript prints them; fields are quoted only when they must be.
 */
export function formatCorpusRows(
  rows: readonly CorpusRow[],
  options: { header?: boolean; eol?: "\r\n" | "\n" } = {},
): string {
  const eol = options.eol ?? "\r\n";
  const lines = rows.map((r) => {
    const w = corpusRowWire(r);
    return CORPUS_COLUMNS.map((c) => csvField(w[c])).join(",");
  });
  if (options.header === true) lines.unshift(CORPUS_COLUMNS.join(","));
  return lines.map((l) => l + eol).join("");
}
