import type { Backend, Benchmark } from "../domain/ids.js";

/** Where a candidate's numbers come from. */
export type CandidateSource = "measured" | "predicted";

/** A (model, platform) choice for one benchmark, with its accuracy, energy and latency and their uncertainty. */
export interface Candidate {
  source: CandidateSource;
  device: string;
  backend: Backend;
  /** Power mode; null where the paper does not say (its runs). */
  powerMode: string | null;
  model: string;
  /** GGUF quantization; null where the paper does not say. */
  quant: string | null;
  benchmark: Benchmark;
  accuracyPct: number;
  accuracyLoPct: number;
  accuracyHiPct: number;
  /** How the accuracy is known, e.g. "measured: 394/1000 correct". */
  accuracyBasis: string;
  energyPerInferenceWh: number;
  energyLoWh: number;
  energyHiWh: number;
  latencyS: number;
  latencyLoS: number;
  latencyHiS: number;
  /** How the cost intervals are known, e.g. "printed rounding" or "90 % prediction interval". */
  costBasis: string;
  notes: string[];
}

/** The user's budget and floor. */
export interface Constraints {
  maxEnergyWhPerInference: number;
  /** Percent, 0–100. */
  minAccuracyPct: number;
  maxLatencyS?: number;
  /** Only this benchmark; all benchmarks when absent. */
  benchmark?: Benchmark;
}

/** A feasible candidate, ranked. */
export interface Recommendation extends Candidate {
  /** 1 = best within its benchmark. */
  rank: number;
  /** "sure": every bound satisfies the constraints; "likely": the point estimates do, an interval crosses a limit. */
  certainty: "sure" | "likely";
  /** Not beaten on both accuracy and energy by another feasible candidate of the same benchmark. */
  pareto: boolean;
}

/** When nothing is feasible for a benchmark: how close the candidates come. */
export interface NearMiss {
  benchmark: Benchmark;
  /** The cheapest candidate reaching the accuracy floor (and latency limit), if any. */
  cheapestReachingAccuracy: Candidate | null;
  /** The most accurate candidate within the energy budget (and latency limit), if any. */
  mostAccurateWithinBudget: Candidate | null;
}

export interface RecommendResult {
  constraints: Constraints;
  recommendations: Recommendation[];
  /** Candidates considered, by source. */
  considered: { measured: number; predicted: number };
  nearMisses: NearMiss[];
  notes: string[];
}
