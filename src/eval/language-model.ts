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

export interface ScoringModel {
  /** BOS token prepended to every request, or null. */
  bos: number | null;
  /** Tokens of a text, without BOS. */
  tokenize(text: string): number[];
  scoreContinuation(
    contextTokens: readonly number[],
    continuationTokens: readonly number[],
  ): Promise<ContinuationScore>;
  describe(): string;
  dispose(): Promise<void>;
}
