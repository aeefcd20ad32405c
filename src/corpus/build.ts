import { inputError } from "../errors.js";
import type { CORPUS_BACKENDS, CorpusRow, RUNTIMES } from "../io/corpus.js";
import type { InferenceRecord } from "../ingest/types.js";
import { corpusRowId, type Provenance } from "./provenance.js";

/**
 * Corpus rows from what a tool printed: llama-bench results and `ollama run --verbose` output,
 * as the ingest parsers read them. Only numbers the file prints go in (rates as the tool prints
 * them, never recomputed from times); what the file does not print comes from the user (board,
 * source) or stays empty.
 */

export type CorpusBackend = (typeof CORPUS_BACKENDS)[number];
export type CorpusRuntime = (typeof RUNTIMES)[number];

/** What the user says about the rows of one file. */
export interface CorpusAddContext {
  board: string;
  source: Provenance;
  locator: string;
  date: string | null;
  /** Overrides of what the file prints (or gives what it does not print). */
  model?: string;
  quantization?: string;
  runtime?: CorpusRuntime;
  runtimeVersion?: string;
  backend?: CorpusBackend;
  powerMode?: string;
  /** The file's name as the notes cite it. */
  fileName: string;
}

/** Rows built from one file, and the tests or blocks that gave none (with why). */
export interface BuiltRows {
  rows: CorpusRow[];
  skipped: string[];
}

const MODEL_ID = /^[a-z0-9][a-z0-9._-]*$/;

function requireModel(model: string | undefined, what: string): string {
  if (model === undefined)
    throw inputError(`${what} does not print the model: give its id`, {
      field: "model",
      hint: "a lowercase id such as qwen2.5-0.5b-instruct",
    });
  if (!MODEL_ID.test(model))
    throw inputError(`model id "${model}" is not a lowercase id`, {
      field: "model",
      hint: "use a-z, 0-9, '.', '_' and '-', e.g. llama-3.2-1b",
    });
  return model;
}

/** `tinyllama-1.1b-chat-v1.0.Q4_0.gguf` → `tinyllama-1.1b-chat-v1.0` (the quantization tag dropped). */
export function modelFromFilename(filename: string): string | undefined {
  const base = (filename.split(/[\\/]/).pop() ?? "").replace(/\.gguf$/i, "");
  const id = base
    .replace(/[.-](?:i?q\d\w*|f16|f32|bf16|mxfp4\w*)$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-");
  return MODEL_ID.test(id) ? id : undefined;
}

/** llama-bench's `model_type` is `<architecture> <size> <type>`: the type as printed (`Q4_K - Medium`). */
export function quantFromModelType(modelType: string): string | undefined {
  return /^\S+\s+\S+\s+(.+)$/.exec(modelType.trim())?.[1];
}

/** The backend from llama-bench's `backends` column (`CPU`, `CUDA`, `Metal`, `Vulkan`, `OpenCL`, `BLAS`…). */
export function backendFromLlamaBench(backends: string | undefined): CorpusBackend {
  const b = (backends ?? "").toLowerCase();
  if (b.includes("cuda")) return "cuda";
  if (b.includes("metal")) return "metal";
  if (b.includes("vulkan")) return "vulkan";
  if (b.includes("opencl")) return "opencl";
  return "cpu";
}

/** `1100048384` → `1.100048384` (a decimal shift, no rounding). */
export function billions(n: number): number {
  return Number((n / 1e9).toPrecision(15));
}

interface Pair {
  pp: InferenceRecord | null;
  tg: InferenceRecord | null;
}

/** The configuration a llama-bench test ran with: tests with the same one pair into a row. */
function configKey(r: InferenceRecord): string {
  const p = r.printed ?? {};
  const depth = r.label?.includes(" @ ") === true ? r.label.split(" @ ")[1] : "";
  return JSON.stringify([
    p.buildCommit,
    p.buildNumber,
    p.modelFilename,
    p.modelType,
    p.threads,
    p.gpuLayers,
    p.backends,
    depth,
  ]);
}

/** pp and tg tests of the same configuration, paired in file order (rule 3 of the corpus). */
function pairTests(records: readonly InferenceRecord[], skipped: string[], file: string): Pair[] {
  const groups = new Map<string, { pp: InferenceRecord[]; tg: InferenceRecord[] }>();
  for (const r of records) {
    const where = `${file}:${r.line} ${r.label ?? ""}`.trimEnd();
    const pp = r.genTokens === 0;
    const tg = r.promptTokens === 0;
    if (!pp && !tg) {
      skipped.push(`${where}: a combined prompt+generation test prints no separate rates`);
      continue;
    }
    const rate = pp ? r.printed?.promptTokPerS : r.printed?.genTokPerS;
    if (rate === undefined) {
      skipped.push(`${where}: no avg_ts printed`);
      continue;
    }
    const key = configKey(r);
    const g = groups.get(key) ?? { pp: [], tg: [] };
    (pp ? g.pp : g.tg).push(r);
    groups.set(key, g);
  }
  const pairs: Pair[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < Math.max(g.pp.length, g.tg.length); i++)
      pairs.push({ pp: g.pp[i] ?? null, tg: g.tg[i] ?? null });
  }
  return pairs;
}

const sd = (label: string, r: InferenceRecord | null): string | null =>
  r?.printed?.stddevTokPerS === undefined ? null : `${label} ± ${r.printed.stddevTokPerS}`;

function llamaBenchNotes(pair: Pair, ctx: CorpusAddContext, test: string): string {
  const first = (pair.pp ?? pair.tg)!;
  const p = first.printed ?? {};
  const lines = [pair.pp?.line, pair.tg?.line].filter((x) => x !== undefined).join(", ");
  const parts = [
    `llama-bench ${test} from ${ctx.fileName} (line${lines.includes(",") ? "s" : ""} ${lines})`,
    [sd(`pp${pair.pp?.promptTokens}`, pair.pp), sd(`tg${pair.tg?.genTokens}`, pair.tg)]
      .filter((s) => s !== null)
      .join(", "),
    p.modelType === undefined ? "" : `model_type ${p.modelType}`,
    p.modelFilename === undefined ? "" : `model_filename ${p.modelFilename}`,
    p.modelNParams === undefined ? "" : `model_n_params ${p.modelNParams}`,
    p.cpuInfo === undefined ? "" : `cpu_info ${p.cpuInfo}`,
    p.gpuInfo === undefined ? "" : `gpu_info ${p.gpuInfo}`,
    ctx.source.url === null ? "" : `source ${ctx.source.url}`,
  ];
  return parts.filter((s) => s !== "").join("; ");
}

function baseRow(ctx: CorpusAddContext): Omit<CorpusRow, "rowId" | "model" | "backend" | "runtime"> {
  return {
    board: ctx.board,
    powerMode: ctx.powerMode ?? null,
    runtimeVersion: ctx.runtimeVersion ?? null,
    threads: null,
    gpuLayers: null,
    modelParamsB: null,
    quantization: null,
    quantSource: null,
    promptTokens: null,
    prefillTokPerS: null,
    generatedTokens: null,
    decodeTokPerS: null,
    powerW: null,
    powerKind: null,
    energyJ: null,
    source: { kind: ctx.source.kind, name: ctx.source.name, locator: ctx.locator, date: ctx.date },
    notes: null,
  };
}

/** Gives repeated ids (repeated runs of one test in one file) a `-r2`, `-r3` … suffix, in file order. */
function uniqueIds(rows: CorpusRow[]): CorpusRow[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const n = (seen.get(r.rowId) ?? 0) + 1;
    seen.set(r.rowId, n);
    return n === 1 ? r : { ...r, rowId: `${r.rowId}-r${n}` };
  });
}

/** Rows of a llama-bench `-o csv`/`-o json`/`-o jsonl` file: one per pp/tg pair of one configuration. */
export function llamaBenchRows(records: readonly InferenceRecord[], ctx: CorpusAddContext): BuiltRows {
  const skipped: string[] = [];
  const rows = pairTests(records, skipped, ctx.fileName).map((pair): CorpusRow => {
    const first = (pair.pp ?? pair.tg)!;
    const p = first.printed ?? {};
    const model = requireModel(
      ctx.model ?? (p.modelFilename === undefined ? undefined : modelFromFilename(p.modelFilename)),
      "the llama-bench file",
    );
    const quantization = ctx.quantization ?? (p.modelType === undefined ? undefined : quantFromModelType(p.modelType));
    const version =
      p.buildCommit !== undefined && p.buildNumber !== undefined
        ? `${p.buildCommit} (${p.buildNumber})`
        : (p.buildCommit ?? (p.buildNumber === undefined ? null : String(p.buildNumber)));
    const test = [pair.pp ? `pp${pair.pp.promptTokens}` : "", pair.tg ? `tg${pair.tg.genTokens}` : ""]
      .filter((s) => s !== "")
      .join("-");
    const depth = first.label?.includes(" @ ") === true ? `-${first.label.split(" @ ")[1]}` : "";
    const config = [p.threads, p.gpuLayers, p.backends, version, p.modelFilename].map((x) => x ?? "").join(" ");
    return {
      ...baseRow(ctx),
      rowId: corpusRowId({
        source: ctx.source.name,
        board: ctx.board,
        model,
        quantization: quantization ?? null,
        test: `${test}${depth}-t${p.threads ?? ""}-ngl${p.gpuLayers ?? ""}`,
        config,
      }),
      model,
      backend: ctx.backend ?? backendFromLlamaBench(p.backends),
      runtime: ctx.runtime ?? "llama.cpp",
      runtimeVersion: ctx.runtimeVersion ?? version,
      threads: p.threads ?? null,
      gpuLayers: p.gpuLayers === undefined ? null : String(p.gpuLayers),
      modelParamsB: p.modelNParams === undefined ? null : billions(p.modelNParams),
      quantization: quantization ?? null,
      quantSource: quantization === undefined ? null : "printed",
      promptTokens: pair.pp?.promptTokens ?? null,
      prefillTokPerS: pair.pp?.printed?.promptTokPerS ?? null,
      generatedTokens: pair.tg?.genTokens ?? null,
      decodeTokPerS: pair.tg?.printed?.genTokPerS ?? null,
      notes: llamaBenchNotes(pair, ctx, test + depth),
    };
  });
  return { rows: uniqueIds(rows), skipped };
}

/** Rows of an `ollama run --verbose` output: one per answer block with a printed rate. */
export function ollamaVerboseRows(records: readonly InferenceRecord[], ctx: CorpusAddContext): BuiltRows {
  const model = requireModel(ctx.model, "ollama run --verbose");
  if (ctx.backend === undefined)
    throw inputError("ollama run --verbose does not print the backend: give it", {
      field: "backend",
      hint: "cpu, cuda, metal, vulkan or opencl",
    });
  const skipped: string[] = [];
  const rows: CorpusRow[] = [];
  records.forEach((r, k) => {
    const prefill = r.printed?.promptTokPerS ?? null;
    const decode = r.printed?.genTokPerS ?? null;
    const lines = `${r.line}-${r.lineEnd ?? r.line}`;
    if (prefill === null && decode === null) {
      skipped.push(`${ctx.fileName}:${r.line}: the block prints no rate`);
      return;
    }
    const quantization = ctx.quantization ?? null;
    const tag = quantization === null ? `; quantization not printed: the default of the Ollama tag ${ctx.model}` : "";
    const url = ctx.source.url === null ? "" : `; source ${ctx.source.url}`;
    rows.push({
      ...baseRow(ctx),
      rowId: corpusRowId({
        source: ctx.source.name,
        board: ctx.board,
        model,
        quantization,
        test: `run${k + 1}-l${r.line}`,
      }),
      model,
      backend: ctx.backend!,
      runtime: ctx.runtime ?? "ollama",
      quantization,
      quantSource: quantization === null ? "default-tag" : "printed",
      promptTokens: prefill === null ? null : r.promptTokens,
      prefillTokPerS: prefill,
      generatedTokens: decode === null ? null : r.genTokens,
      decodeTokPerS: decode,
      notes: `ollama run --verbose answer ${k + 1} from ${ctx.fileName} (lines ${lines})${tag}${url}`,
    });
  });
  return { rows: uniqueIds(rows), skipped };
}
