import type { Data, Layout } from "plotly.js-dist";
import { GPU_REFERENCE_CLASSES, type GpuReferenceClass, type GpuReference } from "../../io/catalog/gpus.js";
import type { FigureInputs } from "../inputs.js";
import { placeLabels, type LabelBox } from "../label-placement.js";
import { baseLayout, logAxis, OKABE_ITO } from "../theme.js";
import type { FigureSpec } from "../types.js";

const CLASS_STYLE: Record<GpuReferenceClass, { label: string; color: string; symbol: string }> = {
  "edge-board": { label: "Edge boards (Jetson dev kits)", color: OKABE_ITO.bluishGreen, symbol: "circle" },
  desktop: { label: "Desktop GPUs (GeForce)", color: OKABE_ITO.reddishPurple, symbol: "square" },
  datacenter: { label: "Datacenter GPUs", color: OKABE_ITO.black, symbol: "diamond" },
};

/** Powers of ten from just below the smallest to just above the largest positive value. */
function decadeRange(values: readonly number[]): [number, number] {
  return [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))];
}

/** Log-axis range (log10 units) around the values with a margin, so no marker sits on an edge. */
function paddedRange(values: readonly number[], padDecades = 0.12): [number, number] {
  return [Math.log10(Math.min(...values)) - padDecades, Math.log10(Math.max(...values)) + padDecades];
}

const PLOT_MARGIN = { l: 80, r: 30, t: 60, b: 70 };
const LABEL_FONT_PX = 9;
const MARKER_PX = 10;
const GUIDE_FONT_PX = 10;

/**
 * Guide lines of constant ratio y/x (e.g. GFLOPS per watt) across the plotted x range, one per
 * power of ten of the ratio that the data actually span.
 */
function isoLines(points: readonly { x: number; y: number }[], unitLabel: string, yPerRatio: number): Data[] {
  const ratios = points.map((p) => (p.y / p.x) * yPerRatio);
  const [r0, r1] = decadeRange(ratios);
  const [x0, x1] = paddedRange(points.map((p) => p.x));
  const out: Data[] = [];
  for (let k = r0; k <= r1; k++) {
    const ratio = 10 ** k;
    const xs = [10 ** x0, 10 ** x1];
    out.push({
      type: "scatter",
      mode: "lines",
      name: `${ratio} ${unitLabel}`,
      showlegend: false,
      x: xs,
      y: xs.map((x) => (ratio * x) / yPerRatio),
      line: { color: "#BBBBBB", width: 1, dash: "dot" },
      hoverinfo: "skip",
    });
  }
  return out;
}

function isoLabels(
  points: readonly { x: number; y: number }[],
  unitLabel: string,
  yPerRatio: number,
): NonNullable<Layout["annotations"]> {
  const ratios = points.map((p) => (p.y / p.x) * yPerRatio);
  const [r0, r1] = decadeRange(ratios);
  const [, x1] = paddedRange(points.map((p) => p.x));
  const [y0, y1] = paddedRange(points.map((p) => p.y));
  const out: NonNullable<Layout["annotations"]> = [];
  for (let k = r0; k <= r1; k++) {
    const ratio = 10 ** k;
    // Label each guide where it leaves the plotted area: at the right edge or at the top.
    let x = 10 ** x1;
    let y = (ratio * x) / yPerRatio;
    if (y > 10 ** y1) {
      y = 10 ** y1;
      x = (y * yPerRatio) / ratio;
    }
    if (y < 10 ** y0) continue;
    out.push({
      x: Math.log10(x),
      y: Math.log10(y),
      xref: "x",
      yref: "y",
      text: `${ratio} ${unitLabel}`,
      showarrow: false,
      xanchor: "right",
      yanchor: "bottom",
      font: { size: GUIDE_FONT_PX, color: "#888888" },
    });
  }
  return out;
}

/** Label on the plot: the legend already says "GeForce" and "dev kit". */
const shortName = (g: GpuReference): string => g.name.replace(/ \(dev kit\)$/, "").replace(/^GeForce /, "");

/**
 * Markers per GPU class with non-overlapping labels: positions are chosen in pixel space from the
 * axis ranges and the plot area the layout leaves.
 */
function gpuScatter(
  gpus: readonly GpuReference[],
  xOf: (g: GpuReference) => number,
  hoverX: string,
  area: { xRange: [number, number]; yRange: [number, number]; widthPx: number; heightPx: number },
  guideLabels: NonNullable<Layout["annotations"]>,
): Data[] {
  const plotW = area.widthPx - PLOT_MARGIN.l - PLOT_MARGIN.r;
  const plotH = area.heightPx - PLOT_MARGIN.t - PLOT_MARGIN.b;
  const toPx = (logX: number, logY: number) => ({
    xPx: ((logX - area.xRange[0]) / (area.xRange[1] - area.xRange[0])) * plotW,
    yPx: plotH - ((logY - area.yRange[0]) / (area.yRange[1] - area.yRange[0])) * plotH,
  });
  // The guide lines' labels (right- and bottom-anchored at their point) are obstacles too.
  const obstacles: LabelBox[] = guideLabels.map((a) => {
    const { xPx, yPx } = toPx(Number(a.x), Number(a.y));
    const w = String(a.text).length * GUIDE_FONT_PX * 0.6;
    return { x0: xPx - w, x1: xPx, y0: yPx - GUIDE_FONT_PX * 1.2, y1: yPx };
  });
  const px = (g: GpuReference) => ({ ...toPx(Math.log10(xOf(g)), Math.log10(g.fp32Tflops)), text: shortName(g) });
  // Place labels from the most crowded end (high performance) down, in a fixed order.
  const order = [...gpus].sort((a, b) => b.fp32Tflops - a.fp32Tflops || a.id.localeCompare(b.id));
  const positions = placeLabels(order.map(px), {
    fontPx: LABEL_FONT_PX,
    markerPx: MARKER_PX,
    widthPx: plotW,
    heightPx: plotH,
    obstacles,
  });
  const positionOf = new Map(order.map((g, i) => [g.id, positions[i]!]));
  const out: Data[] = [];
  for (const c of GPU_REFERENCE_CLASSES) {
    const mine = gpus.filter((g) => g.class === c);
    if (mine.length === 0) continue;
    const s = CLASS_STYLE[c];
    out.push({
      type: "scatter",
      mode: "text+markers",
      name: s.label,
      x: mine.map(xOf),
      y: mine.map((g) => g.fp32Tflops),
      text: mine.map(shortName),
      textposition: mine.map((g) => positionOf.get(g.id)!),
      textfont: { size: LABEL_FONT_PX, color: "#444444" },
      marker: { color: s.color, symbol: s.symbol, size: MARKER_PX, line: { color: "#FFFFFF", width: 1 } },
      hovertemplate: `%{text}<br>${hoverX}<br>%{y:.3g} TFLOPS FP32<extra></extra>`,
    } as Data);
  }
  return out;
}

/** The paper's motivation chart "GPU Performance vs Energy Usage", from the cited GPU table. */
export function gpuPerformanceVsEnergyFigure(inputs: FigureInputs): FigureSpec {
  const gpus = inputs.gpus;
  const widthPx = 820;
  const heightPx = 560;
  const pts = gpus.map((g) => ({ x: g.tdpW, y: g.fp32Tflops }));
  const xRange = paddedRange(pts.map((p) => p.x));
  const yRange = paddedRange(pts.map((p) => p.y));
  const guides = isoLabels(pts, "GFLOPS/W", 1000);
  const layout: Partial<Layout> = {
    ...baseLayout("GPU performance vs power", widthPx, heightPx),
    margin: PLOT_MARGIN,
    xaxis: logAxis("Board power, TDP (W)", { range: xRange, automargin: false }),
    yaxis: logAxis("Peak FP32 performance (TFLOPS)", { range: yRange, automargin: false }),
    legend: { x: 0.01, y: 0.99, xanchor: "left", yanchor: "top", bordercolor: "#DDDDDD", borderwidth: 1 },
    annotations: guides,
  };
  return {
    name: "gpu-performance-vs-energy",
    title: "GPU performance vs power",
    caption:
      `Peak FP32 throughput against board power for ${gpus.length} GPUs and Jetson boards (figures/data/gpus.csv, ` +
      `one vendor source per row). ` +
      "Dotted lines: constant efficiency in GFLOPS per watt. Log–log.",
    data: [
      ...isoLines(pts, "GFLOPS/W", 1000),
      ...gpuScatter(gpus, (g) => g.tdpW, "%{x:.3g} W", { xRange, yRange, widthPx, heightPx }, guides),
    ],
    layout,
    widthPx,
    heightPx,
  };
}

/** The paper's motivation chart "GPU Performance vs Hardware Price", from the cited GPU table. */
export function gpuPerformanceVsPriceFigure(inputs: FigureInputs): FigureSpec {
  const priced = inputs.gpus.filter((g) => g.launchPriceUsd !== null);
  const widthPx = 820;
  const heightPx = 560;
  const pts = priced.map((g) => ({ x: g.launchPriceUsd!, y: g.fp32Tflops }));
  const xRange = paddedRange(pts.map((p) => p.x));
  const yRange = paddedRange(pts.map((p) => p.y));
  const guides = isoLabels(pts, "GFLOPS/$", 1000);
  const layout: Partial<Layout> = {
    ...baseLayout("GPU performance vs hardware price", widthPx, heightPx),
    margin: PLOT_MARGIN,
    xaxis: logAxis("Launch price (US$)", { range: xRange, automargin: false }),
    yaxis: logAxis("Peak FP32 performance (TFLOPS)", { range: yRange, automargin: false }),
    legend: { x: 0.01, y: 0.99, xanchor: "left", yanchor: "top", bordercolor: "#DDDDDD", borderwidth: 1 },
    annotations: guides,
  };
  const unpriced = inputs.gpus.length - priced.length;
  const unpricedNote = unpriced > 0 ? `; ${unpriced} datacenter parts without a list price are left out` : "";
  return {
    name: "gpu-performance-vs-price",
    title: "GPU performance vs hardware price",
    caption:
      `Peak FP32 throughput against launch list price for the ${priced.length} GPUs and Jetson developer kits with ` +
      `a published price ` +
      `(figures/data/gpus.csv${unpricedNote})` +
      ". " +
      "Dotted lines: constant GFLOPS per dollar. Log–log.",
    data: [
      ...isoLines(pts, "GFLOPS/$", 1000),
      ...gpuScatter(priced, (g) => g.launchPriceUsd!, "US$ %{x:,.0f}", { xRange, yRange, widthPx, heightPx }, guides),
    ],
    layout,
    widthPx,
    heightPx,
  };
}
