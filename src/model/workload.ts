import { TOKENIZER_FAMILIES, type TokenizerFamily } from "../catalog/models.js";
import type { Observation } from "./observations.js";
import type { Workload } from "./roofline.js";
import type { BenchmarkWorkload } from "../io/calibration-schema.js";
import { median } from "simple-statistics";

/** How each benchmark is run, per inference (typed from its schema, io/calibration-schema.ts). */
export type { BenchmarkWorkload } from "../io/calibration-schema.js";

/** Default physical batch of llama.cpp (n_ubatch). */
export const DEFAULT_UBATCH = 512;

export interface WorkloadSkeleton {
  benchmarks: BenchmarkWorkload[];
  /** Tokens of the llama2-32k family per large-vocab token for the same text (median over benchmarks). */
  tokenizerRatio: number;
  /** Tokenizer family of every model in the data. */
  modelFamilies: Record<string, TokenizerFamily>;
}

type Reported = Map<string, Record<TokenizerFamily, number | null>>;

/** Per benchmark and tokenizer family, the median tokens per inference the source reports (null: none). */
function reportedPromptTokens(
  obs: readonly Observation[],
  benchmarks: readonly string[],
  tokenizer: (model: string) => TokenizerFamily,
): Reported {
  const reported: Reported = new Map();
  for (const b of benchmarks) {
    const rec = {} as Record<TokenizerFamily, number | null>;
    for (const f of TOKENIZER_FAMILIES) {
      const xs = obs
        .filter(
          (o) =>
            o.benchmark === b &&
            o.promptTokens === null &&
            tokenizer(o.model) === f &&
            o.reportedTokensPerInference !== null,
        )
        .map((o) => o.reportedTokensPerInference as number);
      rec[f] = xs.length ? median(xs) : null;
    }
    reported.set(b, rec);
  }
  return reported;
}

/**
 * The workload of each benchmark that the data fixes, with placeholders for what must be fitted.
 * `tokenizer` gives each observation's model family.
 */
export function deriveWorkloads(
  obs: readonly Observation[],
  tokenizer: (model: string) => TokenizerFamily,
): WorkloadSkeleton {
  const benchmarks = [...new Set(obs.map((o) => o.benchmark))];
  const reported = reportedPromptTokens(obs, benchmarks, tokenizer);
  const ratios = [...reported.values()]
    .filter((r) => r["llama2-32k"] !== null && r["large-vocab"] !== null)
    .map((r) => (r["llama2-32k"] as number) / (r["large-vocab"] as number));
  const tokenizerRatio = ratios.length ? median(ratios) : 1;
  const out: BenchmarkWorkload[] = benchmarks.map((b) => {
    const mine = obs.filter((o) => o.benchmark === b);
    const measured = mine.filter((o) => o.promptTokens !== null);
    if (measured.length === mine.length) {
      // Every run states its tokens: nothing to derive or fit; the medians stand for the benchmark.
      const fam = (f: TokenizerFamily) =>
        measured.filter((o) => tokenizer(o.model) === f).map((o) => o.promptTokens as number);
      const s0 = fam("llama2-32k");
      const l0 = fam("large-vocab");
      const s = s0.length ? median(s0) : median(l0) * tokenizerRatio;
      const l = l0.length ? median(l0) : median(s0) / tokenizerRatio;
      const gen = median(measured.map((o) => o.genTokens ?? 0));
      return {
        benchmark: b,
        scoring: gen > 0 ? "generate" : "loglikelihood",
        promptTokens: { "llama2-32k": s, "large-vocab": l },
        promptTokensFitted: false,
        genTokensByModel: {},
        genTokensByFamily: {},
        genTokensPooled: gen,
        derivation:
          "measured: every run states its prompt and generated tokens " +
          `(medians ${s.toFixed(1)} llama2-32k / ${l.toFixed(1)} large-vocab prompt, ${gen.toFixed(1)} generated)`,
      };
    }
    const r = reported.get(b) as Record<TokenizerFamily, number | null>;
    const small = r["llama2-32k"];
    const large = r["large-vocab"];
    if (small !== null || large !== null) {
      const s = small ?? (large as number) * tokenizerRatio;
      const l = large ?? (small as number) / tokenizerRatio;
      return {
        benchmark: b,
        scoring: "loglikelihood",
        promptTokens: { "llama2-32k": s, "large-vocab": l },
        promptTokensFitted: false,
        genTokensByModel: {},
        genTokensByFamily: {},
        genTokensPooled: 0,
        derivation:
          "log-likelihood scoring: one prefill of context and choices with logits at every position, " +
          "nothing generated; prompt tokens = median over platforms of the reported tokens/s × latency " +
          `per tokenizer family (${s.toFixed(1)} llama2-32k, ${l.toFixed(1)} large-vocab)`,
      };
    }
    return {
      benchmark: b,
      scoring: "generate",
      promptTokens: { "llama2-32k": NaN, "large-vocab": NaN },
      promptTokensFitted: true,
      genTokensByModel: {},
      genTokensByFamily: {},
      genTokensPooled: 0,
      derivation:
        "generation: the data report no token counts, so prompt tokens " +
        `(large-vocab; llama2-32k = ×${tokenizerRatio.toFixed(3)}, the tokenizer ratio of the other benchmarks) ` +
        "and each model's generated tokens are fitted",
    };
  });
  const modelFamilies: Record<string, TokenizerFamily> = {};
  for (const o of obs) modelFamilies[o.model] = tokenizer(o.model);
  return { benchmarks: out, tokenizerRatio, modelFamilies };
}

/** The workload of one cell: measured tokens when the run states them, else the benchmark's. */
export function cellWorkload(
  bw: BenchmarkWorkload,
  family: TokenizerFamily,
  model: string,
  measured: { promptTokens: number | null; genTokens: number | null } = { promptTokens: null, genTokens: null },
): Workload {
  const gen = measured.genTokens ?? bw.genTokensByModel[model] ?? bw.genTokensByFamily[family] ?? bw.genTokensPooled;
  return {
    promptTokens: measured.promptTokens ?? bw.promptTokens[family],
    genTokens: Number.isFinite(gen) ? gen : 0,
    contextTokens: 0,
    scoring: measured.genTokens !== null && measured.genTokens > 0 ? "generate" : bw.scoring,
    ubatch: DEFAULT_UBATCH,
  };
}
