import { inputError } from "../errors.js";
import { accuracyPct } from "./accuracy.js";
import { edpJs } from "./edp.js";
import { averagePowerW, energyPerInferenceWh, perWh, powerWhPerS } from "./energy.js";
import { latencyS, throughputPerS } from "./time.js";
import { whToJ } from "./units.js";

/** What one inference contributes to a run's metrics. Missing parts are null, never guessed. */
export interface InferenceMeasurement {
  latencyS: number;
  /** Energy of this inference (Wh), gross or net as the caller decides; null when unmeasured. */
  energyWh: number | null;
  /** Tokens this inference processed (prompt + generated), null when unknown. */
  tokens: number | null;
  /** Whether the answer was right, null when not scored. */
  correct: boolean | null;
}

/** The study's per-benchmark metrics, computed from per-inference records. */
export interface RunMetrics {
  inferences: number;
  totalTimeS: number;
  latencyS: number;
  /** Total energy of the run (Wh); null if any inference lacks energy. */
  energyWh: number | null;
  energyPerInferenceWh: number | null;
  /** Paper convention: total energy (J) × total time (s). */
  edpJs: number | null;
  /** Per-inference convention: mean energy per inference (J) × mean latency (s). */
  edpPerInferenceJs: number | null;
  inferencesPerS: number;
  tokens: number | null;
  tokensPerS: number | null;
  tokensPerWh: number | null;
  inferencesPerWh: number | null;
  powerW: number | null;
  /** The paper's "Energy/Sec" column (Wh/s). */
  powerWhPerS: number | null;
  accuracyPct: number | null;
  scored: number;
}

/**
 * Aggregate per-inference records into run metrics with the same definitions the paper's
 * aggregates use. Missing-data policy: a metric that needs a field is null when any record lacks
 * it (never computed from a subset); accuracy uses the scored records only and says how many.
 */
export function aggregateRun(records: readonly InferenceMeasurement[]): RunMetrics {
  if (records.length === 0) throw inputError("cannot aggregate a run with no inferences");
  const n = records.length;
  let total = 0;
  for (const r of records) total += r.latencyS;
  const allEnergy = records.every((r) => r.energyWh !== null);
  const allTokens = records.every((r) => r.tokens !== null);
  let energyWh: number | null = null;
  if (allEnergy) {
    energyWh = 0;
    for (const r of records) energyWh += r.energyWh as number;
  }
  let tokens: number | null = null;
  if (allTokens) {
    tokens = 0;
    for (const r of records) tokens += r.tokens as number;
  }
  const scoredRecords = records.filter((r) => r.correct !== null);
  const correct = scoredRecords.filter((r) => r.correct === true).length;
  const lat = latencyS(total, n);
  const hasTime = total > 0;
  return {
    inferences: n,
    totalTimeS: total,
    latencyS: lat,
    energyWh,
    energyPerInferenceWh: energyWh === null ? null : energyPerInferenceWh(energyWh, n),
    edpJs: energyWh === null ? null : edpJs(whToJ(energyWh), total),
    edpPerInferenceJs: energyWh === null ? null : edpJs(whToJ(energyWh / n), lat),
    inferencesPerS: hasTime ? throughputPerS(n, total) : Number.NaN,
    tokens,
    tokensPerS: tokens === null || !hasTime ? null : throughputPerS(tokens, total),
    tokensPerWh: tokens === null || energyWh === null || energyWh <= 0 ? null : perWh(tokens, energyWh),
    inferencesPerWh: energyWh === null || energyWh <= 0 ? null : perWh(n, energyWh),
    powerW: energyWh === null || !hasTime ? null : averagePowerW(whToJ(energyWh), total),
    powerWhPerS: energyWh === null || !hasTime ? null : powerWhPerS(energyWh, total),
    accuracyPct: scoredRecords.length === 0 ? null : accuracyPct(correct, scoredRecords.length),
    scored: scoredRecords.length,
  };
}
