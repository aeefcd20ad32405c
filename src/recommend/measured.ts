import type { StudyObservation } from "../stats/study/observations.js";
import type { Candidate } from "./types.js";

/**
 * The study's 48 measured cells as candidates: accuracy with its Wilson interval, costs with their
 * printed rounding.
 */
export function measuredCandidates(observations: readonly StudyObservation[]): Candidate[] {
  return observations.map((o) => ({
    source: "measured",
    device: o.device,
    backend: o.backend,
    powerMode: null,
    model: o.model,
    quant: null,
    benchmark: o.benchmark,
    accuracyPct: o.accuracyPct,
    accuracyLoPct: o.accuracyCi.lo,
    accuracyHiPct: o.accuracyCi.hi,
    accuracyBasis: `measured: ${o.correct}/${o.inferences} correct (Wilson 95 %)`,
    energyPerInferenceWh: o.energyPerInferenceWh,
    energyLoWh: o.energyPerInferenceWhRange.lo,
    energyHiWh: o.energyPerInferenceWhRange.hi,
    latencyS: o.latencyS,
    latencyLoS: o.latencyRangeS.lo,
    latencyHiS: o.latencyRangeS.hi,
    costBasis: "the paper's printed values (interval: their rounding)",
    notes:
      o.discrepantPublished.length > 0
        ? [`derived cells of this run the audit flags: ${o.discrepantPublished.join("; ")} (not used here)`]
        : [],
  }));
}

/**
 * The accuracy a model reaches on a benchmark pooled over every platform it was measured on
 * (same weights, same items: the platform does not change what the model answers): total correct
 * over total inferences. For predicted candidates of the same model and quantization.
 */
export function pooledAccuracy(
  observations: readonly StudyObservation[],
  model: string,
  benchmark: string,
): { correct: number; inferences: number } | null {
  const os = observations.filter((o) => o.model === model && o.benchmark === benchmark);
  if (os.length === 0) return null;
  return { correct: os.reduce((s, o) => s + o.correct, 0), inferences: os.reduce((s, o) => s + o.inferences, 0) };
}
