import { BENCHMARKS, type Benchmark } from "../domain/ids.js";
import { paretoIndices } from "../stats/pareto.js";
import type { Candidate, Constraints, NearMiss, Recommendation, RecommendResult } from "./types.js";

const meetsLatency = (c: Candidate, k: Constraints): boolean =>
  k.maxLatencyS === undefined || c.latencyS <= k.maxLatencyS;

/** Do the point estimates meet every constraint? */
export function isFeasible(c: Candidate, k: Constraints): boolean {
  return c.energyPerInferenceWh <= k.maxEnergyWhPerInference && c.accuracyPct >= k.minAccuracyPct && meetsLatency(c, k);
}

/** Do even the unfavourable ends of the intervals meet every constraint? */
export function isSurelyFeasible(c: Candidate, k: Constraints): boolean {
  return (
    c.energyHiWh <= k.maxEnergyWhPerInference &&
    c.accuracyLoPct >= k.minAccuracyPct &&
    (k.maxLatencyS === undefined || c.latencyHiS <= k.maxLatencyS)
  );
}

/**
 * Rank the candidates that meet the constraints, per benchmark: most accurate first, then the
 * cheaper in energy, then the faster. Each is marked sure or likely (whether its intervals stay
 * inside the limits) and whether it is on the accuracy–energy Pareto frontier of the feasible set.
 * Where nothing is feasible for a benchmark, the near misses say how far the budget falls short.
 */
export function recommend(candidates: readonly Candidate[], constraints: Constraints): RecommendResult {
  const benchmarks: Benchmark[] = constraints.benchmark ? [constraints.benchmark] : [...BENCHMARKS];
  const recommendations: Recommendation[] = [];
  const nearMisses: NearMiss[] = [];
  for (const b of benchmarks) {
    const pool = candidates.filter((c) => c.benchmark === b);
    const feasible = pool.filter((c) => isFeasible(c, constraints));
    feasible.sort(
      (x, y) =>
        y.accuracyPct - x.accuracyPct ||
        x.energyPerInferenceWh - y.energyPerInferenceWh ||
        x.latencyS - y.latencyS ||
        (x.source === y.source ? 0 : x.source === "measured" ? -1 : 1),
    );
    const front = new Set(
      paretoIndices(feasible.map((c) => ({ cost: c.energyPerInferenceWh, benefit: c.accuracyPct }))),
    );
    feasible.forEach((c, i) =>
      recommendations.push({
        ...c,
        rank: i + 1,
        certainty: isSurelyFeasible(c, constraints) ? "sure" : "likely",
        pareto: front.has(i),
      }),
    );
    if (feasible.length === 0 && pool.length > 0) {
      const reach = pool.filter((c) => c.accuracyPct >= constraints.minAccuracyPct && meetsLatency(c, constraints));
      const within = pool.filter(
        (c) => c.energyPerInferenceWh <= constraints.maxEnergyWhPerInference && meetsLatency(c, constraints),
      );
      nearMisses.push({
        benchmark: b,
        cheapestReachingAccuracy: reach.length
          ? reach.reduce((a, c) => (c.energyPerInferenceWh < a.energyPerInferenceWh ? c : a))
          : null,
        mostAccurateWithinBudget: within.length
          ? within.reduce((a, c) => (c.accuracyPct > a.accuracyPct ? c : a))
          : null,
      });
    }
  }
  return {
    constraints,
    recommendations,
    considered: {
      measured: candidates.filter((c) => c.source === "measured").length,
      predicted: candidates.filter((c) => c.source === "predicted").length,
    },
    nearMisses,
    notes: [],
  };
}
