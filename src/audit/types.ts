import type { Backend, Benchmark, DeviceId, ModelId } from "../domain/ids.js";
import type { InferenceCountEvidence } from "../paper/inferences.js";
import type { Verdict } from "./classify.js";
import type { TokenEstimate } from "./tokens.js";

/** One audited published cell (the `cells[]` of `audit --json`). */
export interface AuditCell {
  table: string;
  device: DeviceId;
  backend: Backend;
  model: ModelId;
  benchmark: Benchmark | null;
  metric: string;
  /** The published value, and the text exactly as printed. */
  published: number;
  printed: string;
  /** Midpoint of the recomputed interval, and the interval the printed primaries allow. */
  recomputed: number;
  recomputed_low: number;
  recomputed_high: number;
  /** published / recomputed. */
  ratio: number;
  verdict: Verdict;
  explanation: string;
  /** The relation used, in words. */
  formula: string;
  /** Where the published cell is: transcription file and line, and the slide text's line. */
  source: { file: string; csv_line: number; printed_row: number; source_line: number };
}

export interface EdpPerBFormulaResult {
  id: string;
  description: string;
  /** How many of the 16 EDP/B cells it reproduces within rounding. */
  reproduces: number;
  cells: number;
  /** published / recomputed over the cells: min and max. */
  ratioMin: number;
  ratioMax: number;
}

export interface AuditSummary {
  audited: number;
  byVerdict: Record<Verdict, number>;
  byMetric: Record<string, Record<Verdict, number>>;
  inferences: Record<Benchmark, InferenceCountEvidence>;
  tokens: TokenEstimate[];
  edpPerB: EdpPerBFormulaResult[];
  /** Cells the audit takes as primary (not derivable from others): accuracy, energy, latency. */
  primaryCells: number;
}

export interface AuditResult {
  cells: AuditCell[];
  summary: AuditSummary;
}
