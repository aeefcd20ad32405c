/**
 * The accuracy harness's scoring model with llama.cpp (node-llama-cpp, CPU, offline; loaded by
 * dynamic import only when used).
 *
 * An item's choices share their context: `scoreRequests` evaluates the tokens all its requests
 * have in common once (one prefill, whose last positions give every choice's first continuation
 * token), then each request's own tail from that state, rolling the sequence back to the shared
 * prefix (`eraseContextTokenRanges`) between them. MMLU's one-token continuations thus cost a
 * single prefill per item; Winogrande shares the sentence up to the blank, and each option plus
 * the common rest of the sentence is evaluated after it. The next item keeps whatever prefix it
 * shares with the last (MMLU's subject header). Several items run at once, one context sequence
 * each, and node-llama-cpp batches their tokens into the same forward passes.
 *
 * Per scored position llama.cpp returns only the target's logit, the greedy token's (the maximum)
 * and Σ exp(logit − max): no sort of the vocabulary.
 */
import type {
  ControlledEvaluateInputItem,
  ControlledEvaluateIndexOutput,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { SlmError } from "../../errors.js";
import type { ContinuationScore, ScoreRequest, ScoringModel } from "../../eval/language-model.js";
import { logSoftmaxFromTotal } from "../../eval/scoring.js";
import { cpuLlama, loadLlamaModel, loadNodeLlamaCpp } from "./llama.js";

const commonPrefix = (a: readonly number[], b: readonly number[]): number => {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
};

/** One request as the sequence sees it: BOS + context + continuation, left-truncated to the window. */
interface Plan {
  full: readonly number[];
  /** Tokens to evaluate: all but the last, whose logits are never needed. */
  evalTokens: readonly number[];
  /** The position whose logits predict the first continuation token. */
  first: number;
}

function plan(bos: number | null, windowTokens: number, r: ScoreRequest): Plan {
  const n = r.continuationTokens.length;
  if (n === 0) throw new SlmError("E_INPUT", "the continuation tokenized to nothing");
  const input = [...(bos === null ? [] : [bos]), ...r.contextTokens, ...r.continuationTokens];
  // Left-truncate like lm-eval when the request is longer than the context window.
  const full = input.length > windowTokens + 1 ? input.slice(input.length - (windowTokens + 1)) : input;
  const first = full.length - 1 - n;
  if (first < 0)
    throw new SlmError("E_INPUT", `the continuation alone (${n} tokens) exceeds the context of ${windowTokens}`);
  return { full, evalTokens: full.slice(0, -1), first };
}

type PositionOutput = ControlledEvaluateIndexOutput | undefined;

/**
 * Evaluate `tokens` at positions `start…` of the sequence, asking at position j for the logits of
 * `targets(j)` (none: a plain token). Returns each position's output by absolute position.
 */
async function evaluateFrom(
  seq: LlamaContextSequence,
  tokens: readonly number[],
  start: number,
  targets: (j: number) => number[],
): Promise<Map<number, PositionOutput>> {
  const items: ControlledEvaluateInputItem[] = [];
  for (let j = start; j < tokens.length; j++) {
    const t = targets(j);
    if (t.length === 0) items.push(tokens[j]! as Token);
    else {
      const filter = { tokens: t as Token[], includeSelected: true };
      items.push([tokens[j]! as Token, { generateNext: { logits: { filter }, totalLogitWeight: true } }]);
    }
  }
  const byPosition = new Map<number, PositionOutput>();
  if (items.length === 0) return byPosition;
  const out = await seq.controlledEvaluate(items);
  for (let k = 0; k < items.length; k++) if (out[k] !== undefined) byPosition.set(start + k, out[k]);
  return byPosition;
}

/** Erase the sequence's tokens from `keep` on (a no-op when it holds no more). */
async function rollBack(seq: LlamaContextSequence, keep: number): Promise<void> {
  if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
}

/** log P(target) and is-greedy from one position's filtered logits (target and greedy token). */
function tokenScore(o: PositionOutput, target: number, j: number): { logprob: number; greedy: boolean } {
  const logits = o?.next?.logits;
  const total = o?.next?.totalLogitWeight;
  if (!logits || total === undefined) throw new SlmError("E_INTERNAL", `llama.cpp returned no logits at position ${j}`);
  const targetLogit = logits.get(target as Token);
  // Sorted by logit, highest first; the greedy token is the maximum of the whole vocabulary.
  const top = logits.entries().next().value as [number, number] | undefined;
  if (targetLogit === undefined || top === undefined)
    throw new SlmError("E_INTERNAL", `llama.cpp returned no logit for token ${target} at position ${j}`);
  return {
    logprob: logSoftmaxFromTotal(targetLogit, top[1], total),
    greedy: top[0] === target || targetLogit >= top[1],
  };
}

function continuationScore(p: Plan, outputAt: (j: number) => PositionOutput): ContinuationScore {
  const logprobs: number[] = [];
  const greedy: boolean[] = [];
  for (let j = p.first; j < p.evalTokens.length; j++) {
    const s = tokenScore(outputAt(j), p.full[j + 1]!, j);
    logprobs.push(s.logprob);
    greedy.push(s.greedy);
  }
  return { logprobs, greedy };
}

/** Score an item's requests on one sequence: their shared prefix once, then each request's own tail. */
async function scoreOnSequence(
  seq: LlamaContextSequence,
  plans: readonly Plan[],
  count: (tokens: number) => void,
): Promise<ContinuationScore[]> {
  const head = plans[0]!.evalTokens;
  const shared = Math.min(...plans.map((p) => commonPrefix(head, p.evalTokens)));
  // Cached positions are reused only where no logits are needed from them.
  const firstNeeded = Math.min(shared, ...plans.map((p) => p.first));
  const keep = Math.min(commonPrefix(seq.contextTokens, head.slice(0, shared)), firstNeeded);
  await rollBack(seq, keep);
  const sharedTargets = (j: number): number[] => [
    ...new Set(plans.filter((p) => p.first <= j).map((p) => p.full[j + 1]!)),
  ];
  const prefix = await evaluateFrom(seq, head.slice(0, shared), keep, sharedTargets);
  count(shared - keep);
  const scores: ContinuationScore[] = [];
  for (const p of plans) {
    await rollBack(seq, shared);
    const tail = await evaluateFrom(seq, p.evalTokens, shared, (j) => (j >= p.first ? [p.full[j + 1]!] : []));
    count(p.evalTokens.length - shared);
    scores.push(continuationScore(p, (j) => (j < shared ? prefix.get(j) : tail.get(j))));
  }
  return scores;
}

/** Free sequences of one context, handed to one item at a time. */
class SequencePool {
  private readonly free: LlamaContextSequence[];
  constructor(readonly context: LlamaContext) {
    this.free = Array.from({ length: context.totalSequences }, () => context.getSequence());
  }
  async use<T>(f: (seq: LlamaContextSequence) => Promise<T>): Promise<T> {
    const seq = this.free.pop();
    if (!seq) throw new SlmError("E_INTERNAL", "more concurrent scoring calls than context sequences");
    try {
      return await f(seq);
    } finally {
      this.free.push(seq);
    }
  }
}

const CELLS_STEP = 64;

/** The context, created on first use: `sequences` sequences of the cells the longest request needs. */
function lazyPool(model: LlamaModel, windowTokens: number, sequences: number, threads: number | undefined) {
  let pool: Promise<SequencePool> | null = null;
  let cells = windowTokens;
  return {
    size(longestRequestTokens: number): void {
      if (pool === null) cells = Math.min(windowTokens, Math.ceil(longestRequestTokens / CELLS_STEP) * CELLS_STEP);
    },
    get(): Promise<SequencePool> {
      pool ??= model
        .createContext({
          contextSize: Math.max(CELLS_STEP, cells),
          sequences,
          batchSize: Math.min(512, windowTokens),
          flashAttention: false,
          ...(threads === undefined ? {} : { threads }),
        })
        .then((c) => new SequencePool(c));
      return pool;
    },
    async dispose(): Promise<void> {
      if (pool) await (await pool).context.dispose();
    },
  };
}

/**
 * Open a GGUF model for scoring continuations on the CPU: a context window of `contextSize`
 * tokens (default 2048, at most the model's), `parallelItems` items at once (default 8), `threads`
 * llama.cpp threads (default: the CPU's math cores, as `collect`).
 */
export async function openLlamaScorer(o: {
  modelPath: string;
  threads?: number;
  contextSize?: number;
  parallelItems?: number;
}): Promise<ScoringModel> {
  const llama = await cpuLlama(await loadNodeLlamaCpp());
  const model = await loadLlamaModel(llama, o.modelPath);
  const windowTokens = Math.min(o.contextSize ?? 2048, model.trainContextSize);
  const parallelItems = Math.max(1, o.parallelItems ?? 8);
  const threads = o.threads ?? llama.cpuMathCores;
  const pool = lazyPool(model, windowTokens, parallelItems, threads);
  const bos = model.tokens.bos === null || model.tokens.bos === undefined ? null : (model.tokens.bos as number);
  let evaluated = 0;
  const score = async (reqs: readonly ScoreRequest[]): Promise<ContinuationScore[]> => {
    const plans = reqs.map((r) => plan(bos, windowTokens, r));
    return await (await pool.get()).use((seq) => scoreOnSequence(seq, plans, (n) => (evaluated += n)));
  };
  return {
    bos,
    parallelItems,
    tokenize: (text) => model.tokenize(text),
    describe: () =>
      `node-llama-cpp (llama.cpp ${llama.llamaCppRelease?.release ?? "unknown"}), CPU, context ${windowTokens}`,
    evaluatedTokens: () => evaluated,
    prepare: (longestRequestTokens) => Promise.resolve(pool.size(longestRequestTokens)),
    scoreRequests: score,
    scoreContinuation: async (contextTokens, continuationTokens) =>
      (await score([{ contextTokens, continuationTokens }]))[0]!,
    async dispose() {
      await pool.dispose();
      await model.dispose();
    },
  };
}
