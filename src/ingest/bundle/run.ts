import { aggregateRun, type InferenceMeasurement, type RunMetrics } from "../../metrics/aggregate.js";
import { tokensPerJ } from "../../metrics/energy.js";
import { jToWh, whToJ } from "../../metrics/units.js";
import { benchmarkAccuracyPct } from "../accuracy/lm-eval.js";
import type { AccuracyResult, IngestWarning, QuarantineEntry } from "../types.js";
import { isDetectedInputRule } from "../power/tegrastats.js";
import { runWarning } from "../warnings.js";
import type { ChannelEnergy } from "./channels.js";
import type { PlacedRun } from "./place.js";
import { perToken } from "./rows.js";
import type { BundleResult, InferenceRow, LoadedBundle, RunRow, SourceFile } from "./result.js";

/** What the power sweep tells about each power file (format and sha256) and the idle log. */
export interface PowerFiles {
  energy: ChannelEnergy | null;
  formats: (string | null)[];
  /** How each power file's total was taken, in words (null when the format has a single total). */
  totalRules?: (string | null)[];
  sha256: string[];
  idleSha256: string | null;
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/** What the accuracy files hold. */
export interface AccuracyFiles {
  results: AccuracyResult[];
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

function measurements(rows: readonly InferenceRow[], pick: (r: InferenceRow) => number | null): InferenceMeasurement[] {
  return rows.map((r) => {
    const j = pick(r);
    return {
      latencyS: r.latencyS,
      energyWh: j === null ? null : jToWh(j),
      tokens: r.promptTokens === null || r.genTokens === null ? null : r.promptTokens + r.genTokens,
      correct: r.correct,
    };
  });
}

/** Net metrics, or null (with a warning) when the idle baseline is above the run's power. */
function netMetrics(b: LoadedBundle, rows: readonly InferenceRow[], warnings: IngestWarning[]): RunMetrics | null {
  const netJ = rows.reduce((s, r) => s + (r.energyNetJ ?? 0), 0);
  if (netJ >= 0) return aggregateRun(measurements(rows, (r) => r.energyNetJ));
  const message =
    `net energy of the run is negative (${netJ.toFixed(3)} J): the idle baseline is above the run's power; ` +
    "net metrics left empty";
  warnings.push(runWarning(b.manifestFile, { code: "negative-net-energy", netEnergyJ: netJ, message }));
  return null;
}

/** The run's accuracy: from scored inferences, else from the accuracy files' figure for the benchmark. */
function runAccuracy(
  b: LoadedBundle,
  gross: RunMetrics,
  accuracy: readonly AccuracyResult[],
  warnings: IngestWarning[],
): { accuracyPct: number | null; accuracySource: string | null } {
  const m = b.manifest;
  if (gross.accuracyPct !== null || !m.benchmark || accuracy.length === 0) {
    return {
      accuracyPct: gross.accuracyPct,
      accuracySource: gross.scored > 0 ? `inferences (${gross.scored} scored)` : null,
    };
  }
  const metric = m.accuracy_metric ?? "acc";
  const a = benchmarkAccuracyPct(accuracy, m.benchmark, metric);
  if (a)
    return {
      accuracyPct: a.accuracyPct,
      accuracySource: `lm-eval ${a.task} ${a.metric}${a.n === null ? "" : ` (n=${a.n})`}`,
    };
  const message = `the accuracy files have no "${metric}" for task "${m.benchmark}": accuracy left empty`;
  warnings.push(runWarning(b.manifestFile, { code: "no-accuracy-metric", task: m.benchmark, metric, message }));
  return { accuracyPct: null, accuracySource: gross.scored > 0 ? `inferences (${gross.scored} scored)` : null };
}

type PhaseTotals = Pick<
  RunRow,
  | "prefillEnergyJ"
  | "decodeEnergyJ"
  | "prefillEnergyNetJ"
  | "decodeEnergyNetJ"
  | "jPerPromptToken"
  | "jPerGenToken"
  | "jPerPromptTokenNet"
  | "jPerGenTokenNet"
  | "tokensPerJ"
  | "tokensPerJNet"
>;

/**
 * The run's phase energies (sums over its inferences, null when any lacks one), the energy per
 * prompt and per generated token over the run, and tokens per joule of the run's energy.
 */
function phaseTotals(
  rows: readonly InferenceRow[],
  tokens: { prompt: number | null; gen: number | null },
  gross: RunMetrics,
  net: RunMetrics | null,
): PhaseTotals {
  const total = (k: "energyPrefillJ" | "energyDecodeJ" | "energyPrefillNetJ" | "energyDecodeNetJ") =>
    rows.every((r) => r[k] !== null) ? rows.reduce((s, r) => s + r[k]!, 0) : null;
  const perJ = (m: RunMetrics | null) =>
    m === null || m.tokens === null || m.energyWh === null || !(m.energyWh > 0)
      ? null
      : tokensPerJ(m.tokens, whToJ(m.energyWh));
  const prefillEnergyJ = total("energyPrefillJ");
  const decodeEnergyJ = total("energyDecodeJ");
  const prefillEnergyNetJ = total("energyPrefillNetJ");
  const decodeEnergyNetJ = total("energyDecodeNetJ");
  return {
    prefillEnergyJ,
    decodeEnergyJ,
    prefillEnergyNetJ,
    decodeEnergyNetJ,
    jPerPromptToken: perToken(prefillEnergyJ, tokens.prompt),
    jPerGenToken: perToken(decodeEnergyJ, tokens.gen),
    jPerPromptTokenNet: perToken(prefillEnergyNetJ, tokens.prompt),
    jPerGenTokenNet: perToken(decodeEnergyNetJ, tokens.gen),
    tokensPerJ: perJ(gross),
    tokensPerJNet: perJ(net),
  };
}

/** A power file's total rule, when it is more than the board's own input rail (a sum, a named rail). */
const noteworthyRule = (rule: string | null) => (rule === null || isDetectedInputRule(rule) ? {} : { totalRule: rule });

/** Every raw file of the bundle with its role, sha256 and format. */
function sourceFiles(b: LoadedBundle, power: PowerFiles): SourceFile[] {
  const { inference, accuracy, idle } = b.files;
  const m = b.manifest;
  return [
    ...inference.map((f, i) => ({
      role: "inference" as const,
      name: f.name,
      sha256: b.sha256.get(f.name)!,
      format: b.inferenceFormats[i] ?? null,
    })),
    ...b.files.power.map((f, i) => ({
      role: "power" as const,
      name: f.name,
      sha256: power.sha256[i]!,
      format: power.formats[i] ?? m.meter,
      ...noteworthyRule(power.totalRules?.[i] ?? null),
    })),
    ...accuracy.map((f) => ({
      role: "accuracy" as const,
      name: f.name,
      sha256: b.sha256.get(f.name)!,
      format: "lm-eval-json",
    })),
    ...(idle ? [{ role: "idle" as const, name: idle.name, sha256: power.idleSha256!, format: m.meter }] : []),
  ];
}

/**
 * Stage 5, aggregate run: the study's metrics over the rows, gross and net of idle, the run's
 * accuracy, and everything the stages quarantined and warned about, in stage order.
 */
export function aggregateBundleRun(
  b: LoadedBundle,
  placed: PlacedRun,
  power: PowerFiles,
  rows: InferenceRow[],
  accuracy: AccuracyFiles,
): BundleResult {
  const quarantined = [...b.quarantined, ...placed.quarantined, ...power.quarantined, ...accuracy.quarantined];
  const warnings = [...b.warnings, ...placed.warnings, ...power.warnings, ...accuracy.warnings];
  const idlePowerW = power.energy?.idlePowerW ?? null;
  const gross = aggregateRun(measurements(rows, (r) => r.energyGrossJ));
  const net = idlePowerW === null ? null : netMetrics(b, rows, warnings);
  const withEnergy = rows.filter((r) => r.energyGrossJ !== null).length;
  if (b.files.power.length > 0 && withEnergy < rows.length) {
    const missing = rows.length - withEnergy;
    const message =
      `${missing} of ${rows.length} inferences have no energy (see their warnings): ` + "run energy metrics left empty";
    warnings.push(runWarning(b.manifestFile, { code: "missing-energy", missing, inferences: rows.length, message }));
  }
  const acc = runAccuracy(b, gross, accuracy.results, warnings);
  const sumOf = (k: "promptTokens" | "genTokens") =>
    rows.every((r) => r[k] !== null) ? rows.reduce((s, r) => s + r[k]!, 0) : null;
  const span = placed.spanWindow;
  const promptTokens = sumOf("promptTokens");
  const genTokens = sumOf("genTokens");
  const run: RunRow = {
    runId: b.runId,
    manifest: b.manifest,
    gross,
    net,
    idlePowerW,
    promptTokens,
    genTokens,
    inferencesWithEnergy: withEnergy,
    spanS: span ? span.endS - span.startS : null,
    spanEnergyJ: power.energy?.spanEnergyJ ?? null,
    ...phaseTotals(rows, { prompt: promptTokens, gen: genTokens }, gross, net),
    ...acc,
    quarantined: quarantined.length,
    warnings: warnings.length + rows.reduce((s, r) => s + r.warnings.length, 0),
  };
  const files = sourceFiles(b, power);
  const result = { runId: b.runId, dir: b.dir, manifest: b.manifest, files, inferences: rows, run };
  return { ...result, accuracy: accuracy.results, quarantined, warnings };
}
