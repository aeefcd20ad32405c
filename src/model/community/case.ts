import type { Backend } from "../../domain/ids.js";
import { decodeBytesPerToken, decodeFlopsPerToken, prefillFlopsTotal, type ModelPhysics } from "../physics.js";

/**
 * One measurement (or one query) as the runtime-aware model sees it: where it ran, with what, and
 * the rooflines of that board's power mode. Built from a corpus row by the pipeline (catalog
 * lookups) or from a `predict` query; everything here is pure.
 */
export interface CommunityCase {
  id: string;
  /** Catalog board id. */
  board: string;
  powerMode: string;
  backend: Backend;
  /** The corpus backend as printed: cpu, cuda, metal … (runtime kernels differ per backend). */
  runtimeBackend: string;
  /** Hardware class (CPU core family or GPU architecture) and its family, from the catalog. */
  classId: string;
  classFamily: string;
  runtime: string;
  /** llama.cpp build era ("b<2000", "b2000-4999", "b≥5000") where the build number is known. */
  runtimeEra: string | null;
  /** Who published it (fit only: a new measurement always comes from a new source). */
  source: string;
  model: string;
  quant: string;
  quantFamily: string;
  /** Spec-sheet peaks of the power mode: bandwidth, FP32 and the matmul rate kernels can use. */
  peaks: { bandwidthGBps: number; fp32Gflops: number; matmulGflops: number };
  /** CPU: has ARMv8.2 SDOT/UDOT (or x86 VNNI-class) int8 dot products; null on GPUs. */
  int8Dot: boolean | null;
  physics: ModelPhysics;
  /** CPU: threads used ÷ cores online (1 when unknown or more); null on GPUs. */
  threadShare: number | null;
  /** GPU: layers offloaded ÷ the model's layers (1 when all or unknown); null on CPUs. */
  gpuLayerShare: number | null;
  promptTokens: number | null;
  prefillTokensPerS: number | null;
  genTokens: number | null;
  decodeTokensPerS: number | null;
}

/** The llama.cpp build number in a printed version ("b5058", "f40a2e5f1 (7036)"), or null. */
export function buildNumberOf(version: string | null): number | null {
  if (version === null) return null;
  const m = /^b(\d{3,5})\b/.exec(version.trim()) ?? /\((\d{3,5})\)/.exec(version);
  return m ? Number(m[1]) : null;
}

/**
 * Build eras of llama.cpp: before b2000 (2023: the first CUDA and ARM kernels), b2000–b4999
 * (2024: flash attention, repacked ARM quant kernels), b5000 on (2025). CUDA decode on the same
 * Jetson Nano differs about 2× between the first and the last.
 */
export function runtimeEraOf(runtime: string, version: string | null): string | null {
  if (runtime !== "llama.cpp") return null;
  const b = buildNumberOf(version);
  if (b === null) return null;
  return b < 2000 ? "b<2000" : b < 5000 ? "b2000-4999" : "b>=5000";
}

/** Tokens of context a decoded token sees on average (the prompt plus half the generation). */
const decodeContext = (c: Pick<CommunityCase, "promptTokens" | "genTokens">): number =>
  (c.promptTokens ?? 0) + Math.max(0, (c.genTokens ?? 128) - 1) / 2;

/** Decode rate at the bandwidth roofline: every weight byte (and the cache) read once per token. */
export function decodeRooflineTokensPerS(c: CommunityCase): number {
  return (c.peaks.bandwidthGBps * 1e9) / decodeBytesPerToken(c.physics, decodeContext(c));
}

/** Decode rate at the compute peak (a ceiling, never reached by a memory-bound decode). */
export function decodeComputeCeilingTokensPerS(c: CommunityCase): number {
  return (c.peaks.matmulGflops * 1e9) / decodeFlopsPerToken(c.physics, decodeContext(c));
}

/** Prompt tokens llama-bench and Ollama report when a row prints none (llama-bench's pp512). */
export const DEFAULT_PROMPT_TOKENS = 512;

/** Prefill rate at the compute peak of the power mode, for a prompt of `promptTokens`. */
export function prefillCeilingTokensPerS(c: CommunityCase): number {
  const n = c.promptTokens ?? DEFAULT_PROMPT_TOKENS;
  return (c.peaks.matmulGflops * 1e9 * n) / prefillFlopsTotal(c.physics, n, 0, "generate");
}

/** Weights in GB (10^9 bytes), the size covariate of the efficiency. */
export const weightGB = (c: CommunityCase): number => c.physics.weightBytes / 1e9;

/**
 * The share of a model's layers a row offloads to the GPU, from llama.cpp's `-ngl` as printed
 * ("99", "29/29", "10000" = all; "" = the runtime's default, all on the Jetsons and Macs).
 */
export function gpuLayerShareOf(printed: string | null, layers: number): number {
  if (printed === null || printed.trim() === "") return 1;
  const m = /^(\d+)(?:\s*\/\s*(\d+))?$/.exec(printed.trim());
  if (!m) return 1;
  const n = Number(m[1]);
  const of = m[2] === undefined ? layers : Number(m[2]);
  return of > 0 ? Math.min(1, n / of) : 1;
}

/** Threads used ÷ cores online, capped at 1 (1 when the row does not say). */
export const threadShareOf = (threads: number | null, coresOnline: number): number =>
  threads === null || threads <= 0 ? 1 : Math.min(1, threads / coresOnline);
