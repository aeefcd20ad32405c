/**
 * Run a multiple-choice task through a scoring model and aggregate it as lm-evaluation-harness
 * does: per item the log-likelihood of every choice, acc and acc_norm, then means with standard
 * errors, per subtask (MMLU subjects) and for the whole task. Items are scored up to
 * `lm.parallelItems` at a time; results keep the items' order whatever order they finish in.
 */
import type { Benchmark } from "../domain/ids.js";
import type { ContinuationScore, ScoreRequest, ScoringModel } from "./language-model.js";
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

async function scoreRequests(lm: ScoringModel, reqs: readonly ScoreRequest[]): Promise<ContinuationScore[]> {
  if (lm.scoreRequests) return await lm.scoreRequests(reqs);
  const out: ContinuationScore[] = [];
  for (const r of reqs) out.push(await lm.scoreContinuation(r.contextTokens, r.continuationTokens));
  return out;
}

function itemResult(item: McItem, reqs: readonly ScoreRequest[], scores: readonly ContinuationScore[]): ItemResult {
  const lls = scores.map((s) => s.logprobs.reduce((a, v) => a + v, 0));
  return {
    id: item.id,
    line: item.line,
    subtask: item.subtask,
    gold: item.gold,
    loglikelihoods: lls,
    isGreedy: scores.map((s) => s.greedy.every(Boolean)),
    continuationTokens: reqs.map((r) => r.continuationTokens.length),
    ...scoreItem(lls, item.gold, item.choiceTexts),
  };
}

/** Tokens of every item's requests (lm-eval's context/continuation split) and the longest request. */
export function encodeItems(
  lm: Pick<ScoringModel, "tokenize" | "bos">,
  items: readonly McItem[],
): { requests: ScoreRequest[][]; longestTokens: number } {
  let longestTokens = 0;
  const requests = items.map((item) =>
    item.requests.map((req) => {
      const pair = encodePair(req.context, req.continuation, (t) => lm.tokenize(t));
      const n = (lm.bos === null ? 0 : 1) + pair.contextTokens.length + pair.continuationTokens.length;
      longestTokens = Math.max(longestTokens, n);
      return pair;
    }),
  );
  return { requests, longestTokens };
}

export async function evaluateItems(
  lm: ScoringModel,
  items: readonly McItem[],
  onItem?: (done: number, total: number, r: ItemResult) => void,
): Promise<ItemResult[]> {
  const { requests, longestTokens } = encodeItems(lm, items);
  if (items.length > 0) await lm.prepare?.(longestTokens);
  const out: ItemResult[] = new Array<ItemResult>(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = itemResult(items[i]!, requests[i]!, await scoreRequests(lm, requests[i]!));
      } catch (e) {
        failed = true; // the other workers stop at their next item
        throw e;
      }
      onItem?.(++done, items.length, out[i]);
    }
  };
  const workers = Math.max(1, Math.min(lm.parallelItems ?? 1, items.length));
  // Every worker settles before an error surfaces, so the caller may dispose the model at once.
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejected) throw rejected.reason;
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
