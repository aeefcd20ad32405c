/**
 * Shared shapes of the ingestion layer. Parsers turn raw bytes into these records; the energy
 * module, run bundles, the collector and the simulator all speak them. Times are seconds (float64),
 * on the clock of the file they came from; power in watts; energy in joules unless named Wh.
 */
import type { Backend } from "../domain/ids.js";

// ---------------------------------------------------------------------------------------------
// Power
// ---------------------------------------------------------------------------------------------

export const POWER_FORMATS = [
  "tegrastats",
  "jtop-csv",
  "pmic",
  "fnirsi",
  "usb-csv",
  "nvidia-smi",
  "rapl",
  "codecarbon",
] as const;
export type PowerFormat = (typeof POWER_FORMATS)[number];

/** One power reading. `tS` is null when the log has no timestamps (the reader assigns them). */
export interface PowerSample {
  /** Seconds on the log's own clock (epoch seconds when the log has wall-clock times). */
  tS: number | null;
  /** Total input power (W): the input rail, never a sum of rails inside it. */
  powerW: number;
  /** Per-rail power (W) when the format has rails, keyed by the rail's printed name. */
  railsW?: Record<string, number>;
  /** 1-based line where this reading starts (and ends, for multi-line blocks). */
  line: number;
  lineEnd?: number;
  /**
   * Set by formats that report a mean over an interval (RAPL counters, CodeCarbon rows): `powerW`
   * is the mean power over (tS − spanS, tS], and integration treats it as constant over that span
   * instead of interpolating from the previous sample. Absent for point readings.
   */
  spanS?: number;
}

// ---------------------------------------------------------------------------------------------
// Inference
// ---------------------------------------------------------------------------------------------

export const INFERENCE_FORMATS = [
  "llama-cpp",
  "llama-bench-csv",
  "llama-bench-json",
  "llama-bench-md",
  "ollama-json",
  "ollama-verbose",
  "collector-jsonl",
] as const;
export type InferenceFormat = (typeof INFERENCE_FORMATS)[number];

export const ACCURACY_FORMATS = ["lm-eval-json"] as const;
export type AccuracyFormat = (typeof ACCURACY_FORMATS)[number];

/** One inference as read from an inference log, normalised. Unknown parts are null. */
export interface InferenceRecord {
  /** Wall-clock start and end (epoch seconds) when the log has them. */
  startS: number | null;
  endS: number | null;
  promptTokens: number | null;
  promptMs: number | null;
  genTokens: number | null;
  genMs: number | null;
  /** Whole-request time when the log states it (ms). */
  totalMs: number | null;
  /** Multiple-choice scoring outcome, when the log has it. */
  correct: boolean | null;
  line: number;
  lineEnd?: number;
  /** Position of the inference in its run, when the log states it (collector JSONL). */
  index?: number;
  /** Benchmark item id, when the log states it. */
  itemId?: string | null;
  /** What the record stands for when it is not one request: e.g. `pp512` for a llama-bench test. */
  label?: string;
  /** llama-bench: repetitions behind an averaged time, and each repetition's time (ms). */
  repetitions?: number;
  samplesMs?: number[];
  /** What the log prints beside the times, kept as printed (llama-bench, `ollama run --verbose`). */
  printed?: PrintedFacts;
}

/**
 * Figures and labels a log prints about an inference or test, exactly as printed: rates the tool
 * itself reports (never recomputed from times) and, for llama-bench, the configuration columns.
 */
export interface PrintedFacts {
  /** llama-bench `avg_ts` of a pp test; `ollama run --verbose` "prompt eval rate". */
  promptTokPerS?: number;
  /** llama-bench `avg_ts` of a tg test; `ollama run --verbose` "eval rate". */
  genTokPerS?: number;
  /** llama-bench `stddev_ts`. */
  stddevTokPerS?: number;
  /** llama-bench columns, as printed. */
  buildCommit?: string;
  buildNumber?: number;
  cpuInfo?: string;
  gpuInfo?: string;
  /** `backends` (`CPU`, `CUDA` …); for older builds, the names of the 0/1 backend columns set (`CUDA,GPU_BLAS`). */
  backends?: string;
  modelFilename?: string;
  /** e.g. `llama 1B Q4_0`: architecture, size and llama.cpp's type string. */
  modelType?: string;
  modelNParams?: number;
  threads?: number;
  gpuLayers?: number;
}

/** A row-level rejection: kept with its reason in the quarantine file, never dropped silently. */
export interface QuarantineEntry {
  file: string;
  line: number;
  /** Last line of a multi-line reading (a PMIC block), when it spans several. */
  lineEnd?: number;
  text: string;
  reason: string;
}

/** Something a reader noticed that does not reject the data but qualifies it. */
export type { IngestWarning, IngestWarningCode, ParseWarning, RowWarning, RowWarningCode } from "./warnings.js";

/** One accuracy figure from an evaluation results file. */
export interface AccuracyResult {
  task: string;
  /** Metric name; `metric,filter` when the filter is not `none` (lm-evaluation-harness keys). */
  metric: string;
  filter: string;
  value: number;
  /** Standard error, null when absent or `N/A`. */
  stderr: number | null;
  /** Items the figure was computed on (effective sample count), null when unknown. */
  n: number | null;
  /** True for a group that aggregates subtasks (e.g. `mmlu`). */
  group: boolean;
  line: number;
}

/**
 * The JSONL our own collector writes (`slm-energy collect`): one JSON object per line, one line
 * per inference. Field names are snake_case with units, so the file reads without this code.
 */
export interface CollectorRecordV1 {
  schema: "slm-energy/inference@1";
  /** 0-based index of the inference in the run. */
  index: number;
  /** Item id from the prompt file or benchmark, when there is one. */
  item_id: string | null;
  /** Wall-clock start/end of the inference, epoch seconds with sub-ms precision. */
  start_s: number;
  end_s: number;
  prompt_tokens: number;
  gen_tokens: number;
  /** Prompt evaluation (prefill) duration, ms. */
  prefill_ms: number;
  /** Token generation (decode) duration, ms. */
  decode_ms: number;
  /** Multiple-choice outcome when scored, else null. */
  correct: boolean | null;
}

// ---------------------------------------------------------------------------------------------
// Run bundles
// ---------------------------------------------------------------------------------------------

/** Where a raw file came from: sha256 and the line range a processed row was derived from. */
export interface Provenance {
  file: string;
  sha256: string;
  lineStart: number;
  lineEnd: number;
}

/**
 * `manifest.json` of a run bundle (a folder holding it and its raw files). Paths are relative to
 * the bundle folder and must stay inside it.
 */
export interface BundleManifestV1 {
  schema: "slm-energy/bundle@1";
  /** A `DeviceId` for the study's boards; any name for others. */
  device: string;
  backend: Backend;
  power_mode: string | null;
  model: string;
  quantization: string | null;
  runtime: string;
  /** A `Benchmark` id for the study's benchmarks; any name for others. */
  benchmark: string | null;
  meter: PowerFormat | null;
  /** Seconds to add to power-log times to put them on the inference log's clock. */
  clock_offset_s: number;
  /** Interval between samples for power logs without timestamps (ms). */
  power_interval_ms?: number;
  /** tegrastats / jtop: the rail that is the board's total (when it is not VDD_IN, POM_5V_IN or VIN). */
  input_rail?: string;
  /** tegrastats of a board without an input rail: the separate supplies whose sum is the total. */
  sum_rails?: string[];
  /** Power CSVs without a header: the name of each column, in order (see `PowerParserOptions.columns`). */
  power_columns?: string[];
  files: {
    power?: string[];
    inference?: string[];
    accuracy?: string[];
    /**
     * A power log of the idle machine, for the baseline (its time-weighted mean power); or a
     * window inside the power logs, in seconds on the inference log's clock.
     */
    idle?: string | { start_s: number; end_s: number };
  };
  /** Free text: who, when, how; and whether the data are measured or simulated. */
  notes?: string;
  simulated?: boolean;
  /** Optional PMIC (or any meter) linear correction: true_W = gain × read_W + offset_W. */
  power_calibration?: { gain: number; offset_w: number };
  /** Id of the run in processed tables; defaults to the bundle folder's name. */
  run_id?: string;
  /** Format of the inference files, when detection should not decide. */
  inference_format?: InferenceFormat;
  /** lm-evaluation-harness metric giving the run's accuracy (default `acc`). */
  accuracy_metric?: string;
  /**
   * For inference logs without wall-clock times (llama.cpp timing lines, llama-bench): place
   * the inferences back to back from `start_s` (inference clock, epoch s), `gap_s` apart,
   * each lasting its stated duration; a llama-bench test lasts its repetitions (from the log's
   * samples, else `repetitions`) × its mean time, and its energy is that of one repetition.
   * Without a placement such inferences get no energy.
   */
  placement?: { start_s: number; gap_s?: number; repetitions?: number };
  /** Prompt rates above this (tokens/s) get a warning (Ollama's prompt-timing bug). */
  max_prompt_tokens_per_s?: number;
  /**
   * The grid's carbon intensity recorded with the run (`measure --grid-intensity` / `--region`):
   * `ingest` gives the run CO2e columns at it unless told another intensity.
   */
  grid_intensity?: GridIntensityV1;
}

/** A grid intensity as a manifest records it (see `GridIntensity` in catalog/grid-intensity.ts). */
export interface GridIntensityV1 {
  g_co2e_per_kwh: number;
  region?: string | null;
  year?: number | null;
  source?: string;
  source_url?: string | null;
}
