/**
 * The accuracy harness's scoring model with llama.cpp (node-llama-cpp, CPU, offline; loaded by
 * dynamic import only when used): the sequence keeps the KV cache of the previous request, so the
 * shared context of an item's choices is evaluated once.
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";
import { SlmError } from "../../errors.js";
import type { ContinuationScore, ScoringModel } from "../../eval/language-model.js";
import { logSoftmaxFromTotal } from "../../eval/scoring.js";
import { cpuLlama, loadLlamaModel, loadNodeLlamaCpp } from "./llama.js";

const commonPrefix = (a: readonly number[], b: readonly number[]): number => {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
};

/** Evaluation items from `keep` on: plain tokens before the continuation, then ones asking for the target's logit. */
function evaluationItems(
  full: readonly number[],
  evalTokens: readonly Token[],
  keep: number,
  firstPredicting: number,
): ControlledEvaluateInputItem[] {
  const items: ControlledEvaluateInputItem[] = [];
  for (let j = keep; j < evalTokens.length; j++) {
    if (j < firstPredicting) items.push(evalTokens[j]!);
    else {
      const target = full[j + 1]! as Token;
      items.push([
        evalTokens[j]!,
        { generateNext: { logits: { filter: { tokens: [target], includeTop: 1 } }, totalLogitWeight: true } },
      ]);
    }
  }
  return items;
}

async function scoreContinuation(
  seq: LlamaContextSequence,
  bos: number | null,
  contextSize: number,
  contextTokens: readonly number[],
  continuationTokens: readonly number[],
): Promise<ContinuationScore> {
  if (continuationTokens.length === 0) throw new SlmError("E_INPUT", "the continuation tokenized to nothing");
  const input = [...(bos === null ? [] : [bos]), ...contextTokens, ...continuationTokens];
  // Left-truncate like lm-eval when the request is longer than the context window.
  const full = input.length > contextSize + 1 ? input.slice(input.length - (contextSize + 1)) : input;
  // The position whose logits predict the first continuation token.
  const firstPredicting = full.length - 1 - continuationTokens.length;
  if (firstPredicting < 0)
    throw new SlmError(
      "E_INPUT",
      `the continuation alone (${continuationTokens.length} tokens) exceeds the context of ${contextSize}`,
    );
  const evalTokens = full.slice(0, -1) as Token[]; // the last token's logits are never needed
  const keep = Math.min(commonPrefix(seq.contextTokens, evalTokens), firstPredicting);
  if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  const out = await seq.controlledEvaluate(evaluationItems(full, evalTokens, keep, firstPredicting));
  const logprobs: number[] = [];
  const greedy: boolean[] = [];
  for (let j = firstPredicting; j < evalTokens.length; j++) {
    const r = out[j - keep]?.next;
    const target = full[j + 1]!;
    const logits = r?.logits;
    const total = r?.totalLogitWeight;
    if (!logits || total === undefined)
      throw new SlmError("E_INTERNAL", `llama.cpp returned no logits at position ${j}`);
    const targetLogit = logits.get(target as Token);
    const top = logits.entries().next().value as [number, number] | undefined;
    if (targetLogit === undefined || top === undefined)
      throw new SlmError("E_INTERNAL", `llama.cpp returned no logit for token ${target} at position ${j}`);
    logprobs.push(logSoftmaxFromTotal(targetLogit, top[1], total));
    greedy.push(top[0] === target || targetLogit >= top[1]);
  }
  return { logprobs, greedy };
}

/** Open a GGUF model for scoring continuations on the CPU. */
export async function openLlamaScorer(o: {
  modelPath: string;
  threads?: number;
  contextSize?: number;
}): Promise<ScoringModel> {
  const llama = await cpuLlama(await loadNodeLlamaCpp());
  const model = await loadLlamaModel(llama, o.modelPath);
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
    tokenize: (text) => model.tokenize(text),
    describe: () =>
      `node-llama-cpp (llama.cpp ${llama.llamaCppRelease?.release ?? "unknown"}), CPU, context ${contextSize}`,
    scoreContinuation: (contextTokens, continuationTokens) =>
      scoreContinuation(seq, bos, contextSize, contextTokens, continuationTokens),
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
