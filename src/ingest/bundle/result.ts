import type { RunMetrics } from "../../metrics/aggregate.js";
import type {
  AccuracyResult,
  BundleManifestV1,
  IngestWarning,
  InferenceFormat,
  InferenceRecord,
  QuarantineEntry,
  RowWarning,
} from "../types.js";

/**
 * What the ingest stages pass on, from the loaded bundle to the processed run. The stages
 * (load bundle → place windows → integrate channels → build rows → aggregate run) are pure
 * functions of these records, except loading and the power sweep, which read files (see
 * pipeline/ingest/bundle.ts).
 */

/** Share of an inference's window the power log must cover for it to get an energy. */
export const MIN_WINDOW_COVERAGE = 0.999;

/** A raw file of a bundle, as processed tables cite it. */
export interface SourceFile {
  role: "inference" | "power" | "accuracy" | "idle";
  /** `<run id>/<path in the bundle>` */
  name: string;
  sha256: string;
  format: string | null;
  /** Power files: how the total was taken, when it is more than the board's own input rail. */
  totalRule?: string;
}

/** A file named in the manifest, resolved inside the bundle. */
export interface BundleFile {
  /** As the manifest names it. */
  rel: string;
  /** `<run id>/<path in the bundle>`, as messages and tables name it. */
  name: string;
  /** Absolute path on disk. */
  path: string;
}

/** Stage 1, load bundle: the manifest, its files (resolved, every path checked) and the inference records. */
export interface LoadedBundle {
  runId: string;
  /** The bundle folder (absolute). */
  dir: string;
  manifest: BundleManifestV1;
  /** `<run id>/manifest.json`: where run-level warnings point. */
  manifestFile: string;
  /** The manifest's path as the user gave it (for errors about its fields). */
  manifestPath: string;
  files: { inference: BundleFile[]; power: BundleFile[]; accuracy: BundleFile[]; idle: BundleFile | null };
  /** Inference records in file order, with the index of their file in `files.inference`. */
  records: { record: InferenceRecord; file: number }[];
  inferenceFormats: InferenceFormat[];
  /** sha256 by file name, of every file read so far. */
  sha256: Map<string, string>;
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/** One inference, processed: the row of `inferences.csv`. */
export interface InferenceRow {
  runId: string;
  index: number;
  itemId: string | null;
  label: string | null;
  startS: number | null;
  endS: number | null;
  /** True when start/end come from the manifest's placement, not from the log. */
  placed: boolean;
  promptTokens: number | null;
  genTokens: number | null;
  prefillS: number | null;
  decodeS: number | null;
  latencyS: number;
  energyGrossJ: number | null;
  energyNetJ: number | null;
  /**
   * Energy of the prefill and decode phases (J, per repetition like the gross energy), gross and
   * net of idle; they add up to `energyGrossJ` (`energyNetJ`). Null when the log lacks either
   * duration, or the inference has no energy.
   */
  energyPrefillJ: number | null;
  energyDecodeJ: number | null;
  energyPrefillNetJ: number | null;
  energyDecodeNetJ: number | null;
  /** Prefill energy per prompt token and decode energy per generated token (J); null without tokens. */
  jPerPromptToken: number | null;
  jPerGenToken: number | null;
  jPerPromptTokenNet: number | null;
  jPerGenTokenNet: number | null;
  meanPowerW: number | null;
  powerCoverage: number | null;
  correct: boolean | null;
  warnings: RowWarning[];
  inferenceFile: string;
  inferenceSha256: string;
  inferenceLines: [number, number];
  power: { file: string; sha256: string; lines: [number, number] }[];
}

/** One run, processed: the row of `runs.csv`, with the study's metrics gross and net of idle. */
export interface RunRow {
  runId: string;
  manifest: BundleManifestV1;
  gross: RunMetrics;
  /** Metrics with idle energy subtracted; null without an idle baseline. */
  net: RunMetrics | null;
  idlePowerW: number | null;
  promptTokens: number | null;
  genTokens: number | null;
  inferencesWithEnergy: number;
  /** From the first inference's start to the last one's end (s), and the energy over it (gaps included). */
  spanS: number | null;
  spanEnergyJ: number | null;
  /** Sums over the inferences of their phase energies (J), gross and net; null if any inference lacks one. */
  prefillEnergyJ: number | null;
  decodeEnergyJ: number | null;
  prefillEnergyNetJ: number | null;
  decodeEnergyNetJ: number | null;
  /** The run's prefill energy per prompt token and decode energy per generated token (J), gross and net. */
  jPerPromptToken: number | null;
  jPerGenToken: number | null;
  jPerPromptTokenNet: number | null;
  jPerGenTokenNet: number | null;
  /** All tokens (prompt + generated) per joule of the run's energy, gross and net. */
  tokensPerJ: number | null;
  tokensPerJNet: number | null;
  accuracyPct: number | null;
  accuracySource: string | null;
  quarantined: number;
  warnings: number;
}

export interface BundleResult {
  runId: string;
  /** The bundle folder (absolute); never written to the processed tables. */
  dir: string;
  manifest: BundleManifestV1;
  files: SourceFile[];
  inferences: InferenceRow[];
  run: RunRow;
  accuracy: AccuracyResult[];
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}
