/**
 * Multiple-choice scoring as lm-evaluation-harness does it. Pure functions.
 *
 * - log P(continuation | context) = Σ over continuation tokens of log softmax(logits)[token],
 *   with log softmax(l)[t] = l[t] − max(l) − ln Σ exp(l − max(l)).
 * - acc: the choice of highest log-likelihood is the gold one.
 * - acc_norm: the same after dividing each log-likelihood by the length of its choice text
 *   (lm-eval's `completion_len`; UTF-8 bytes here, equal to characters for ASCII).
 * - stderr of a mean of 0/1 scores: sample standard deviation (n − 1) / √n (lm-eval's mean_stderr).
 * - Ties go to the first choice, as numpy's argmax does.
 */
import { usageError } from "../errors.js";

/** log softmax of the target from its logit, the max logit and Σ exp(logit − max). */
export function logSoftmaxFromTotal(targetLogit: number, maxLogit: number, totalLogitWeight: number): number {
  if (!(totalLogitWeight >= 1))
    throw usageError(`total logit weight must be ≥ 1 (the max term alone is 1), got ${totalLogitWeight}`);
  return targetLogit - maxLogit - Math.log(totalLogitWeight);
}

/** log softmax of every entry of a logit vector (reference implementation, for tests and fakes). */
export function logSoftmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const total = logits.reduce((a, l) => a + Math.exp(l - max), 0);
  return logits.map((l) => l - max - Math.log(total));
}

const argmax = (xs: readonly number[]): number => {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
};

export interface ItemScore {
  pred: number;
  predNorm: number;
  acc: 0 | 1;
  accNorm: 0 | 1;
}

export function scoreItem(loglikelihoods: readonly number[], gold: number, choiceTexts: readonly string[]): ItemScore {
  if (loglikelihoods.length !== choiceTexts.length || loglikelihoods.length < 2) {
    throw usageError(`scoreItem: ${loglikelihoods.length} log-likelihoods for ${choiceTexts.length} choices`);
  }
  const lens = choiceTexts.map((c) => Buffer.byteLength(c, "utf8"));
  const pred = argmax(loglikelihoods);
  // Equal lengths cannot change the order (dividing could only round two values into a tie).
  const predNorm = lens.every((l) => l === lens[0])
    ? pred
    : argmax(loglikelihoods.map((ll, i) => ll / (lens[i]! || 1)));
  return { pred, predNorm, acc: pred === gold ? 1 : 0, accNorm: predNorm === gold ? 1 : 0 };
}

/** Mean of 0/1 (or any) scores and its standard error (sample std / √n); stderr null for n < 2. */
export function meanWithStderr(xs: readonly number[]): { mean: number; stderr: number | null; n: number } {
  const n = xs.length;
  if (n === 0) throw usageError("no scores to average");
  const mean = xs.reduce((a, v) => a + v, 0) / n;
  if (n < 2) return { mean, stderr: null, n };
  const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(variance / n), n };
}

/**
 * lm-eval's `_encode_pair`: trailing spaces of the context move to the continuation; the
 * continuation's tokens are those of (context + continuation) past the context's own tokens.
 */
export function encodePair(
  context: string,
  continuation: string,
  tokenize: (text: string) => number[],
): { contextTokens: number[]; continuationTokens: number[] } {
  const trimmed = context.replace(/\s+$/, "");
  const nSpaces = context.length - trimmed.length;
  const ctx = nSpaces > 0 ? trimmed : context;
  const cont = nSpaces > 0 ? context.slice(context.length - nSpaces) + continuation : continuation;
  const whole = tokenize(ctx + cont);
  const contextTokens = tokenize(ctx);
  return { contextTokens, continuationTokens: whole.slice(contextTokens.length) };
}
