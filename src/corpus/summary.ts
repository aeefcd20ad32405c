import type { CorpusRow } from "../io/corpus.js";

/** `corpus check`'s one-screen summary: how many rows, and what they cover. */
export interface CorpusSummary {
  rows: number;
  boards: [string, number][];
  models: [string, number][];
  runtimes: [string, number][];
  sources: [string, number][];
  rowsWithPower: number;
  rowsWithPrefill: number;
  rowsWithDecode: number;
}

/** Counts by key, most rows first (ties by name). */
function counts(rows: readonly CorpusRow[], key: (r: CorpusRow) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function corpusSummary(rows: readonly CorpusRow[]): CorpusSummary {
  return {
    rows: rows.length,
    boards: counts(rows, (r) => r.board),
    models: counts(rows, (r) => r.model),
    runtimes: counts(rows, (r) => r.runtime),
    sources: counts(rows, (r) => r.source.name),
    rowsWithPower: rows.filter((r) => r.powerW !== null).length,
    rowsWithPrefill: rows.filter((r) => r.prefillTokPerS !== null).length,
    rowsWithDecode: rows.filter((r) => r.decodeTokPerS !== null).length,
  };
}

/** Rows matching every filter given (board, model, runtime: exact ids). */
export function filterCorpus(
  rows: readonly CorpusRow[],
  filter: { board?: string; model?: string; runtime?: string },
): CorpusRow[] {
  return rows.filter(
    (r) =>
      (filter.board === undefined || r.board === filter.board) &&
      (filter.model === undefined || r.model === filter.model) &&
      (filter.runtime === undefined || r.runtime === filter.runtime),
  );
}

/** Rows counted by two keys (e.g. board × runtime): the corpus at a glance. */
export function corpusCrossTab(
  rows: readonly CorpusRow[],
  rowKey: (r: CorpusRow) => string,
  colKey: (r: CorpusRow) => string,
): { rows: string[]; columns: string[]; counts: Record<string, Record<string, number>> } {
  const counts: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const a = rowKey(r);
    const b = colKey(r);
    const line = (counts[a] ??= {});
    line[b] = (line[b] ?? 0) + 1;
  }
  const total = (k: string) => Object.values(counts[k] ?? {}).reduce((s, x) => s + x, 0);
  return {
    rows: Object.keys(counts).sort((x, y) => total(y) - total(x) || (x < y ? -1 : 1)),
    columns: [...new Set(rows.map(colKey))].sort(),
    counts,
  };
}
