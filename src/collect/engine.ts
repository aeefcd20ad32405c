/**
 * What the collector needs from an inference engine. The one it uses, llama.cpp through
 * node-llama-cpp, is `io/llama/engine.ts` (loading a model file is I/O at the edge); tests pass
 * fakes.
 *
 * One inference = clear the KV cache; prefill: evaluate every prompt token in one batch and sample
 * the first new token (`prefillMs`); decode: `genTokens` single-token forward passes, each
 * sampling the next token greedily (`decodeMs`). End-of-sequence tokens do not stop decoding,
 * so every inference does the same work (as llama-bench's `tg` test does). `genTokens` counts
 * decode forward passes, as llama.cpp's `eval time … runs` does.
 */

export interface InferenceTiming {
  /** Epoch seconds at the start and end of the inference (the collector's clock). */
  startS: number;
  endS: number;
  promptTokens: number;
  genTokens: number;
  prefillMs: number;
  decodeMs: number;
}

export interface EngineInfo {
  runtime: string;
  threads: number;
  contextSize: number;
}

export interface InferenceEngine {
  info(): EngineInfo;
  /** Tokens of a prompt as the model sees it (BOS first when the model has one). */
  tokenize(text: string): number[];
  /** Prepare a context large enough for `maxTokens` tokens per inference. */
  prepare(maxTokens: number): Promise<void>;
  infer(tokens: readonly number[], genTokens: number): Promise<InferenceTiming>;
  dispose(): Promise<void>;
}

export interface LlamaEngineOptions {
  modelPath: string;
  /** CPU threads for llama.cpp (default: node-llama-cpp's choice, the machine's math cores). */
  threads?: number;
}
