import type { Candidate, Recommendation, RecommendResult } from "../recommend/types.js";
import type { GridIntensity } from "../catalog/grid-intensity.js";
import { co2eG } from "../metrics/co2e.js";

const sig6 = (x: number): number => Number(x.toPrecision(6));

/** A candidate's CO2e per inference (g) and its interval at grid intensity `g`, under their wire names. */
function co2eJson(c: Candidate, g: GridIntensity | null): Record<string, unknown> {
  if (g === null) return {};
  const at = (energyWh: number) => sig6(co2eG(energyWh, g.intensityGCo2ePerKwh));
  return { co2e_g: at(c.energyPerInferenceWh), co2e_interval_g: [at(c.energyLoWh), at(c.energyHiWh)] };
}

/** One candidate under its wire names. */
function candidateJson(c: Candidate, g: GridIntensity | null = null): Record<string, unknown> {
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
    ...co2eJson(c, g),
    notes: c.notes,
  };
}

/**
 * The `recommend --json` document: a recommendation under its wire names. With a grid intensity,
 * each choice has `co2e_g` per inference and the document says the intensity used.
 */
export function recommendJson(r: RecommendResult, g: GridIntensity | null = null): Record<string, unknown> {
  const grid =
    g === null
      ? {}
      : {
          grid_intensity_g_per_kwh: g.intensityGCo2ePerKwh,
          grid_region: g.region,
          grid_year: g.year,
          grid_source: g.sourceUrl ?? g.source,
        };
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
      ...candidateJson(x, g),
      certainty: x.certainty,
      pareto: x.pareto,
    })),
    near_misses: r.nearMisses.map((n) => ({
      benchmark: n.benchmark,
      cheapest_reaching_accuracy: n.cheapestReachingAccuracy ? candidateJson(n.cheapestReachingAccuracy, g) : null,
      most_accurate_within_budget: n.mostAccurateWithinBudget ? candidateJson(n.mostAccurateWithinBudget, g) : null,
    })),
    ...grid,
    notes: r.notes,
  };
}
