import type { CorpusRow, POWER_KINDS } from "../io/corpus.js";
import type { BundleResult } from "../ingest/bundle/result.js";
import type { PowerFormat } from "../ingest/types.js";
import { corpusRowId } from "./provenance.js";
import type { BuiltRows, CorpusAddContext, CorpusRuntime } from "./build.js";

/**
 * The corpus row of an ingested run bundle: the rates and mean power the ingest pipeline computed
 * from the bundle's own logs (tokens ÷ seconds over every inference that has both), said so in
 * the notes. Board, source and provenance come from the user, the rest from the manifest.
 */

type PowerKind = (typeof POWER_KINDS)[number];

/** What each meter measures: the board's input, a rail inside it, or the wall socket. */
const METER_KIND: Record<PowerFormat, PowerKind> = {
  tegrastats: "board-input-avg",
  "jtop-csv": "board-input-avg",
  pmic: "rail-avg",
  fnirsi: "board-input-avg",
  "usb-csv": "board-input-avg",
  "nvidia-smi": "rail-avg",
  rapl: "rail-avg",
  codecarbon: "rail-avg",
};

function runtimeOf(name: string): CorpusRuntime {
  const n = name.toLowerCase().replace(/[\s_]/g, "-");
  if (/^llama[.-]?cpp/.test(n) || n === "llama-bench") return "llama.cpp";
  if (n.startsWith("ollama")) return "ollama";
  if (n.startsWith("mlc")) return "mlc";
  return "other";
}

/** Sum of `a` over sum of `b`, over the inferences that have both; null when none has. */
function rate(pairs: readonly [number | null, number | null][]): { rate: number; n: number } | null {
  let tokens = 0;
  let seconds = 0;
  let n = 0;
  for (const [t, s] of pairs) {
    if (t === null || s === null || s <= 0) continue;
    tokens += t;
    seconds += s;
    n++;
  }
  return n === 0 || seconds <= 0 ? null : { rate: Number((tokens / seconds).toPrecision(6)), n };
}

/** One length when every inference has the same, else null (the notes give the range). */
function commonLength(xs: readonly (number | null)[]): { value: number | null; range: string } {
  const known = xs.filter((x): x is number => x !== null);
  if (known.length === 0) return { value: null, range: "" };
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return { value: lo === hi ? lo : null, range: lo === hi ? `${lo}` : `${lo}-${hi}` };
}

export function bundleRows(b: BundleResult, ctx: CorpusAddContext): BuiltRows {
  const m = b.manifest;
  const model = ctx.model ?? m.model.toLowerCase();
  const quantization = ctx.quantization ?? m.quantization;
  const prefill = rate(b.inferences.map((r) => [r.promptTokens, r.prefillS]));
  const decode = rate(b.inferences.map((r) => [r.genTokens, r.decodeS]));
  if (prefill === null && decode === null)
    return { rows: [], skipped: [`${b.runId}: no inference has a prefill or decode time`] };
  const prompts = commonLength(b.inferences.map((r) => r.promptTokens));
  const gens = commonLength(b.inferences.map((r) => r.genTokens));
  const meter = b.files.find((f) => f.role === "power")?.format as PowerFormat | null | undefined;
  const powerW = b.run.gross.powerW === null ? null : Number(b.run.gross.powerW.toPrecision(6));
  const powerKind = powerW === null || meter == null ? null : METER_KIND[meter];
  const runtime = ctx.runtime ?? runtimeOf(m.runtime);
  const notes = [
    `run ${b.runId} ingested by slm-energy (${b.inferences.length} inferences` +
      `${m.benchmark === null ? "" : `, ${m.benchmark}`})`,
    prefill === null ? "" : `prefill rate = prompt tokens ÷ prefill seconds over ${prefill.n} inferences`,
    decode === null ? "" : `decode rate = generated tokens ÷ decode seconds over ${decode.n} inferences`,
    prompts.value === null && prompts.range !== "" ? `prompts ${prompts.range} tokens` : "",
    gens.value === null && gens.range !== "" ? `generations ${gens.range} tokens` : "",
    powerKind === null ? "" : `power: mean over the run, ${meter} log`,
    m.runtime === runtime ? "" : `runtime ${m.runtime}`,
    m.simulated === true ? "SIMULATED bundle" : "",
    ctx.source.url === null ? "" : `source ${ctx.source.url}`,
  ];
  const row: CorpusRow = {
    rowId: corpusRowId({ source: ctx.source.name, board: ctx.board, model, quantization, test: `run-${b.runId}` }),
    board: ctx.board,
    powerMode: ctx.powerMode ?? m.power_mode,
    backend: ctx.backend ?? (m.backend === "cpu" ? "cpu" : "cuda"),
    runtime,
    runtimeVersion: ctx.runtimeVersion ?? null,
    threads: null,
    gpuLayers: null,
    model,
    modelParamsB: null,
    quantization,
    quantSource: quantization === null ? null : "printed",
    promptTokens: prefill === null ? null : prompts.value,
    prefillTokPerS: prefill?.rate ?? null,
    generatedTokens: decode === null ? null : gens.value,
    decodeTokPerS: decode?.rate ?? null,
    powerW: powerKind === null ? null : powerW,
    powerKind,
    energyJ: null,
    source: { kind: ctx.source.kind, name: ctx.source.name, locator: ctx.locator, date: ctx.date },
    notes: notes.filter((s) => s !== "").join("; "),
  };
  return { rows: [row], skipped: [] };
}
