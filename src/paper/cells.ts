import { inputError } from "../errors.js";
import type { Backend, Benchmark, DeviceId, ModelId } from "../domain/ids.js";
import type { PaperCell, PaperMetric, PaperSource, PaperTable } from "./types.js";

/** Look up one published cell; throws a not-found input error naming the key when absent. */
export function findCell(
  cells: readonly PaperCell[],
  key: {
    table?: PaperTable;
    device: DeviceId;
    backend: Backend;
    model: ModelId;
    benchmark: Benchmark | null;
    metric: PaperMetric;
  },
): PaperCell {
  const c = cells.find(
    (x) =>
      (key.table === undefined || x.table === key.table) &&
      x.device === key.device &&
      x.backend === key.backend &&
      x.model === key.model &&
      x.benchmark === key.benchmark &&
      x.metric === key.metric,
  );
  if (!c) throw inputError(`no published cell for ${JSON.stringify(key)}`);
  return c;
}

export type { ModelId };

/** A cell's provenance as JSON outputs print it (snake_case, as users script against it). */
export function sourceJson(s: PaperSource): {
  file: string;
  csv_line: number;
  printed_row: number;
  source_line: number;
} {
  return { file: s.file, csv_line: s.csvLine, printed_row: s.printedRow, source_line: s.sourceLine };
}
