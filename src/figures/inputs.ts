import type { Backend, Benchmark, DeviceId, ModelId, Platform } from "../domain/ids.js";
import type { PaperCell, PaperMetric, PaperTable } from "../paper/types.js";
import type { GpuReference } from "../io/catalog/gpus.js";
import type { ModelScale } from "../stats/study/model-scales.js";

/**
 * One audited published cell, as `audit --json` reports it. Figures need only these fields, so
 * the figure code does not depend on how the audit computes them.
 */
export interface AuditedCell {
  table: string;
  device: DeviceId;
  backend: Backend;
  model: ModelId;
  benchmark: Benchmark | null;
  metric: string;
  published: number;
  recomputed: number | null;
  ratio: number | null;
  verdict: "consistent" | "unit-factor" | "typo" | "unexplained";
  explanation: string;
}

/** Everything the figures are drawn from. Builders are pure functions of this. */
export interface FigureInputs {
  /** The paper's published cells (`loadPaper(root).cells`). */
  cells: readonly PaperCell[];
  /** Inferences each benchmark ran, as the tables imply them (`inferenceCounts(cells)`). */
  inferences: Readonly<Record<Benchmark, number>>;
  /** The audit's verdict per derived cell, or null when no audit is available. */
  audit: readonly AuditedCell[] | null;
  /** The cited GPU reference table (`figures/data/gpus.csv`). */
  gpus: readonly GpuReference[];
  /** Size measures of the models (nominal, real count, bytes per token) for the scaling figure. */
  modelScales?: readonly ModelScale[];
}

/** Fast lookup of published values by (table, platform, model, benchmark, metric). */
export class PaperValues {
  private readonly byKey = new Map<string, PaperCell>();

  constructor(cells: readonly PaperCell[]) {
    for (const c of cells) this.byKey.set(PaperValues.key(c.table, c, c.model, c.benchmark, c.metric), c);
  }

  private static key(
    table: PaperTable,
    p: Platform,
    model: ModelId,
    benchmark: Benchmark | null,
    metric: PaperMetric,
  ): string {
    return `${table}|${p.device}/${p.backend}|${model}|${benchmark ?? "-"}|${metric}`;
  }

  /** The published value, or undefined when the paper has no such cell (figures then leave a gap). */
  get(
    table: PaperTable,
    p: Platform,
    model: ModelId,
    benchmark: Benchmark | null,
    metric: PaperMetric,
  ): number | undefined {
    return this.byKey.get(PaperValues.key(table, p, model, benchmark, metric))?.value;
  }
}
