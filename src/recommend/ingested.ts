import { isBackend, isBenchmark } from "../domain/ids.js";
import type { RunUncertainty } from "../stats/ingested.js";
import type { Candidate } from "./types.js";

export interface IngestedCandidates {
  candidates: Candidate[];
  /** Runs left out, with why (simulated, no energy, nothing scored, not a study benchmark). */
  excluded: string[];
  /** Runs found in the processed tables. */
  runs: number;
}

/**
 * Ingested runs as measured candidates: mean latency and energy per inference with their
 * bootstrap intervals over the run's inferences, accuracy with its Wilson interval over the scored
 * ones. Simulated runs, runs without energy or without scored answers, and runs of other
 * benchmarks cannot be ranked and are listed as excluded.
 */
export function ingestedCandidates(
  runs: readonly RunUncertainty[],
  simulated: ReadonlySet<string> = new Set(),
): IngestedCandidates {
  const candidates: Candidate[] = [];
  const excluded: string[] = [];
  for (const r of runs) {
    const why = simulated.has(r.runId)
      ? "a simulated run"
      : r.benchmark === null || !isBenchmark(r.benchmark)
        ? `benchmark "${r.benchmark ?? ""}" is not one of the study's`
        : !isBackend(r.backend)
          ? `backend "${r.backend}" is not cpu or gpu`
          : r.energyPerInferenceWh === null
            ? "no inference has energy (no power log covers it)"
            : r.accuracyPct === null
              ? "no inference is scored, so its accuracy is unknown"
              : null;
    if (why !== null) {
      excluded.push(`ingested run ${r.runId}: ${why}`);
      continue;
    }
    const e = r.energyPerInferenceWh!;
    const a = r.accuracyPct!;
    candidates.push({
      source: "measured",
      device: r.device,
      backend: r.backend as Candidate["backend"],
      powerMode: r.powerMode,
      model: r.model,
      quant: r.quantization,
      benchmark: r.benchmark as Candidate["benchmark"],
      accuracyPct: a.estimate,
      accuracyLoPct: a.lo,
      accuracyHiPct: a.hi,
      accuracyBasis:
        `ingested run ${r.runId}: ${Math.round((a.estimate * r.scored) / 100)}/${r.scored} ` +
        "scored correct (Wilson 95 %)",
      energyPerInferenceWh: e.estimate,
      energyLoWh: e.lo,
      energyHiWh: e.hi,
      latencyS: r.latencyS.estimate,
      latencyLoS: r.latencyS.lo,
      latencyHiS: r.latencyS.hi,
      costBasis:
        `ingested run ${r.runId}: mean of ${r.inferencesWithEnergy} inferences with energy, ` +
        `${r.inferences} with latency (bootstrap 95 %)`,
      notes: [`ingested run ${r.runId}`],
    });
  }
  return { candidates, excluded, runs: runs.length };
}
