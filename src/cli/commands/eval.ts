import { basename, dirname, join, resolve } from "node:path";
import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt, optPath, optString } from "../command.js";
import { ProgressBar } from "../progress.js";
import { inputError, usageError } from "../../errors.js";
import { BENCHMARKS, isBenchmark } from "../../domain/ids.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { readTextFile } from "../../io/files.js";
import { openLlamaScorer } from "../../io/llama/scorer.js";
import {
  evaluateItems,
  lmEvalResults,
  parseTaskJsonl,
  summarize,
  REPORTED_METRICS,
  type ItemResult,
  type ScoringModel,
  type TaskFile,
} from "../../eval/index.js";
import type { Benchmark } from "../../domain/ids.js";

const usage = `Usage: slm-energy eval --model FILE.gguf --task FILE.jsonl --format mmlu|hellaswag|winogrande
                       [--limit N] [--threads T] [--out results.json] [--samples samples.jsonl] [--json]

Scores multiple-choice items by continuation log-likelihood, as lm-evaluation-harness (v0.4)
does zero-shot, with llama.cpp on the CPU (node-llama-cpp, offline). Reads the public datasets'
JSONL layouts:
  mmlu        question, subject, choices[4], answer (0–3 or "A"–"D"); prompt "…\\nA. …\\nAnswer:",
              continuations " A" … " D"; one mmlu_<subject> subtask per subject plus the mmlu group
  hellaswag   activity_label, ctx_a, ctx_b (or ctx), endings[4], label; lm-eval's preprocessing
  winogrande  sentence (with "_"), option1, option2, answer "1"/"2"; partial evaluation: the
              sentence up to "_" + option as context, the rest as the scored continuation
Metrics: acc (the likeliest choice is the gold one) and acc_norm (log-likelihood divided by the
choice's length in bytes; not for winogrande, where it equals acc), each with stderr = sample
standard deviation / √n. --limit N scores the first N items (lm-eval's --limit).
Speed: an item's choices share its context's state — one prefill of the shared tokens, then each
choice's own tokens from it — and 8 items run at once, batched into the same forward passes; a
progress bar (items/s, ETA) on a terminal, and the items/s and tokens/s on stderr at the end.
Every request starts with the model's BOS token, as llama.cpp's own scorers do (lm-eval's HF
backend omits it unless add_bos_token=True; its llama.cpp backend keeps it).

--out FILE       results in lm-evaluation-harness's JSON shape (ingest and inspect read it);
                 lines that cannot be items go to FILE.rejected.jsonl with their reason
--samples FILE   one JSON line per item: log-likelihoods, prediction, acc, acc_norm, is_greedy
A random-weights model (slm-energy gguf synth) scores near chance: 25% on 4 choices, 50% on 2.
Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

/** Lines that could not become items: listed on stderr and, with --out, kept beside the results. */
function reportRejected(ctx: CommandContext, task: string, all: TaskFile, out: string | undefined): void {
  if (all.rejected.length === 0) return;
  const lines = all.rejected.map((r) => `  ${task}:${r.line}: ${r.reason}`).join("\n");
  ctx.stderr(`${task}: ${all.rejected.length} line(s) rejected:\n${lines}\n`);
  if (!out) return;
  const qf = join(dirname(resolve(out)), `${basename(out).replace(/\.json$/, "")}.rejected.jsonl`);
  const rows = all.rejected.map((r) => JSON.stringify({ file: task, line: r.line, reason: r.reason, text: r.text }));
  writeFileAtomic(qf, rows.join("\n") + "\n");
  ctx.stderr(`  kept in ${qf}\n`);
}

/** Score every item, drawing the CLI's progress bar with the accuracy so far. */
async function scoreAll(ctx: CommandContext, lm: ScoringModel, file: TaskFile): Promise<ItemResult[]> {
  const bar = ProgressBar.onStderr(file.items.length, ctx.stderr, "items");
  let correct = 0;
  const t0 = performance.now();
  let results: ItemResult[];
  try {
    results = await evaluateItems(lm, file.items, (done, _total, r) => {
      correct += r.acc;
      bar.update(done, `acc so far ${((100 * correct) / done).toFixed(1)}%`);
    });
  } finally {
    bar.finish();
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const tokens = lm.evaluatedTokens?.();
  const tokenRate =
    tokens === undefined ? "" : `, ${tokens} tokens evaluated (${(tokens / elapsedS).toFixed(0)} tokens/s)`;
  const itemRate = (results.length / elapsedS).toFixed(2);
  ctx.stderr(`scored ${results.length} items in ${elapsedS.toFixed(1)} s (${itemRate} items/s${tokenRate})\n`);
  return results;
}

/** One JSON line per item, as lm-eval's --log_samples writes them. */
function samplesJsonl(results: readonly ItemResult[]): string {
  const line = (r: ItemResult): string =>
    JSON.stringify({
      doc_id: r.id,
      line: r.line,
      subtask: r.subtask,
      target: r.gold,
      loglikelihoods: r.loglikelihoods,
      is_greedy: r.isGreedy,
      continuation_tokens: r.continuationTokens,
      pred: r.pred,
      pred_norm: r.predNorm,
      acc: r.acc,
      acc_norm: r.accNorm,
    });
  return results.map(line).join("\n") + "\n";
}

function summaryText(format: Benchmark, results: readonly ItemResult[], out: string | undefined): string {
  const s = summarize(format, results);
  const fmt = (v: { value: number; stderr: number | null }): string =>
    `${(100 * v.value).toFixed(2)}% ± ${v.stderr === null ? "n/a" : `${(100 * v.stderr).toFixed(2)}%`}`;
  const norm = REPORTED_METRICS[format].includes("acc_norm") ? `, acc_norm ${fmt(s.accNorm)}` : "";
  return `${format}: ${s.n} items — acc ${fmt(s.acc)}${norm}\n` + (out ? `wrote ${resolve(out)}\n` : "");
}

/** The task file's items (cut to --limit), after reporting the lines that are not items. */
function readTask(ctx: CommandContext, task: string, format: Benchmark, limit: number | undefined) {
  const all = parseTaskJsonl(readTextFile(task, "task file"), format);
  reportRejected(ctx, task, all, optString(ctx, "out"));
  const file = limit === undefined ? all : { ...all, items: all.items.slice(0, limit) };
  if (file.items.length === 0)
    throw inputError(`no usable ${format} items`, {
      file: task,
      hint: `expected the ${format} JSONL layout; run \`slm-energy eval --help\``,
    });
  return { all, file };
}

export const evalCommand: Command = {
  name: "eval",
  summary: "accuracy on MMLU / HellaSwag / Winogrande JSONL by continuation log-likelihood (lm-eval JSON)",
  usage,
  options: {
    model: { type: "string" },
    task: { type: "string" },
    format: { type: "string" },
    limit: { type: "string" },
    threads: { type: "string" },
    out: { type: "string" },
    samples: { type: "string" },
    json: { type: "boolean" },
  },
  async run(ctx) {
    const model = optString(ctx, "model");
    const task = optString(ctx, "task");
    const format = optString(ctx, "format");
    if (!model || !task || !format)
      throw usageError("--model, --task and --format are required", "run `slm-energy eval --help`");
    if (!isBenchmark(format)) throw usageError(`--format must be one of ${BENCHMARKS.join(", ")} (got "${format}")`);
    optPath(ctx, "out");
    optPath(ctx, "samples");
    const limit = optInt(ctx, "limit", { min: 1 });
    const threads = optInt(ctx, "threads", { min: 1 });
    const { all, file } = readTask(ctx, task, format, limit);
    const startedS = Date.now() / 1000;
    const lm = await openLlamaScorer({ modelPath: resolve(model), ...(threads === undefined ? {} : { threads }) });
    let results: ItemResult[];
    try {
      results = await scoreAll(ctx, lm, file);
    } finally {
      await lm.dispose();
    }
    const doc = lmEvalResults(file.format, results, {
      modelPath: resolve(model),
      modelDescription: lm.describe(),
      taskFile: resolve(task),
      limit: limit ?? null,
      originalCount: all.items.length,
      rejected: all.rejected.length,
      startedS,
      endedS: Date.now() / 1000,
    });
    const out = optString(ctx, "out");
    if (out) writeFileAtomic(resolve(out), JSON.stringify(doc, null, 2) + "\n", "results file");
    const samples = optString(ctx, "samples");
    if (samples) writeFileAtomic(resolve(samples), samplesJsonl(results), "samples file");
    ctx.stdout(optFlag(ctx, "json") ? JSON.stringify(doc, null, 2) + "\n" : summaryText(file.format, results, out));
    return 0;
  },
};
