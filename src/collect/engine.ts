/**
 * The inference engine behind the collector: llama.cpp through node-llama-cpp, CPU only, offline.
 * node-llama-cpp is ESM with top-level await: it is loaded only here, by dynamic `import()`, when
 * a run starts — importing `slm-energy` never loads it.
 *
 * One inference = clear the KV cache; prefill: evaluate every prompt token in one batch and sample
 * the first new token (`prefillMs`); decode: `genTokens` single-token forward passes, each
 * sampling the next token greedily (`decodeMs`). End-of-sequence tokens do not stop decoding,
 * so every inference does the same work (as llama-bench's `tg` test does). `genTokens` counts
 * decode forward passes, as llama.cpp's `eval time … runs` does.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { SlmError } from "../errors.js";
import { nowEpochS } from "./clock.js";

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

function nodeLlamaCppVersion(): string {
  try {
    // The package's `exports` hide package.json: find it above the resolved entry point.
    let dir = dirname(createRequire(import.meta.url).resolve("node-llama-cpp"));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "node-llama-cpp") return pkg.version ?? "unknown";
    }
  } catch {
    // fall through
  }
  return "unknown";
}

let llamaInstance: Promise<import("node-llama-cpp").Llama> | null = null;

/**
 * The process's one CPU llama.cpp binding. node-llama-cpp registers exit hooks per instance, so a
 * sweep opening many models shares one instead of creating one per model.
 */
export function cpuLlama(nlc: typeof import("node-llama-cpp")): Promise<import("node-llama-cpp").Llama> {
  llamaInstance ??= nlc.getLlama({
    gpu: false,
    build: "never",
    logLevel: nlc.LlamaLogLevel.error,
    progressLogs: false,
  });
  return llamaInstance;
}

/** Load a GGUF model with node-llama-cpp on the CPU. */
export async function openLlamaEngine(options: LlamaEngineOptions): Promise<InferenceEngine> {
  let nlc: typeof import("node-llama-cpp");
  try {
    nlc = await import("node-llama-cpp");
  } catch (e) {
    throw new SlmError("E_ENV", `cannot load node-llama-cpp: ${(e as Error).message}`, {
      cause: e,
      hint: "run `npm ci` in the project (scripts/setup.sh does it)",
    });
  }
  const llama = await cpuLlama(nlc);
  let model: import("node-llama-cpp").LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath });
  } catch (e) {
    throw new SlmError("E_INPUT", `llama.cpp could not load the model: ${(e as Error).message}`, {
      file: options.modelPath,
      cause: e,
      hint: "check that the file is a complete GGUF model of an architecture llama.cpp supports (`slm-energy gguf info FILE`)",
    });
  }
  const release = llama.llamaCppRelease?.release ?? "unknown";
  let context: import("node-llama-cpp").LlamaContext | null = null;
  let sequence: import("node-llama-cpp").LlamaContextSequence | null = null;
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
      return bos !== null && bos !== undefined ? [bos as number, ...toks] : [...toks];
    },
    async prepare(maxTokens) {
      if (context && context.contextSize >= maxTokens) return;
      await context?.dispose();
      const contextSize = Math.max(64, Math.ceil(maxTokens / 64) * 64);
      if (contextSize > model.trainContextSize) {
        throw new SlmError(
          "E_INPUT",
          `a prompt plus the generated tokens needs ${maxTokens} tokens, beyond the model's context of ${model.trainContextSize}`,
          {
            file: options.modelPath,
            hint: "use shorter prompts or fewer --gen-tokens",
          },
        );
      }
      context = await model.createContext({ contextSize, threads, batchSize: contextSize });
      sequence = context.getSequence();
    },
    async infer(tokens, genTokens) {
      if (!sequence) throw new SlmError("E_INTERNAL", "engine.prepare() must run before infer()");
      if (tokens.length === 0) throw new SlmError("E_INPUT", "a prompt tokenized to nothing");
      const seq = sequence;
      await seq.clearHistory();
      const startS = nowEpochS();
      const t0 = performance.now();
      const input = tokens as import("node-llama-cpp").Token[];
      const last = input[input.length - 1]!;
      const out = await seq.controlledEvaluate([...input.slice(0, -1), [last, { generateNext: { token: true } }]]);
      const first = out[out.length - 1]?.next?.token;
      const t1 = performance.now();
      if (first === undefined || first === null)
        throw new SlmError("E_INTERNAL", "llama.cpp returned no token after the prompt");
      let n = 0;
      if (genTokens > 0) {
        for await (const _ of seq.evaluate([first], { temperature: 0 })) {
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
    },
    async dispose() {
      await context?.dispose();
      await model.dispose();
    },
  };
}
