/**
 * What the harness needs from a language model: tokenization and the log-probability of each
 * continuation token given everything before it. `openLlamaScorer` provides it with llama.cpp
 * (node-llama-cpp, CPU, offline; loaded by dynamic import only when used): the sequence keeps the
 * KV cache of the previous request, so the shared context of an item's choices is evaluated once.
 */
import { SlmError } from "../errors.js";
import { logSoftmaxFromTotal } from "./scoring.js";
import { cpuLlama } from "../collect/engine.js";

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

const commonPrefix = (a: readonly number[], b: readonly number[]): number => {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
};

export async function openLlamaScorer(o: {
  modelPath: string;
  threads?: number;
  contextSize?: number;
}): Promise<ScoringModel> {
  let nlc: typeof import("node-llama-cpp");
  try {
    nlc = await import("node-llama-cpp");
  } catch (e) {
    throw new SlmError("E_ENV", `cannot load node-llama-cpp: ${(e as Error).message}`, {
      cause: e,
      hint: "run `npm ci` in the project",
    });
  }
  const llama = await cpuLlama(nlc);
  let model: import("node-llama-cpp").LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: o.modelPath });
  } catch (e) {
    throw new SlmError("E_INPUT", `llama.cpp could not load the model: ${(e as Error).message}`, {
      file: o.modelPath,
      cause: e,
      hint: "check the file with `slm-energy gguf info FILE`",
    });
  }
  const contextSize = Math.min(o.contextSize ?? 2048, model.trainContextSize);
  const context = await model.createContext({
    contextSize,
    ...(o.threads === undefined ? {} : { threads: o.threads }),
    batchSize: Math.min(512, contextSize),
  });
  const seq = context.getSequence();
  const bos = model.tokens.bos === null || model.tokens.bos === undefined ? null : (model.tokens.bos as number);
  return {
    bos,
    tokenize: (text) => model.tokenize(text) as number[],
    describe: () =>
      `node-llama-cpp (llama.cpp ${llama.llamaCppRelease?.release ?? "unknown"}), CPU, context ${contextSize}`,
    async scoreContinuation(contextTokens, continuationTokens) {
      if (continuationTokens.length === 0) throw new SlmError("E_INPUT", "the continuation tokenized to nothing");
      const input = [...(bos === null ? [] : [bos]), ...contextTokens, ...continuationTokens];
      // Left-truncate like lm-eval when the request is longer than the context window.
      const maxLen = contextSize;
      const full = input.length > maxLen + 1 ? input.slice(input.length - (maxLen + 1)) : input;
      const firstPredicting = full.length - 1 - continuationTokens.length; // position whose logits predict the first continuation token
      if (firstPredicting < 0)
        throw new SlmError(
          "E_INPUT",
          `the continuation alone (${continuationTokens.length} tokens) exceeds the context of ${contextSize}`,
        );
      const evalTokens = full.slice(0, -1) as import("node-llama-cpp").Token[]; // the last token's logits are never needed
      const keep = Math.min(commonPrefix(seq.contextTokens as number[], evalTokens), firstPredicting);
      if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
      const items: import("node-llama-cpp").ControlledEvaluateInputItem[] = [];
      for (let j = keep; j < evalTokens.length; j++) {
        if (j < firstPredicting) items.push(evalTokens[j]!);
        else {
          const target = full[j + 1]! as import("node-llama-cpp").Token;
          items.push([
            evalTokens[j]!,
            { generateNext: { logits: { filter: { tokens: [target], includeTop: 1 } }, totalLogitWeight: true } },
          ]);
        }
      }
      const out = await seq.controlledEvaluate(items);
      const logprobs: number[] = [];
      const greedy: boolean[] = [];
      for (let j = firstPredicting; j < evalTokens.length; j++) {
        const r = out[j - keep]?.next;
        const target = full[j + 1]!;
        const logits = r?.logits;
        const total = r?.totalLogitWeight;
        if (!logits || total === undefined)
          throw new SlmError("E_INTERNAL", `llama.cpp returned no logits at position ${j}`);
        const targetLogit = logits.get(target as import("node-llama-cpp").Token);
        const top = logits.entries().next().value as [number, number] | undefined;
        if (targetLogit === undefined || top === undefined)
          throw new SlmError("E_INTERNAL", `llama.cpp returned no logit for token ${target} at position ${j}`);
        logprobs.push(logSoftmaxFromTotal(targetLogit, top[1], total));
        greedy.push(top[0] === target || targetLogit >= top[1]);
      }
      return { logprobs, greedy };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
