import { statSync } from "node:fs";
import { basename } from "node:path";
import { bundleRows } from "../corpus/bundle.js";
import { llamaBenchRows, ollamaVerboseRows, type BuiltRows, type CorpusAddContext } from "../corpus/build.js";
import { inputError, isSlmError, notFoundError, SlmError, type Issue } from "../errors.js";
import { resolveInferenceFormat } from "../ingest/inference/read.js";
import type { InferenceRecord, QuarantineEntry } from "../ingest/types.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { corpusLineEnd, formatCorpusRows, parseCorpus, type CorpusRow } from "../io/corpus.js";
import { readTextFile } from "../io/files.js";
import { readHead, readInferenceLog } from "../io/inference/index.js";
import { ingestBundle } from "./ingest/bundle.js";
import { resolveCorpusBoard } from "../corpus/resolve-board.js";
import { resolveCorpusModel } from "../corpus/resolve-model.js";
import { loadDeviceCatalog } from "../io/catalog/devices.js";
import { loadModelCatalog } from "../io/catalog/models.js";
import { loadQuantCatalog } from "../io/catalog/quantization.js";
import { PATHS } from "./paths.js";

/** What `corpus add` did. */
export interface CorpusAddResult {
  /** The corpus file written. */
  corpus: string;
  /** What the file was read as. */
  format: "llama-bench-csv" | "llama-bench-json" | "ollama-verbose" | "bundle";
  added: CorpusRow[];
  /** Tests, blocks or rows of the file that gave no corpus row, each with why. */
  skipped: string[];
}

/** The rows `file` (a llama-bench or `ollama run --verbose` file, or a bundle folder) gives. */
async function rowsOf(
  file: string,
  ctx: CorpusAddContext,
): Promise<{ format: CorpusAddResult["format"]; built: BuiltRows }> {
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    throw notFoundError("no such file or folder", { file, hint: "check the path" });
  }
  if (isDir) return { format: "bundle", built: bundleRows(await ingestBundle(file), ctx) };
  const format = resolveInferenceFormat(await readHead(file), file);
  if (format !== "llama-bench-csv" && format !== "llama-bench-json" && format !== "ollama-verbose") {
    throw inputError(`this is a ${format} log; corpus add reads llama-bench and ollama --verbose output`, {
      file,
      hint: "give a llama-bench -o csv/json/jsonl file, an `ollama run --verbose` output or an ingested bundle folder",
    });
  }
  const quarantined: QuarantineEntry[] = [];
  const records: InferenceRecord[] = [];
  for await (const r of readInferenceLog(file, { format, onQuarantine: (q) => quarantined.push(q) })) records.push(r);
  const built = format === "ollama-verbose" ? ollamaVerboseRows(records, ctx) : llamaBenchRows(records, ctx);
  const skipped = [...quarantined.map((q) => `${q.file}:${q.line}: ${q.reason}`), ...built.skipped];
  return { format, built: { rows: built.rows, skipped } };
}

/** Refuses rows whose ids the corpus already has, all of them in one error. */
function refuseDuplicates(existing: readonly CorpusRow[], added: readonly CorpusRow[], corpus: string): void {
  const ids = new Set(existing.map((r) => r.rowId));
  const repeated = added.filter((r) => ids.has(r.rowId));
  if (repeated.length === 0) return;
  const issue = (r: CorpusRow): Issue => ({ message: `row_id "${r.rowId}" is already in the corpus`, field: "row_id" });
  const [first, ...rest] = repeated.map(issue);
  const message =
    repeated.length === 1
      ? first!.message
      : `${repeated.length} of the ${added.length} rows are already in the corpus, the first "${repeated[0]!.rowId}"`;
  throw inputError(message, {
    file: corpus,
    field: "row_id",
    hint: "this file (same source, board, model, quantization and test) was added before; nothing was written",
    issues: rest,
  });
}

/**
 * `corpus add`: the rows of `file`, validated with the corpus schema, appended to the corpus at
 * `corpus` in one atomic write. Existing rows stay byte-identical and the file keeps its line ends;
 * rows whose ids the corpus already has are refused (nothing is written then).
 */
export async function addToCorpus(
  corpus: string,
  file: string,
  ctx: Omit<CorpusAddContext, "fileName">,
): Promise<CorpusAddResult> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(ctx.board))
    throw inputError(`board id "${ctx.board}" is not a lowercase id`, {
      field: "board",
      hint: "use a-z, 0-9 and '-', e.g. raspberry-pi-5 (data/community/README.md lists the boards)",
    });
  const text = readTextFile(corpus, "corpus file");
  const existing = parseCorpus(text, corpus);
  const { format, built } = await rowsOf(file, { ...ctx, fileName: basename(file) });
  if (built.rows.length === 0) {
    throw inputError("the file gives no corpus row", {
      file,
      hint: built.skipped.length === 0 ? "it holds no test or answer with a printed rate" : built.skipped.join("; "),
    });
  }
  refuseDuplicates(existing, built.rows, corpus);
  const eol = corpusLineEnd(text);
  const head = text === "" || text.endsWith("\n") ? text : text + eol;
  const next = head + formatCorpusRows(built.rows, { eol });
  try {
    parseCorpus(next, corpus); // the new rows pass the schema (their lines are the ones they would get)
  } catch (e) {
    if (!isSlmError(e)) throw e;
    throw new SlmError(e.code, `a row built from ${basename(file)} does not pass the corpus schema: ${e.message}`, {
      ...(e.file === undefined ? {} : { file: e.file }),
      ...(e.line === undefined ? {} : { line: e.line }),
      ...(e.field === undefined ? {} : { field: e.field }),
      ...(e.text === undefined ? {} : { text: e.text }),
      hint: `${e.hint === undefined ? "" : `${e.hint}; `}nothing was written`,
      issues: e.issues,
    });
  }
  writeFileAtomic(corpus, next);
  return { corpus, format, added: built.rows, skipped: built.skipped };
}

/** `corpus check`: the corpus's rows, or an error naming every bad cell. */
export function checkCorpus(corpus: string): CorpusRow[] {
  return parseCorpus(readTextFile(corpus, "corpus file"), corpus);
}

/**
 * Rows of a corpus file the catalogs cannot place (board and power mode, model, quantization),
 * each as the resolver's error naming file, line and field. The modelled corpus holds none;
 * `data/community/unplaced.csv` keeps the published rows no cited source describes yet.
 */
export function unplacedRows(root: string, file: string, rows: readonly CorpusRow[]): SlmError[] {
  const devices = loadDeviceCatalog(root);
  const models = loadModelCatalog(root);
  const quants = loadQuantCatalog(root);
  const out: SlmError[] = [];
  rows.forEach((row, i) => {
    const at = { file, line: i + 2 };
    try {
      resolveCorpusBoard(row, devices, at);
      resolveCorpusModel(row, models, quants, at);
    } catch (e) {
      if (!isSlmError(e)) throw e;
      out.push(e);
    }
  });
  return out;
}

/** The error for a modelled corpus with rows the catalogs cannot place: all of them, at once. */
export function unplacedError(file: string, problems: readonly SlmError[]): SlmError {
  const [first, ...rest] = problems as [SlmError, ...SlmError[]];
  return inputError(`${problems.length} corpus row(s) the catalogs cannot place; the first: ${first.message}`, {
    file,
    ...(first.line === undefined ? {} : { line: first.line }),
    ...(first.field === undefined ? {} : { field: first.field }),
    hint:
      "add the board, model or file type to data/catalog/ with its cited source, or move the row to " +
      `${PATHS.communityUnplaced} (published rows no catalog entry describes yet)`,
    issues: rest.map((e) => ({
      message: e.message,
      ...(e.file === undefined ? {} : { file: e.file }),
      ...(e.line === undefined ? {} : { line: e.line }),
      ...(e.field === undefined ? {} : { field: e.field }),
    })),
  });
}
