import type { Data, Layout } from "plotly.js-dist";
import { BENCHMARK_LABELS, MODEL_LABELS, platformLabel } from "../../domain/ids.js";
import type { AuditedCell, FigureInputs } from "../inputs.js";
import { axis, baseLayout, logAxis, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

const VERDICT_STYLE: Record<AuditedCell["verdict"], { label: string; color: string; symbol: string; size: number }> = {
  consistent: { label: "consistent", color: PALETTE.bluishGreen, symbol: "circle", size: 6 },
  "unit-factor": { label: "unit factor", color: PALETTE.blue, symbol: "square", size: 10 },
  typo: { label: "typo", color: PALETTE.orange, symbol: "diamond", size: 11 },
  unexplained: { label: "unexplained", color: PALETTE.vermillion, symbol: "x", size: 11 },
};

const METRIC_LABELS: Record<string, string> = {
  accuracy_pct: "accuracy (%)",
  energy_wh: "energy (Wh)",
  latency_s: "latency (s)",
  edp_js: "EDP (J·s)",
  throughput: "throughput (ops/s, tokens/s)",
  per_wh: "per Wh (ops/Wh, tokens/Wh)",
  power_wh_per_s: "energy/s (Wh/s)",
  wh_per_b: "Wh/B",
  edp_per_b: "EDP/B (J·s/B)",
  speedup: "speed-up (×)",
  energy_per_inference_wh: "energy per inference (Wh)",
};

/** "throughput · EDP (J·s)" — the row a cell is drawn on. */
const rowLabel = (c: AuditedCell): string => `${c.table} · ${METRIC_LABELS[c.metric] ?? c.metric}`;

const cellLabel = (c: AuditedCell): string =>
  `${platformLabel(c)} · ${MODEL_LABELS[c.model]}${c.benchmark ? ` · ${BENCHMARK_LABELS[c.benchmark]}` : ""}`;

/** Deterministic vertical spread within a row: by ratio, then the cell's label. */
function rowOffsets(cells: readonly AuditedCell[], rows: readonly string[]): Map<AuditedCell, number> {
  const offset = new Map<AuditedCell, number>();
  for (const r of rows) {
    const mine = cells
      .filter((c) => rowLabel(c) === r)
      .sort((a, b) => a.ratio! - b.ratio! || cellLabel(a).localeCompare(cellLabel(b)));
    mine.forEach((c, k) => offset.set(c, mine.length === 1 ? 0 : -0.32 + (0.64 * k) / (mine.length - 1)));
  }
  return offset;
}

/** One trace per verdict: each cell at (ratio, its row spread by `rowOffsets`). */
function verdictTraces(cells: readonly AuditedCell[], rows: readonly string[]): Data[] {
  const offset = rowOffsets(cells, rows);
  const data: Data[] = [];
  for (const verdict of Object.keys(VERDICT_STYLE) as AuditedCell["verdict"][]) {
    const mine = cells.filter((c) => c.verdict === verdict);
    const s = VERDICT_STYLE[verdict];
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${s.label} (${mine.length})`,
      x: mine.map((c) => c.ratio),
      y: mine.map((c) => rows.indexOf(rowLabel(c)) + offset.get(c)!),
      text: mine.map(
        (c) =>
          `${cellLabel(c)}<br>${rowLabel(c)}<br>published ${c.published}, recomputed ` +
          `${c.recomputed === null ? "—" : Number(c.recomputed.toPrecision(4))}<br>${c.explanation}`,
      ),
      marker: {
        color: s.color,
        symbol: s.symbol,
        size: s.size,
        opacity: verdict === "consistent" ? 0.55 : 0.95,
        line: { width: verdict === "unexplained" ? 2 : 0.5, color: verdict === "unexplained" ? s.color : "#FFFFFF" },
      },
      hovertemplate: "%{text}<br>ratio %{x:.4g}<extra></extra>",
    } as Data);
  }
  return data;
}

/**
 * Every audited cell at a glance: one row per (table, metric), each cell placed at the ratio of its
 * published value to the value recomputed from the primary cells (log scale; 1 = agrees), coloured
 * by verdict. Cells of one row are spread vertically in a fixed order, so the figure is stable.
 */
export function auditDiscrepanciesFigure(inputs: FigureInputs): FigureSpec {
  const cells = (inputs.audit ?? []).filter((c) => c.ratio !== null && Number.isFinite(c.ratio) && c.ratio > 0);
  const dropped = (inputs.audit ?? []).length - cells.length;
  const rows = [...new Set(cells.map(rowLabel))];
  const widthPx = 1000;
  const heightPx = Math.max(420, 150 + rows.length * 46);
  const data = verdictTraces(cells, rows);
  const ratios = cells.map((c) => c.ratio!);
  const lo = Math.min(0.5, ...ratios);
  const hi = Math.max(2, ...ratios);
  const layout: Partial<Layout> = {
    ...baseLayout("Audit of the published tables: published ÷ recomputed", widthPx, heightPx),
    xaxis: logAxis("Published ÷ recomputed from primary cells (ratio, log scale)", {
      range: [Math.log10(lo) - 0.15, Math.log10(hi) + 0.15],
    }),
    yaxis: axis("", {
      tickmode: "array",
      tickvals: rows.map((_, i) => i),
      ticktext: rows,
      range: [rows.length - 0.5, -0.5],
      showgrid: false,
    }),
    shapes: [
      ...rows.map((_, i) => ({
        type: "line" as const,
        xref: "paper" as const,
        x0: 0,
        x1: 1,
        yref: "y" as const,
        y0: i + 0.5,
        y1: i + 0.5,
        line: { color: "#EEEEEE", width: 1 },
      })),
      {
        type: "line",
        xref: "x",
        x0: 1,
        x1: 1,
        yref: "paper",
        y0: 0,
        y1: 1,
        line: { color: "#555555", width: 1, dash: "dot" },
      },
    ],
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom", font: { size: 12 } },
    margin: { l: 250, r: 30, t: 90, b: 70 },
  };
  const counts = Object.entries(VERDICT_STYLE)
    .map(([v, s]) => `${cells.filter((c) => c.verdict === v).length} ${s.label}`)
    .join(", ");
  return {
    name: "audit-discrepancies",
    title: "Audit discrepancies at a glance",
    caption:
      `Every derived cell of the paper's tables that the audit recomputed (${cells.length}: ${counts}), placed at ` +
      `published ÷ recomputed ` +
      "(1 = agrees within rounding; 3.6 and powers of ten are unit slips). Rows: table · metric." +
      (dropped > 0 ? ` ${dropped} cells without a positive finite ratio are not drawn.` : ""),
    data,
    layout,
    widthPx,
    heightPx,
  };
}
