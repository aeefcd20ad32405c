import type { Backend, Benchmark, DeviceId, ModelId } from "../domain/ids.js";

/** The three numeric tables of the paper, as `paper --json` names them. */
export const PAPER_TABLES = ["consolidated", "throughput", "normalized"] as const;
export type PaperTable = (typeof PAPER_TABLES)[number];

/** Metric names of published cells (the `metric` field of `paper --json`). */
export const PAPER_METRICS = [
  "accuracy_pct",
  "energy_wh",
  "latency_s",
  "edp_js",
  "throughput",
  "per_wh",
  "power_wh_per_s",
  "wh_per_b",
  "edp_per_b",
] as const;
export type PaperMetric = (typeof PAPER_METRICS)[number];

/** Where a value sits in the source: which table, which printed row, which line of the slides. */
export interface PaperSource {
  /** CSV file under data/paper/ holding the transcription. */
  file: string;
  /** 1-based line of that CSV file. */
  csvLine: number;
  /** 1-based row of the printed table. */
  printedRow: number;
  /** 1-based line of the slide text (shared/paper/energy-footprint-slm-edges-slides.txt). */
  sourceLine: number;
}

/** One published number. `value` is the number; `printed` is the text exactly as printed. */
export interface PaperCell {
  table: PaperTable;
  device: DeviceId;
  backend: Backend;
  model: ModelId;
  /** null for per-model tables (normalized: averaged over benchmarks). */
  benchmark: Benchmark | null;
  metric: PaperMetric;
  value: number;
  printed: string;
  source: PaperSource;
}

export interface PaperHardwareRow {
  device: DeviceId;
  printedName: string;
  memoryGb: number;
  memoryFreqMhz: number;
  memoryBandwidthGbS: number;
  memoryType: string;
  cpuFreqGhz: number;
  gpuFreqMhz: number;
  cpuCores: number;
  gpuCores: number;
  diskGb: number;
  source: PaperSource;
}

export interface PaperModelRow {
  model: ModelId;
  printedName: string;
  /** The paper's nominal size in billions of parameters (used by its per-B tables). */
  sizeB: number;
  trainingTokensT: number;
  source: PaperSource;
}

/** Highlight tables and headline statements: claims derived from the tables. */
export interface PaperHighlight {
  table: "model-efficiency" | "hardware-impact" | "headline";
  label: string;
  device: DeviceId;
  backend: Backend;
  model: ModelId;
  benchmark: Benchmark | null;
  /** best / worst / max / value / ratio: how the claim picks its number. */
  aggregate: "best" | "worst" | "max" | "value" | "ratio";
  metric: PaperMetric | "speedup" | "energy_per_inference_wh";
  value: number;
  printed: string;
  printedUnit: string;
  source: PaperSource;
}

export interface PaperData {
  cells: PaperCell[];
  hardware: PaperHardwareRow[];
  models: PaperModelRow[];
  highlights: PaperHighlight[];
}
