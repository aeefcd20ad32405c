/**
 * Results in lm-evaluation-harness's JSON shape (`results_<date>.json`), so `slm-energy ingest`,
 * `inspect` and any tool that reads lm-eval output read ours: `results.<task>` with
 * `"acc,none"`, `"acc_stderr,none"` (and acc_norm), `alias`; `group_subtasks`, `versions`,
 * `n-shot`, `higher_is_better`, `n-samples` {original, effective}, `config`, `date`.
 * MMLU files with subjects give one `mmlu_<subject>` subtask each and the `mmlu` group over all
 * items (its stderr is the pooled standard error of every item's score).
 */
import type { Benchmark } from "../domain/ids.js";
import { REPORTED_METRICS, summarize, type ItemResult, type TaskSummary } from "./evaluate.js";

export interface LmEvalRunInfo {
  modelPath: string;
  modelDescription: string;
  taskFile: string;
  limit: number | null;
  /** Items in the file that became items (before --limit cut the rest). */
  originalCount: number;
  rejected: number;
  startedS: number;
  endedS: number;
}

function taskEntry(alias: string, s: TaskSummary, metrics: ("acc" | "acc_norm")[]): Record<string, unknown> {
  const e: Record<string, unknown> = { alias };
  for (const m of metrics) {
    const v = m === "acc" ? s.acc : s.accNorm;
    e[`${m},none`] = v.value;
    e[`${m}_stderr,none`] = v.stderr === null ? "N/A" : v.stderr;
  }
  return e;
}

export function lmEvalResults(
  format: Benchmark,
  results: readonly ItemResult[],
  info: LmEvalRunInfo,
): Record<string, unknown> {
  const metrics = REPORTED_METRICS[format];
  const subjects = [...new Set(results.map((r) => r.subtask).filter((s): s is string => s !== null))].sort();
  const useSubtasks = format === "mmlu" && subjects.length > 0;
  const out: Record<string, Record<string, unknown>> = {};
  const groupSubtasks: Record<string, string[]> = {};
  const versions: Record<string, number> = {};
  const nShot: Record<string, number> = {};
  const higher: Record<string, Record<string, boolean>> = {};
  const nSamples: Record<string, { original: number; effective: number }> = {};
  const hb = Object.fromEntries(metrics.map((m) => [m, true]));
  const top = summarize(format, results);
  out[format] = taskEntry(format, top, metrics);
  versions[format] = 1;
  nShot[format] = 0;
  higher[format] = hb;
  if (useSubtasks) {
    groupSubtasks[format] = subjects.map((s) => `${format}_${s}`);
    for (const s of subjects) {
      const name = `${format}_${s}`;
      const rs = results.filter((r) => r.subtask === s);
      out[name] = taskEntry(` - ${s.replace(/_/g, " ")}`, summarize(name, rs), metrics);
      versions[name] = 1;
      nShot[name] = 0;
      higher[name] = hb;
      groupSubtasks[name] = [];
      nSamples[name] = { original: rs.length, effective: rs.length };
    }
  } else {
    groupSubtasks[format] = [];
    nSamples[format] = { original: info.originalCount, effective: results.length };
  }
  return {
    results: out,
    group_subtasks: groupSubtasks,
    configs: {
      [format]: {
        task: format,
        dataset_path: info.taskFile,
        output_type: "multiple_choice",
        num_fewshot: 0,
        metric_list: metrics.map((m) => ({ metric: m, aggregation: "mean", higher_is_better: true })),
        metadata: {
          scorer: "slm-energy eval (continuation log-likelihood, lm-eval v0.4 prompts)",
          rejected_lines: info.rejected,
        },
      },
    },
    versions,
    "n-shot": nShot,
    higher_is_better: higher,
    "n-samples": nSamples,
    config: {
      model: "node-llama-cpp",
      model_args: `model=${info.modelPath}`,
      model_description: info.modelDescription,
      batch_size: 1,
      device: "cpu",
      limit: info.limit,
      bootstrap_iters: 0,
      gen_kwargs: null,
    },
    date: info.startedS,
    model_name: info.modelPath,
    total_evaluation_time_seconds: String(info.endedS - info.startedS),
  };
}
