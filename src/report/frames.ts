import type { AuditResult } from "../audit/types.js";
import type { PaperCell } from "../paper/types.js";
import type { RegeneratedTable } from "./tables.js";
import { danfo, type DanfoModule as Dfd } from "../notebooks/danfo.js";

/**
 * danfojs frames for notebooks and reports: shaping and display only. danfojs does DataFrame
 * arithmetic in float32, so every number here was computed in float64 before it got here.
 */

type CellLike = Pick<PaperCell, "device" | "backend" | "model" | "benchmark" | "printed"> & {
  table: string;
  metric: string;
};

/** The columns that name a cell, shared by the paper and audit frames. */
const cellColumns = (c: CellLike) => ({
  table: c.table,
  device: c.device,
  backend: c.backend,
  model: c.model,
  benchmark: c.benchmark ?? "",
  metric: c.metric,
  printed: c.printed,
});

/** Published cells as a long frame. */
export function paperFrame(cells: readonly PaperCell[]): InstanceType<Dfd["DataFrame"]> {
  const dfd = danfo();
  return new dfd.DataFrame(
    cells.map((c) => ({
      ...cellColumns(c),
      value: c.value,
    })),
  );
}

/** Audited cells as a frame (optionally only the discrepancies). */
export function auditFrame(
  a: AuditResult,
  options: { discrepanciesOnly?: boolean } = {},
): InstanceType<Dfd["DataFrame"]> {
  const dfd = danfo();
  const cells = options.discrepanciesOnly ? a.cells.filter((c) => c.verdict !== "consistent") : a.cells;
  return new dfd.DataFrame(
    cells.map((c) => ({
      ...cellColumns(c),
      recomputed: Number(c.recomputed.toPrecision(6)),
      ratio: Number(c.ratio.toPrecision(4)),
      verdict: c.verdict,
    })),
  );
}

/** A regenerated table in the paper's layout: "regenerated (paper: x)" where they differ. */
export function regeneratedFrame(t: RegeneratedTable): InstanceType<Dfd["DataFrame"]> {
  const dfd = danfo();
  const cols = t.groups.flatMap((g) => g.columns.map((c) => ({ key: c.key, label: `${g.label} ${c.label}` })));
  return new dfd.DataFrame(
    t.rows.map((r) => {
      const row: Record<string, string> = {};
      t.rowLabelHeaders.forEach((h, i) => (row[h] = r.labels[i] ?? ""));
      for (const c of cols) {
        const cell = r.cells[c.key];
        row[c.label] = !cell ? "" : cell.differs ? `${cell.regenerated} (paper: ${cell.published})` : cell.regenerated;
      }
      return row;
    }),
  );
}
