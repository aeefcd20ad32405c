/**
 * What the harness needs from a language model: tokenization and the log-probability of each
 * continuation token given everything before it. `io/llama/scorer.ts` provides it with llama.cpp
 * (node-llama-cpp, CPU, offline); tests pass fakes.
 */

export interface ContinuationScore {
  /** log P(token_i | context, tokens_<i), natural log. */
  logprobs: number[];
  /** Whether each token is the model's most likely next token (lm-eval's is_greedy, per token). */
  greedy: boolean[];
}

/** One choice of an item as tokens: the context (without BOS) and the continuation to score. */
export interface ScoreRequest {
  contextTokens: readonly number[];
  continuationTokens: readonly number[];
}

export interface ScoringModel {
  /** BOS token prepended to every request, or null. */
  bos: number | null;
  /** Tokens of a text, without BOS. */
  tokenize(text: string): number[];
  /** One request on its own: the reference path. */
  scoreContinuation(
    contextTokens: readonly number[],
    continuationTokens: readonly number[],
  ): Promise<ContinuationScore>;
  /**
   * All requests of one item at once, with the numbers `scoreContinuation` gives each (to float
   * rounding), the shared part of their tokens evaluated once. Absent: one `scoreContinuation` each.
   */
  scoreRequests?(requests: readonly ScoreRequest[]): Promise<ContinuationScore[]>;
  /** How many items may be scored concurrently (their forward passes batched together); default 1. */
  parallelItems?: number;
  /** Called once before scoring with the longest request's length in tokens (BOS included). */
  prepare?(longestRequestTokens: number): Promise<void>;
  /** Tokens run through the model's forward passes so far (shared ones once). */
  evaluatedTokens?(): number;
  describe(): string;
  dispose(): Promise<void>;
}
