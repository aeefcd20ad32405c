import {
  BENCHMARKS,
  BENCHMARK_LABELS,
  MODEL_LABELS,
  PAPER_PLATFORMS,
  platformLabel,
  type Benchmark,
} from "../domain/ids.js";
import type { AuditCell, AuditResult } from "../audit/types.js";
import type { Verdict } from "../audit/classify.js";
import type { PaperCell, PaperData, PaperMetric, PaperTable } from "../paper/types.js";
import { regeneratedText } from "./format.js";

/** One cell of a regenerated table: what the primaries imply, and what the paper printed. */
export interface RegeneratedCell {
  regenerated: string;
  published: string;
  /** null for primary cells (taken as printed), else the audit's verdict. */
  verdict: Verdict | null;
  differs: boolean;
  /** The published cell this regenerates. */
  cell: PaperCell;
}

export interface RegeneratedTable {
  name: PaperTable;
  title: string;
  /** Column groups: a metric with its unit, then one column per benchmark or platform. */
  groups: { label: string; columns: { key: string; label: string }[] }[];
  rows: { labels: string[]; cells: Record<string, RegeneratedCell> }[];
  rowLabelHeaders: string[];
  note: string;
}

const METRIC_LABELS: Record<PaperMetric, string> = {
  accuracy_pct: "Accuracy (%)",
  energy_wh: "Energy (Wh)",
  latency_s: "Latency (s)",
  edp_js: "EDP (J·s)",
  throughput: "Ops/s (MMLU) & tokens/s",
  per_wh: "Ops or tokens per Wh",
  power_wh_per_s: "Energy/s (Wh/s)",
  wh_per_b: "Wh/B",
  edp_per_b: "EDP/B (J·s/B)",
};

function cellFor(c: PaperCell, audited: AuditCell | undefined): RegeneratedCell {
  if (!audited) return { regenerated: c.printed, published: c.printed, verdict: null, differs: false, cell: c };
  const regenerated = regeneratedText(c.printed, audited.recomputed_low, audited.recomputed_high);
  return { regenerated, published: c.printed, verdict: audited.verdict, differs: regenerated !== c.printed, cell: c };
}

function auditKey(x: {
  table: string;
  device: string;
  backend: string;
  model: string;
  benchmark: string | null;
  metric: string;
}): string {
  return `${x.table}|${x.device}|${x.backend}|${x.model}|${x.benchmark}|${x.metric}`;
}

/** Regenerate the paper's three numeric tables from data/, with the audit's recomputations. */
export function regenerateTables(paper: PaperData, audit: AuditResult): RegeneratedTable[] {
  const audited = new Map(audit.cells.map((c) => [auditKey(c), c]));
  const byTable = (t: PaperTable): PaperCell[] => paper.cells.filter((c) => c.table === t);
  const perBenchmark = (name: PaperTable, title: string, metrics: PaperMetric[], note: string): RegeneratedTable => {
    const cells = byTable(name);
    const rowsKeyed = new Map<string, { labels: string[]; cells: Record<string, RegeneratedCell>; order: number }>();
    for (const c of cells) {
      const k = `${c.device}/${c.backend}/${c.model}`;
      if (!rowsKeyed.has(k))
        rowsKeyed.set(k, { labels: [platformLabel(c), MODEL_LABELS[c.model]], cells: {}, order: c.source.printedRow });
      rowsKeyed.get(k)!.cells[`${c.metric}.${c.benchmark}`] = cellFor(c, audited.get(auditKey(c)));
    }
    return {
      name,
      title,
      rowLabelHeaders: ["Device", "Model"],
      groups: metrics.map((m) => ({
        label: METRIC_LABELS[m],
        columns: BENCHMARKS.map((b: Benchmark) => ({ key: `${m}.${b}`, label: BENCHMARK_LABELS[b] })),
      })),
      rows: [...rowsKeyed.values()]
        .sort((a, b) => a.order - b.order)
        .map(({ labels, cells: cs }) => ({ labels, cells: cs })),
      note,
    };
  };
  const normalizedCells = byTable("normalized");
  const models = paper.models.map((m) => m.model);
  const order = ["tinyllama-1.1b", "llama-3.2-1b", "gemma-2-2b", "phi-3-mini"].filter((m) =>
    models.includes(m as never),
  );
  const normalized: RegeneratedTable = {
    name: "normalized",
    title: "Normalized energy and efficiency metrics per billion parameters (averaged across benchmarks)",
    rowLabelHeaders: ["Model", "Size (B)"],
    groups: PAPER_PLATFORMS.map((p) => ({
      label: platformLabel(p),
      columns: (["wh_per_b", "edp_per_b"] as const).map((m) => ({
        key: `${m}.${p.device}/${p.backend}`,
        label: METRIC_LABELS[m],
      })),
    })),
    rows: order.map((model) => {
      const size = paper.models.find((m) => m.model === model)!;
      const cells: Record<string, RegeneratedCell> = {};
      for (const c of normalizedCells.filter((x) => x.model === model)) {
        cells[`${c.metric}.${c.device}/${c.backend}`] = cellFor(c, audited.get(auditKey(c)));
      }
      return { labels: [MODEL_LABELS[model as keyof typeof MODEL_LABELS], String(size.sizeB)], cells };
    }),
    note:
      "Wh/B = mean energy over the benchmarks ÷ the paper's nominal size. EDP/B: no plausible definition " +
      "reproduces the published column (see the audit); the regenerated value shown is the literal reading, " +
      "mean EDP ÷ size.",
  };
  return [
    perBenchmark(
      "consolidated",
      "Consolidated performance across benchmarks and devices",
      ["accuracy_pct", "energy_wh", "latency_s", "edp_js"],
      "Energy is the benchmark run's total; latency is per inference; EDP = total energy (J) × total time " +
        "(s). Accuracy, energy and latency are primary (as printed); EDP is regenerated from them.",
    ),
    perBenchmark(
      "throughput",
      "Throughput and efficiency metrics",
      ["throughput", "per_wh", "power_wh_per_s"],
      "MMLU counts inferences (ops/s, ops/Wh); HellaSwag and Winogrande count tokens, with tokens per " +
        "inference estimated from all cells that imply it. Energy/s is in Wh/s, as the paper defines it (× " +
        "3600 for W).",
    ),
    normalized,
  ];
}
