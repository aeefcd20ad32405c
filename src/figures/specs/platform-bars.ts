import type { Data, Layout } from "plotly.js-dist";
import {
  BENCHMARK_LABELS,
  BENCHMARKS,
  MODEL_LABELS,
  platformKey,
  platformLabel,
  type Benchmark,
  type ModelId,
  type Platform,
} from "../../domain/ids.js";
import { axisId, decadesSpanned, gridAxes, LOG_SCALE_DECADES, panelTitle } from "../layout-helpers.js";
import { axis, baseLayout, logAxis, MODEL_ORDER, PLATFORM_ORDER, platformColor } from "../theme.js";
import type { FigureSpec } from "../types.js";

/** A model's tick label on two lines ("Llama 3.2<br>1B"), so four fit under a narrow panel. */
export const modelTick = (m: ModelId): string => MODEL_LABELS[m].replace(/ (\S+)$/, "<br>$1");

/** One row of panels: a quantity per (platform, model, benchmark), with its axis title and unit. */
export interface BarRow {
  /** Axis title with unit, per benchmark (MMLU counts inferences where the others count tokens). */
  yTitle: (benchmark: Benchmark) => string;
  /** Short unit for hover labels. */
  unit: (benchmark: Benchmark) => string;
  value: (platform: Platform, model: ModelId, benchmark: Benchmark) => number | undefined;
}

export interface PlatformBarsOptions {
  name: string;
  title: string;
  caption: string;
  rows: readonly BarRow[];
  widthPx?: number;
  /** Height of one row of panels. */
  rowHeightPx?: number;
}

/**
 * Grouped bars: models along x, one bar per platform (platform colours), one column of panels per
 * benchmark and one row per quantity. A row whose values span more than 1.5 orders of magnitude
 * gets a log axis. Missing values leave a gap; nothing is filled in.
 */
export function platformBarsFigure(o: PlatformBarsOptions): FigureSpec {
  const cols = BENCHMARKS.length;
  const rows = o.rows.length;
  const widthPx = o.widthPx ?? 1100;
  const heightPx = 150 + rows * (o.rowHeightPx ?? 300);
  const data: Data[] = [];
  const logRow = o.rows.map(
    (row) =>
      decadesSpanned(
        BENCHMARKS.flatMap((b) => PLATFORM_ORDER.flatMap((p) => MODEL_ORDER.map((m) => row.value(p, m, b) ?? NaN))),
      ) > LOG_SCALE_DECADES,
  );
  o.rows.forEach((row, r) => {
    BENCHMARKS.forEach((b, c) => {
      const i = r * cols + c;
      for (const p of PLATFORM_ORDER) {
        const ys = MODEL_ORDER.map((m) => row.value(p, m, b) ?? null);
        if (ys.every((y) => y === null)) continue;
        data.push({
          type: "bar",
          name: platformLabel(p),
          legendgroup: platformKey(p),
          showlegend: i === 0,
          x: MODEL_ORDER.map(modelTick),
          y: ys,
          customdata: MODEL_ORDER.map((m) => MODEL_LABELS[m]),
          marker: { color: platformColor(p), line: { width: 0 } },
          xaxis: axisId("x", i),
          yaxis: axisId("y", i),
          hovertemplate:
            `${platformLabel(p)} · %{customdata}<br>` +
            `${BENCHMARK_LABELS[b]}: %{y:.4g} ${row.unit(b)}<extra></extra>`,
        });
      }
    });
  });
  const gap = { x: 0.07, y: rows > 1 ? 0.12 : 0.1 };
  const margin = { l: 80, r: 20, t: 90, b: 110 };
  const plotHeightPx = heightPx - margin.t - margin.b;
  const grid = gridAxes(
    rows,
    cols,
    () => ({ ...axis(""), title: { text: "" }, tickangle: 0, tickfont: { size: 11 } }),
    (_i, r, c) => {
      const title = o.rows[r]!.yTitle(BENCHMARKS[c]!);
      return logRow[r] ? logAxis(title) : axis(title, { rangemode: "tozero" });
    },
    gap,
  );
  const layout: Partial<Layout> = {
    ...baseLayout(o.title, widthPx, heightPx),
    ...grid,
    barmode: "group",
    bargap: 0.18,
    bargroupgap: 0.05,
    // Below the two-line model ticks of the bottom row: 45 px under the plot area.
    legend: { orientation: "h", x: 0, y: -45 / plotHeightPx, yanchor: "top", font: { size: 12 } },
    margin,
    annotations: BENCHMARKS.map((b, c) => {
      const xa = (grid as Record<string, { domain: [number, number] }>)[c === 0 ? "xaxis" : `xaxis${c + 1}`]!.domain;
      return panelTitle(BENCHMARK_LABELS[b], xa, 1.01);
    }),
  };
  return { name: o.name, title: o.title, caption: o.caption, data, layout, widthPx, heightPx };
}
