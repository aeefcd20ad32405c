import type { Benchmark, ModelId } from "../../domain/ids.js";
import type { BundleManifestV1 } from "../../ingest/types.js";
import type { Rng } from "../../stats/rng.js";
import type { TimedJob } from "../schedule.js";

export const RUNTIME_IDS = ["llama.cpp", "ollama", "llama-bench", "collector"] as const;
export type RuntimeId = (typeof RUNTIME_IDS)[number];

/** What the ingester will call one inference: a job, or (llama-bench) a test of several repetitions. */
export interface TruthRecord {
  index: number;
  itemId: string | null;
  label: string | null;
  startS: number;
  endS: number;
  /** Per inference (per repetition for llama-bench). */
  latencyS: number;
  prefillS: number;
  decodeS: number;
  promptTokens: number;
  genTokens: number;
  energyJ: number;
  energyNetJ: number;
  correct: boolean | null;
  repetitions: number;
  /** Uncertainty of the window edges the ingester will use (s): printed-time rounding, placement drift. */
  edgeUncertaintyS: number;
  /** Bound of the latency error from printed rounding (s). */
  latencyResolutionS: number;
}

export interface RuntimeContext {
  jobs: readonly TimedJob[];
  model: ModelId;
  quantization: string;
  benchmark: Benchmark;
  /** Accuracy (0–1) used to draw the `correct` outcomes where the log records them. */
  accuracy: number;
  rng: Rng;
  /** The constant gap between records (placed logs) (s). */
  gapS: number;
}

export interface RuntimeOutput {
  fileName: string;
  text: string;
  /** 0-based first line of each record, for damage injection. */
  recordStarts: number[];
  manifest: Partial<BundleManifestV1>;
  records: TruthRecord[];
  runtimeLabel: string;
}

export interface RuntimeSpec {
  id: RuntimeId;
  title: string;
  /** True when its log has no wall-clock times: the schedule uses constant gaps and the manifest a placement. */
  placed: boolean;
  /** Jobs per record (llama-bench: repetitions per test); 1 otherwise. */
  write(ctx: RuntimeContext): RuntimeOutput;
}

export const OLLAMA_NAMES: Record<ModelId, string> = {
  "tinyllama-1.1b": "tinyllama:1.1b",
  "llama-3.2-1b": "llama3.2:1b",
  "gemma-2-2b": "gemma2:2b",
  "phi-3-mini": "phi3:mini",
};

export const GGUF_NAMES: Record<ModelId, string> = {
  "tinyllama-1.1b": "tinyllama-1.1b-chat-v1.0",
  "llama-3.2-1b": "Llama-3.2-1B-Instruct",
  "gemma-2-2b": "gemma-2-2b-it",
  "phi-3-mini": "Phi-3-mini-4k-instruct",
};

export function recordOf(
  j: TimedJob,
  itemId: string | null,
  correct: boolean | null,
  edgeUncertaintyS: number,
  latencyResolutionS: number,
): TruthRecord {
  return {
    index: j.index,
    itemId,
    label: null,
    startS: j.startS,
    endS: j.endS,
    latencyS: j.latencyS,
    prefillS: j.prefillS,
    decodeS: j.decodeS,
    promptTokens: j.promptTokens,
    genTokens: j.genTokens,
    energyJ: j.energyJ,
    energyNetJ: j.energyNetJ,
    correct,
    repetitions: 1,
    edgeUncertaintyS,
    latencyResolutionS,
  };
}
