import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optString } from "../command.js";
import { notFoundError, inputError, usageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { ProgressBar } from "../../collect/progress.js";
import {
  evaluateItems,
  lmEvalResults,
  openLlamaScorer,
  parseTaskJsonl,
  summarize,
  REPORTED_METRICS,
} from "../../eval/index.js";

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
Every request starts with the model's BOS token, as llama.cpp's own scorers do (lm-eval's HF
backend omits it unless add_bos_token=True; its llama.cpp backend keeps it).

--out FILE       results in lm-evaluation-harness's JSON shape (ingest and inspect read it);
                 lines that cannot be items go to FILE.rejected.jsonl with their reason
--samples FILE   one JSON line per item: log-likelihoods, prediction, acc, acc_norm, is_greedy
A random-weights model (slm-energy gguf synth) scores near chance: 25% on 4 choices, 50% on 2.
Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

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
    const int = (name: string): number | undefined => {
      const s = optString(ctx, name);
      if (s === undefined) return undefined;
      const v = Number(s);
      if (!Number.isInteger(v) || v < 1) throw usageError(`--${name} must be a positive integer, got "${s}"`);
      return v;
    };
    const limit = int("limit");
    const threads = int("threads");
    let text: string;
    try {
      text = readFileSync(task, "utf8");
    } catch (e) {
      throw notFoundError("cannot read the task file", { file: task, cause: e });
    }
    const all = parseTaskJsonl(text, format);
    const file = limit === undefined ? all : { ...all, items: all.items.slice(0, limit) };
    const out = optString(ctx, "out");
    if (all.rejected.length > 0) {
      ctx.stderr(
        `${task}: ${all.rejected.length} line(s) rejected:\n${all.rejected.map((r) => `  ${task}:${r.line}: ${r.reason}`).join("\n")}\n`,
      );
      if (out) {
        const qf = join(dirname(resolve(out)), `${basename(out).replace(/\.json$/, "")}.rejected.jsonl`);
        writeFileAtomic(
          qf,
          all.rejected
            .map((r) => JSON.stringify({ file: task, line: r.line, reason: r.reason, text: r.text }))
            .join("\n") + "\n",
        );
        ctx.stderr(`  kept in ${qf}\n`);
      }
    }
    if (file.items.length === 0)
      throw inputError(`no usable ${format} items`, {
        file: task,
        hint: `expected the ${format} JSONL layout; run \`slm-energy eval --help\``,
      });

    const startedS = Date.now() / 1000;
    const lm = await openLlamaScorer({ modelPath: resolve(model), ...(threads === undefined ? {} : { threads }) });
    const bar = new ProgressBar(file.items.length, ctx.stderr, process.stderr.isTTY === true);
    let results;
    try {
      let correct = 0;
      results = await evaluateItems(lm, file.items, (done, _t, r) => {
        correct += r.acc;
        bar.update(done, `acc so far ${((100 * correct) / done).toFixed(1)}%`);
      });
    } finally {
      bar.finish();
      await lm.dispose();
    }
    const endedS = Date.now() / 1000;
    const doc = lmEvalResults(file.format, results, {
      modelPath: resolve(model),
      modelDescription: lm.describe(),
      taskFile: resolve(task),
      limit: limit ?? null,
      originalCount: all.items.length,
      rejected: all.rejected.length,
      startedS,
      endedS,
    });
    if (out) writeFileAtomic(resolve(out), JSON.stringify(doc, null, 2) + "\n");
    const samples = optString(ctx, "samples");
    if (samples) {
      writeFileAtomic(
        resolve(samples),
        results
          .map((r) =>
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
            }),
          )
          .join("\n") + "\n",
      );
    }
    if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(doc, null, 2) + "\n");
    else {
      const s = summarize(file.format, results);
      const fmt = (v: { value: number; stderr: number | null }) =>
        `${(100 * v.value).toFixed(2)}% ± ${v.stderr === null ? "n/a" : `${(100 * v.stderr).toFixed(2)}%`}`;
      ctx.stdout(
        `${file.format}: ${s.n} items — acc ${fmt(s.acc)}` +
          (REPORTED_METRICS[file.format].includes("acc_norm") ? `, acc_norm ${fmt(s.accNorm)}` : "") +
          "\n" +
          (out ? `wrote ${resolve(out)}\n` : ""),
      );
    }
    return 0;
  },
};
