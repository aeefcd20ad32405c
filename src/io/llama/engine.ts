/**
 * The collector's inference engine: llama.cpp through node-llama-cpp, CPU only, offline (see
 * `collect/engine.ts` for what one inference is).
 */
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { nowEpochS } from "../../collect/clock.js";
import type { InferenceEngine, InferenceTiming, LlamaEngineOptions } from "../../collect/engine.js";
import { SlmError } from "../../errors.js";
import { cpuLlama, loadLlamaModel, loadNodeLlamaCpp, nodeLlamaCppVersion } from "./llama.js";

/** A context of at least `maxTokens` tokens (in steps of 64), or an input error past the model's own. */
async function createContext(
  model: LlamaModel,
  maxTokens: number,
  threads: number,
  modelPath: string,
): Promise<LlamaContext> {
  const contextSize = Math.max(64, Math.ceil(maxTokens / 64) * 64);
  if (contextSize > model.trainContextSize) {
    throw new SlmError(
      "E_INPUT",
      `a prompt plus the generated tokens needs ${maxTokens} tokens, ` +
        `beyond the model's context of ${model.trainContextSize}`,
      { file: modelPath, hint: "use shorter prompts or fewer generated tokens per inference" },
    );
  }
  return model.createContext({ contextSize, threads, batchSize: contextSize });
}

/** One timed inference: prefill the prompt and sample a token, then `genTokens` greedy decode steps. */
async function timedInference(
  seq: LlamaContextSequence,
  tokens: readonly number[],
  genTokens: number,
): Promise<InferenceTiming> {
  if (tokens.length === 0) throw new SlmError("E_INPUT", "a prompt tokenized to nothing");
  await seq.clearHistory();
  const startS = nowEpochS();
  const t0 = performance.now();
  const input = tokens as Token[];
  const last = input[input.length - 1]!;
  const out = await seq.controlledEvaluate([...input.slice(0, -1), [last, { generateNext: { token: true } }]]);
  const first = out[out.length - 1]?.next?.token;
  const t1 = performance.now();
  if (first === undefined || first === null)
    throw new SlmError("E_INTERNAL", "llama.cpp returned no token after the prompt");
  let n = 0;
  if (genTokens > 0) {
    for await (const token of seq.evaluate([first], { temperature: 0 })) {
      void token; // only the count matters: every step is one decode forward pass
      if (++n >= genTokens) break;
    }
  }
  const t2 = performance.now();
  return {
    startS,
    endS: startS + (t2 - t0) / 1000,
    promptTokens: tokens.length,
    genTokens: n,
    prefillMs: t1 - t0,
    decodeMs: t2 - t1,
  };
}

/** Load a GGUF model with node-llama-cpp on the CPU. */
export async function openLlamaEngine(options: LlamaEngineOptions): Promise<InferenceEngine> {
  const llama = await cpuLlama(await loadNodeLlamaCpp());
  const model = await loadLlamaModel(llama, options.modelPath);
  const release = llama.llamaCppRelease?.release ?? "unknown";
  let context: LlamaContext | null = null;
  let sequence: LlamaContextSequence | null = null;
  const threads = options.threads ?? llama.cpuMathCores;
  const bos = model.tokens.bos;
  return {
    info: () => ({
      runtime: `node-llama-cpp ${nodeLlamaCppVersion()} (llama.cpp ${release}, ${llama.buildType}), CPU`,
      threads,
      contextSize: context?.contextSize ?? 0,
    }),
    tokenize(text) {
      const toks = model.tokenize(text) as number[];
      return bos !== null && bos !== undefined ? [bos, ...toks] : [...toks];
    },
    async prepare(maxTokens) {
      if (context && context.contextSize >= maxTokens) return;
      await context?.dispose();
      context = await createContext(model, maxTokens, threads, options.modelPath);
      sequence = context.getSequence();
    },
    async infer(tokens, genTokens) {
      if (!sequence) throw new SlmError("E_INTERNAL", "engine.prepare() must run before infer()");
      return await timedInference(sequence, tokens, genTokens);
    },
    async dispose() {
      await context?.dispose();
      await model.dispose();
    },
  };
}
