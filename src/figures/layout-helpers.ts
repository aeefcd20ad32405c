import type { Data, Layout, LayoutAxis } from "plotly.js-dist";
import { BENCHMARK_LABELS, MODEL_LABELS, type Benchmark } from "../domain/ids.js";
import { chanceAccuracyPct } from "../metrics/accuracy.js";
import { MODEL_ORDER, MODEL_SYMBOLS } from "./theme.js";

/** Plotly's axis ids for subplot i (0-based): "x", "x2", … and the layout keys "xaxis", "xaxis2", … */
export const axisId = (letter: "x" | "y", i: number): string => (i === 0 ? letter : `${letter}${i + 1}`);
export const axisKey = (letter: "x" | "y", i: number): `${"x" | "y"}axis${number}` | "xaxis" | "yaxis" =>
  i === 0 ? `${letter}axis` : `${letter}axis${i + 1}`;

/**
 * Axes for a grid of subplots, rows × columns, filled row by row. `x(i)` / `y(i)` give each
 * subplot's axis options (domains are added here).
 */
export function gridAxes(
  rows: number,
  cols: number,
  x: (i: number, row: number, col: number) => Partial<LayoutAxis>,
  y: (i: number, row: number, col: number) => Partial<LayoutAxis>,
  gap: { x: number; y: number } = { x: 0.07, y: 0.1 },
): Partial<Layout> {
  const out: Record<string, Partial<LayoutAxis>> = {};
  const w = (1 - gap.x * (cols - 1)) / cols;
  const h = (1 - gap.y * (rows - 1)) / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const x0 = c * (w + gap.x);
      const y1 = 1 - r * (h + gap.y);
      out[axisKey("x", i)] = { ...x(i, r, c), domain: [x0, x0 + w], anchor: axisId("y", i) } as Partial<LayoutAxis>;
      out[axisKey("y", i)] = { ...y(i, r, c), domain: [y1 - h, y1], anchor: axisId("x", i) } as Partial<LayoutAxis>;
    }
  }
  return out as Partial<Layout>;
}

/** A bold panel title above subplot i, as a paper-positioned annotation. */
export function panelTitle(
  text: string,
  xDomain: [number, number],
  yTop: number,
): NonNullable<Layout["annotations"]>[number] {
  return {
    text: `<b>${text}</b>`,
    x: (xDomain[0] + xDomain[1]) / 2,
    y: yTop,
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 13 },
  };
}

/** Decimal exponents spanned by positive values: max/min in orders of magnitude (0 for none). */
export function decadesSpanned(values: readonly number[]): number {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return 0;
  return Math.log10(Math.max(...pos) / Math.min(...pos));
}

/** Log scale when values span more than this many orders of magnitude. */
export const LOG_SCALE_DECADES = 1.5;

/** Legend keys for the model symbols (traces with no data of their own). */
export function modelLegendKeys(): Data[] {
  return MODEL_ORDER.map(
    (m) =>
      ({
        type: "scatter",
        mode: "markers",
        name: MODEL_LABELS[m],
        legendgroup: `model-${m}`,
        x: [null],
        y: [null],
        marker: { color: "#777777", symbol: MODEL_SYMBOLS[m], size: 10 },
        hoverinfo: "skip",
      }) as Data,
  );
}

/** The dotted y = x line of a parity panel on axes `ax` ("" for the first, "2", "3" …). */
export function parityDiagonal(ax: string, lo: number, hi: number): Data {
  return {
    type: "scatter",
    mode: "lines",
    x: [lo, hi],
    y: [lo, hi],
    xaxis: `x${ax}`,
    yaxis: `y${ax}`,
    line: { color: "#999", dash: "dot", width: 1 },
    showlegend: false,
    hoverinfo: "skip",
  };
}

/** A panel's label in its top-left corner (`ax` as in parityDiagonal). */
export function cornerLabel(text: string, ax: string): NonNullable<Layout["annotations"]>[number] {
  return {
    text,
    xref: `x${ax} domain` as never,
    yref: `y${ax} domain` as never,
    x: 0.02,
    y: 0.98,
    xanchor: "left",
    yanchor: "top",
    showarrow: false,
    align: "left",
  };
}

/** The trace name of a chance line at `pct` %: what the tests and the hover read. */
export const chanceLineName = (pct: number): string => `chance (${pct} %)`;

/**
 * Accuracy at random guessing on axes `ax` (as in parityDiagonal) across x from `x0` to `x1` (data
 * units): one dotted line per distinct chance level of `benchmarks` (25 % for MMLU and HellaSwag,
 * 50 % for Winogrande), each labelled at its right end with the level and, when a panel mixes
 * benchmarks, which benchmarks it is for.
 */
export function chanceLines(
  benchmarks: readonly Benchmark[],
  ax: string,
  [x0, x1]: [number, number],
): { data: Data[]; annotations: NonNullable<Layout["annotations"]> } {
  const levels = [...new Set(benchmarks.map(chanceAccuracyPct))];
  const data: Data[] = [];
  const annotations: NonNullable<Layout["annotations"]> = [];
  for (const pct of levels) {
    const mine = benchmarks.filter((b) => chanceAccuracyPct(b) === pct).map((b) => BENCHMARK_LABELS[b]);
    data.push({
      type: "scatter",
      mode: "lines",
      name: chanceLineName(pct),
      showlegend: false,
      x: [x0, x1],
      y: [pct, pct],
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      line: { color: "#666666", width: 1, dash: "dot" },
      hoverinfo: "skip",
    });
    annotations.push({
      text: benchmarks.length > 1 ? `chance ${pct} % (${mine.join(", ")})` : `chance ${pct} %`,
      xref: `x${ax} domain` as never,
      yref: `y${ax}` as never,
      x: 0.99,
      y: pct,
      xanchor: "right",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 10, color: "#555555" },
    });
  }
  return { data, annotations };
}
