import type { PaperCell } from "../paper/types.js";

/** Index of published cells by platform, model, benchmark and metric. */
export class CellIndex {
  private readonly map = new Map<string, PaperCell>();
  constructor(cells: readonly PaperCell[]) {
    for (const c of cells) this.map.set(CellIndex.key(c.device, c.backend, c.model, c.benchmark, c.metric), c);
  }
  static key(device: string, backend: string, model: string, benchmark: string | null, metric: string): string {
    return `${device}|${backend}|${model}|${benchmark}|${metric}`;
  }
  get(
    c: { device: string; backend: string; model: string },
    benchmark: string | null,
    metric: string,
  ): PaperCell | undefined {
    return this.map.get(CellIndex.key(c.device, c.backend, c.model, benchmark, metric));
  }
}
