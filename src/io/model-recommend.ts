import type { Candidate, Recommendation, RecommendResult } from "../recommend/types.js";

/** One candidate under its wire names. */
function candidateJson(c: Candidate): Record<string, unknown> {
  return {
    benchmark: c.benchmark,
    model: c.model,
    quant: c.quant,
    device: c.device,
    backend: c.backend,
    power_mode: c.powerMode,
    source: c.source,
    accuracy_pct: c.accuracyPct,
    accuracy_interval_pct: [c.accuracyLoPct, c.accuracyHiPct],
    energy_wh_per_inference: c.energyPerInferenceWh,
    energy_interval_wh: [c.energyLoWh, c.energyHiWh],
    latency_s: c.latencyS,
    latency_interval_s: [c.latencyLoS, c.latencyHiS],
    accuracy_basis: c.accuracyBasis,
    cost_basis: c.costBasis,
    notes: c.notes,
  };
}

/** The `recommend --json` document: a recommendation under its wire names. */
export function recommendJson(r: RecommendResult): Record<string, unknown> {
  return {
    constraints: {
      max_energy_wh_per_inference: r.constraints.maxEnergyWhPerInference,
      min_accuracy_pct: r.constraints.minAccuracyPct,
      max_latency_s: r.constraints.maxLatencyS ?? null,
      benchmark: r.constraints.benchmark ?? null,
    },
    considered: r.considered,
    recommendations: r.recommendations.map((x: Recommendation) => ({
      rank: x.rank,
      ...candidateJson(x),
      certainty: x.certainty,
      pareto: x.pareto,
    })),
    near_misses: r.nearMisses.map((n) => ({
      benchmark: n.benchmark,
      cheapest_reaching_accuracy: n.cheapestReachingAccuracy ? candidateJson(n.cheapestReachingAccuracy) : null,
      most_accurate_within_budget: n.mostAccurateWithinBudget ? candidateJson(n.mostAccurateWithinBudget) : null,
    })),
    notes: r.notes,
  };
}
