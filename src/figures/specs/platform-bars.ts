import type { Data, Layout, LayoutAxis } from "plotly.js-dist";
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

/** Horizontal offset of platform k's dot from its model's tick, so a model's four dots sit side by side. */
const DOT_SPREAD = 0.17;
const dotX = (modelIndex: number, k: number): number => modelIndex + (k - (PLATFORM_ORDER.length - 1) / 2) * DOT_SPREAD;

/**
 * The y axis of each panel of one row: panels whose quantity has the same unit share one range,
 * so they can be compared at a glance (MMLU's throughput counts inferences where the others count
 * tokens: it keeps its own range). Log when the row spans more than 1.5 orders of magnitude.
 */
function rowAxes(row: BarRow): Partial<LayoutAxis>[] {
  const valuesOf = (b: Benchmark): number[] =>
    PLATFORM_ORDER.flatMap((p) => MODEL_ORDER.map((m) => row.value(p, m, b) ?? NaN)).filter(Number.isFinite);
  const all = BENCHMARKS.flatMap(valuesOf);
  const log = decadesSpanned(all) > LOG_SCALE_DECADES;
  return BENCHMARKS.map((b) => {
    const shared = BENCHMARKS.filter((o) => row.unit(o) === row.unit(b)).flatMap(valuesOf);
    if (log) return logAxis(row.yTitle(b), {}, shared);
    return axis(row.yTitle(b), { range: [0, Math.max(0, ...shared) * 1.08] });
  });
}

/** Panel i's dots: one trace per platform, one dot per model. */
function panelDots(row: BarRow, b: Benchmark, i: number): Data[] {
  const data: Data[] = [];
  PLATFORM_ORDER.forEach((p, k) => {
    const ys = MODEL_ORDER.map((m) => row.value(p, m, b) ?? null);
    if (ys.every((y) => y === null)) return;
    data.push({
      type: "scatter",
      mode: "markers",
      name: platformLabel(p),
      legendgroup: platformKey(p),
      showlegend: i === 0,
      x: MODEL_ORDER.map((_, j) => dotX(j, k)),
      y: ys,
      customdata: MODEL_ORDER.map((m) => MODEL_LABELS[m]),
      marker: { color: platformColor(p), size: 9, symbol: "circle", line: { color: "#FFFFFF", width: 0.8 } },
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      hovertemplate:
        `${platformLabel(p)} · %{customdata}<br>` + `${BENCHMARK_LABELS[b]}: %{y:.4g} ${row.unit(b)}<extra></extra>`,
    });
  });
  return data;
}

/**
 * A dot plot: models along x, one dot per platform beside each model (platform colours), one
 * column of panels per benchmark and one row per quantity. Dots, not bars: on a log axis a bar's
 * length depends on where the axis happens to start, a dot's position does not. Panels of one row
 * with the same unit share their y range. Missing values leave a gap; nothing is filled in.
 */
export function platformBarsFigure(o: PlatformBarsOptions): FigureSpec {
  const cols = BENCHMARKS.length;
  const rows = o.rows.length;
  const widthPx = o.widthPx ?? 1100;
  const heightPx = 150 + rows * (o.rowHeightPx ?? 300);
  const data: Data[] = [];
  o.rows.forEach((row, r) => BENCHMARKS.forEach((b, c) => data.push(...panelDots(row, b, r * cols + c))));
  const yAxes = o.rows.map(rowAxes);
  const gap = { x: 0.07, y: rows > 1 ? 0.12 : 0.1 };
  const margin = { l: 80, r: 20, t: 90, b: 110 };
  const plotHeightPx = heightPx - margin.t - margin.b;
  const grid = gridAxes(
    rows,
    cols,
    () => ({
      ...axis(""),
      title: { text: "" },
      tickmode: "array",
      tickvals: MODEL_ORDER.map((_, j) => j),
      ticktext: MODEL_ORDER.map(modelTick),
      range: [-0.5, MODEL_ORDER.length - 0.5],
      showgrid: false,
      tickangle: 0,
      tickfont: { size: 11 },
    }),
    (_i, r, c) => yAxes[r]![c]!,
    gap,
  );
  const layout: Partial<Layout> = {
    ...baseLayout(o.title, widthPx, heightPx),
    ...grid,
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
