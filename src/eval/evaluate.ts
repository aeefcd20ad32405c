/**
 * Run a multiple-choice task through a scoring model and aggregate it as lm-evaluation-harness
 * does: per item the log-likelihood of every choice, acc and acc_norm, then means with standard
 * errors, per subtask (MMLU subjects) and for the whole task.
 */
import type { Benchmark } from "../domain/ids.js";
import type { ScoringModel } from "./language-model.js";
import { encodePair, meanWithStderr, scoreItem, type ItemScore } from "./scoring.js";
import type { McItem } from "./tasks.js";

export interface ItemResult extends ItemScore {
  id: string;
  line: number;
  subtask: string | null;
  gold: number;
  /** Log-likelihood of each choice's continuation. */
  loglikelihoods: number[];
  /** Whether each choice's continuation is the greedy one. */
  isGreedy: boolean[];
  continuationTokens: number[];
}

export interface EvalMetricSummary {
  value: number;
  stderr: number | null;
}

export interface TaskSummary {
  task: string;
  n: number;
  acc: EvalMetricSummary;
  accNorm: EvalMetricSummary;
}

/** Metrics lm-eval reports per benchmark (winogrande: acc only — its one continuation makes acc_norm ≡ acc). */
export const REPORTED_METRICS: Record<Benchmark, ("acc" | "acc_norm")[]> = {
  mmlu: ["acc", "acc_norm"],
  hellaswag: ["acc", "acc_norm"],
  winogrande: ["acc"],
};

export async function evaluateItems(
  lm: ScoringModel,
  items: readonly McItem[],
  onItem?: (done: number, total: number, r: ItemResult) => void,
): Promise<ItemResult[]> {
  const out: ItemResult[] = [];
  for (const item of items) {
    const lls: number[] = [];
    const greedy: boolean[] = [];
    const lens: number[] = [];
    for (const req of item.requests) {
      const { contextTokens, continuationTokens } = encodePair(req.context, req.continuation, (t) => lm.tokenize(t));
      const s = await lm.scoreContinuation(contextTokens, continuationTokens);
      lls.push(s.logprobs.reduce((a, v) => a + v, 0));
      greedy.push(s.greedy.every(Boolean));
      lens.push(continuationTokens.length);
    }
    const r: ItemResult = {
      id: item.id,
      line: item.line,
      subtask: item.subtask,
      gold: item.gold,
      loglikelihoods: lls,
      isGreedy: greedy,
      continuationTokens: lens,
      ...scoreItem(lls, item.gold, item.choiceTexts),
    };
    out.push(r);
    onItem?.(out.length, items.length, r);
  }
  return out;
}

export function summarize(task: string, results: readonly ItemResult[]): TaskSummary {
  const acc = meanWithStderr(results.map((r) => r.acc));
  const accNorm = meanWithStderr(results.map((r) => r.accNorm));
  return {
    task,
    n: results.length,
    acc: { value: acc.mean, stderr: acc.stderr },
    accNorm: { value: accNorm.mean, stderr: accNorm.stderr },
  };
}
