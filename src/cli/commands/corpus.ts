import { join, relative, resolve } from "node:path";
import { usageError } from "../../errors.js";
import { provenance, type SourceKind } from "../../corpus/provenance.js";
import { corpusSummary, filterCorpus, type CorpusSummary } from "../../corpus/summary.js";
import type { CorpusAddContext, CorpusBackend, CorpusRuntime } from "../../corpus/build.js";
import { CORPUS_BACKENDS, corpusRowWire, RUNTIMES, SOURCE_KINDS, type CorpusRow } from "../../io/corpus.js";
import { addToCorpus, checkCorpus, unplacedError, unplacedRows } from "../../pipeline/corpus.js";
import { PATHS } from "../../pipeline/paths.js";
import { optFlag, optString, withOptionHints, type Command, type CommandContext } from "../command.js";

const fmtRate = (x: number | null): string => (x === null ? "—" : String(x));
const cut = (s: string, n: number): string => (s.length <= n ? s.padEnd(n) : `${s.slice(0, n - 1)}…`);

/** The corpus rows as a compact table: board, model, quant, runtime, prefill, decode, source. */
function table(rows: readonly CorpusRow[]): string {
  const head =
    `${cut("board", 24)} ${cut("model", 28)} ${cut("quant", 14)} ${cut("runtime", 9)} ` +
    `${"prefill".padStart(9)} ${"decode".padStart(9)}  source`;
  const lines = rows.map(
    (r) =>
      `${cut(r.board, 24)} ${cut(r.model, 28)} ${cut(r.quantization ?? "—", 14)} ${cut(r.runtime, 9)} ` +
      `${fmtRate(r.prefillTokPerS).padStart(9)} ${fmtRate(r.decodeTokPerS).padStart(9)}  ${r.source.name}`,
  );
  return [head, ...lines, `${rows.length} row(s); rates in tokens/s`].join("\n");
}

const listed = (xs: [string, number][], max = 6): string =>
  xs
    .slice(0, max)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") + (xs.length > max ? `, … ${xs.length - max} more` : "");

function summaryText(file: string, s: CorpusSummary): string {
  return [
    `${file}: ${s.rows} rows, all valid`,
    `  boards      ${String(s.boards.length).padStart(4)}  ${listed(s.boards)}`,
    `  models      ${String(s.models.length).padStart(4)}  ${listed(s.models)}`,
    `  runtimes    ${String(s.runtimes.length).padStart(4)}  ${listed(s.runtimes)}`,
    `  sources     ${String(s.sources.length).padStart(4)}  ${listed(s.sources, 3)}`,
    `  rows with prefill ${s.rowsWithPrefill}, with decode ${s.rowsWithDecode}, with power ${s.rowsWithPower}`,
  ].join("\n");
}

/** A path as the user sees it: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function oneOf<T extends string>(ctx: CommandContext, name: string, allowed: readonly T[]): T | undefined {
  const v = optString(ctx, name);
  if (v === undefined || (allowed as readonly string[]).includes(v)) return v as T | undefined;
  throw usageError(`--${name} must be one of ${allowed.join(", ")} (got ${JSON.stringify(v)})`, "run with --help");
}

function required(ctx: CommandContext, name: string, what: string): string {
  const v = optString(ctx, name);
  if (v === undefined || v.trim() === "")
    throw usageError(`corpus add needs --${name}: ${what}`, "run `slm-energy corpus --help`");
  return v.trim();
}

function addContext(ctx: CommandContext): Omit<CorpusAddContext, "fileName"> {
  const board = required(
    ctx,
    "board",
    "the board the file was measured on (a lowercase id, see data/community/README.md)",
  );
  const source = provenance(
    required(ctx, "source", "where the numbers were published (owner/name, a GitHub address or a page)"),
    oneOf<SourceKind>(ctx, "source-kind", SOURCE_KINDS),
  );
  const locator = required(ctx, "locator", "where in the source: file path + commit + lines, or comment author + date");
  const date = optString(ctx, "date");
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw usageError(`--date must be YYYY-MM-DD (got ${JSON.stringify(date)})`, "the date of the document read");
  const opt = (name: string): string | undefined => optString(ctx, name);
  const model = opt("model");
  const quantization = opt("quant");
  const runtime = oneOf<CorpusRuntime>(ctx, "runtime", RUNTIMES);
  const backend = oneOf<CorpusBackend>(ctx, "backend", CORPUS_BACKENDS);
  const runtimeVersion = opt("runtime-version");
  const powerMode = opt("power-mode");
  return {
    board,
    source,
    locator,
    date: date ?? null,
    ...(model === undefined ? {} : { model }),
    ...(quantization === undefined ? {} : { quantization }),
    ...(runtime === undefined ? {} : { runtime }),
    ...(backend === undefined ? {} : { backend }),
    ...(runtimeVersion === undefined ? {} : { runtimeVersion }),
    ...(powerMode === undefined ? {} : { powerMode }),
  };
}

async function runAdd(ctx: CommandContext, corpus: string): Promise<number> {
  if (ctx.positionals.length !== 2)
    throw usageError("corpus add needs exactly one file or bundle folder", "run `slm-energy corpus --help`");
  const file = ctx.positionals[1]!;
  const out = resolve(optString(ctx, "out") ?? corpus);
  const r = await withOptionHints(() => addToCorpus(out, file, addContext(ctx)), {
    model: "--model ID",
    board: "--board ID",
    backend: "--backend NAME",
    source: '--source "…"',
  });
  if (optFlag(ctx, "json"))
    ctx.stdout(JSON.stringify({ added: r.added.map(corpusRowWire), skipped: r.skipped }, null, 2) + "\n");
  else {
    ctx.stdout(`added ${r.added.length} row(s) from ${file} (${r.format}) to ${shown(out)}:\n`);
    ctx.stdout(table(r.added) + "\n");
  }
  for (const s of r.skipped) ctx.stderr(`skipped: ${s}\n`);
  return 0;
}

function listRows(ctx: CommandContext, file: string): number {
  const filter = {
    ...(optString(ctx, "board") === undefined ? {} : { board: optString(ctx, "board")! }),
    ...(optString(ctx, "model") === undefined ? {} : { model: optString(ctx, "model")! }),
    ...(optString(ctx, "runtime") === undefined ? {} : { runtime: optString(ctx, "runtime")! }),
  };
  const rows = filterCorpus(checkCorpus(file), filter);
  if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify({ rows: rows.map(corpusRowWire) }, null, 2) + "\n");
  else ctx.stdout(table(rows) + "\n");
  return 0;
}

export const corpusCommand: Command = {
  name: "corpus",
  summary: "list, check and add to the community corpus of published measurements",
  usage: `Usage: slm-energy corpus [list] [FILE] [--board B] [--model M] [--runtime R] [--json]
       slm-energy corpus check [FILE]
       slm-energy corpus add FILE --board B --source "…" --locator "…" [--date YYYY-MM-DD]
                             [--model M] [--quant Q] [--runtime R] [--backend K] [--out CORPUS]

The corpus (default ${PATHS.communityCorpus}, see data/community/README.md) holds decode and
prefill rates published by others, each row with its source.

  list    the rows as a table (board, model, quant, runtime, prefill, decode, source), or with
          --json {"rows": [{…}]}: each row with the corpus's own column names (row_id, board,
          power_mode, backend, runtime, runtime_version, threads, gpu_layers, model,
          model_params_b, quantization, quant_source, prompt_tokens, prefill_tok_s,
          generated_tokens, decode_tok_s, power_w, power_kind, energy_j, source_kind, source,
          source_locator, source_date, notes), numbers as numbers, null when empty.
          --board, --model, --runtime keep the rows with that id.
  check   validates every row (every bad cell at once, with line and column; exit 2) and
          prints a summary: rows, boards, models, runtimes, sources, rows with power. The
          corpus itself must also place every row in the catalogs (board and power mode,
          model, quantization; exit 2 naming each one); another FILE (such as
          ${PATHS.communityUnplaced}) is only told how many rows it cannot place.
  add     turns FILE into rows and appends them to the corpus in one atomic write (existing
          rows stay byte-identical; the file keeps its line ends). FILE is a llama-bench result
          (-o csv, -o json or -o jsonl: one row per pp/tg pair of one configuration, rates as
          avg_ts prints them), an \`ollama run --verbose\` output (one row per answer, the printed
          prompt eval rate and eval rate) or an ingested run bundle folder (one row: the rates
          and mean power slm-energy ingest computes). Rows whose ids the corpus already has are
          refused (ids come from source, board, model, quantization and test).

Options of add:
  --board B            board id (required)
  --source "…"         where the numbers were published (required): owner/name,
                       "owner/name issue #N", a GitHub address or a web page
  --locator "…"        where inside it (required): file path + commit + lines, comment + date
  --source-kind K      ${SOURCE_KINDS.join(", ")} (default: from the source's shape)
  --date YYYY-MM-DD    date of the document
  --model M            model id (llama-bench: default from model_filename; ollama: required)
  --quant Q            quantization (llama-bench: default the type it prints; ollama: the
                       tag's default, left empty, unless given)
  --runtime R          ${RUNTIMES.join(", ")} (default: the tool's)
  --runtime-version V  build or version (llama-bench: default its build_commit (build_number))
  --backend K          ${CORPUS_BACKENDS.join(", ")} (llama-bench: from its backends column;
                       ollama: required)
  --power-mode P       power mode as printed
  --out CORPUS         the corpus file to append to (default ${PATHS.communityCorpus})
  --json               print {"added": [rows], "skipped": [why]}
  -h, --help           this help

Exit codes: 0 ok, 2 bad input or usage (nothing is written then), 1 failure.`,
  options: {
    json: { type: "boolean" },
    board: { type: "string" },
    model: { type: "string" },
    runtime: { type: "string" },
    source: { type: "string" },
    "source-kind": { type: "string" },
    locator: { type: "string" },
    date: { type: "string" },
    quant: { type: "string" },
    backend: { type: "string" },
    "runtime-version": { type: "string" },
    "power-mode": { type: "string" },
    out: { type: "string" },
  },
  allowPositionals: true,
  async run(ctx) {
    const [sub, ...rest] = ctx.positionals;
    const corpus = join(ctx.root, PATHS.communityCorpus);
    if (sub === "add") return runAdd(ctx, corpus);
    if (sub === "check") {
      if (rest.length > 1) throw usageError("corpus check takes at most one file", "run `slm-energy corpus --help`");
      const file = rest[0] === undefined ? corpus : resolve(rest[0]);
      const rows = checkCorpus(file);
      const unplaced = unplacedRows(ctx.root, file, rows);
      // The modelled corpus must place every row; any other file is only told which rows it cannot.
      if (unplaced.length && file === corpus) throw unplacedError(shown(file), unplaced);
      ctx.stdout(summaryText(shown(file), corpusSummary(rows)) + "\n");
      if (unplaced.length)
        ctx.stdout(
          `  unplaced      ${unplaced.length} row(s) the catalogs cannot place, the first: ${unplaced[0]!.message}\n`,
        );
      return 0;
    }
    if (sub === undefined || sub === "list") {
      if (rest.length > 1) throw usageError("corpus list takes at most one file", "run `slm-energy corpus --help`");
      return listRows(ctx, rest[0] === undefined ? corpus : resolve(rest[0]));
    }
    throw usageError(`unknown corpus subcommand "${sub}"`, "use list, check or add; run `slm-energy corpus --help`");
  },
};
