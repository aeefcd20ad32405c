import type { Data, Layout } from "plotly.js-dist";
import { GPU_REFERENCE_CLASSES, type GpuReferenceClass, type GpuReference } from "../../io/catalog/gpus.js";
import type { FigureInputs } from "../inputs.js";
import { placeLabels, type LabelBox } from "../label-placement.js";
import { joulesPerToken } from "../../metrics/energy.js";
import { baseLayout, logAxis, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

const CLASS_STYLE: Record<GpuReferenceClass, { label: string; color: string; symbol: string }> = {
  "edge-board": { label: "Edge boards (Jetson dev kits)", color: PALETTE.bluishGreen, symbol: "circle" },
  desktop: { label: "Desktop GPUs (GeForce)", color: PALETTE.reddishPurple, symbol: "square" },
  datacenter: { label: "Datacenter GPUs", color: PALETTE.black, symbol: "diamond" },
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
/** The legend's box in the plot's corner (three entries at 12 px, the longest 29 characters). */
const LEGEND_BOX_PX = { w: 270, h: 78 };

/**
 * Guide lines of a constant quantity c of each point, drawn across the plot: GFLOPS per watt or
 * per dollar (y grows with x), or watts (TFLOPS × pJ/FLOP: y falls as x grows). One line per power
 * of ten of c that the points span.
 */
interface Guide {
  unit: string;
  of: (p: { x: number; y: number }) => number;
  yAt: (c: number, x: number) => number;
  xAt: (c: number, y: number) => number;
  rising: boolean;
}

/** GFLOPS per unit of x (watt, dollar): y in TFLOPS, so c = 1000 y / x. */
const ratioGuide = (unit: string): Guide => ({
  unit,
  of: (p) => (1000 * p.y) / p.x,
  yAt: (c, x) => (c * x) / 1000,
  xAt: (c, y) => (1000 * y) / c,
  rising: true,
});

/** Watts: TFLOPS × pJ/FLOP = 10^12 FLOP/s × 10^-12 J/FLOP = J/s. */
const POWER_GUIDE: Guide = {
  unit: "W",
  of: (p) => p.x * p.y,
  yAt: (c, x) => c / x,
  xAt: (c, y) => c / y,
  rising: false,
};

function isoLines(points: readonly { x: number; y: number }[], g: Guide, [x0, x1]: [number, number]): Data[] {
  const [r0, r1] = decadeRange(points.map(g.of));
  const out: Data[] = [];
  for (let k = r0; k <= r1; k++) {
    const c = 10 ** k;
    const xs = [10 ** x0, 10 ** x1];
    out.push({
      type: "scatter",
      mode: "lines",
      name: `${c} ${g.unit}`,
      showlegend: false,
      x: xs,
      y: xs.map((x) => g.yAt(c, x)),
      line: { color: "#BBBBBB", width: 1, dash: "dot" },
      hoverinfo: "skip",
    });
  }
  return out;
}

function isoLabels(
  points: readonly { x: number; y: number }[],
  g: Guide,
  area: { xRange: [number, number]; yRange: [number, number]; plotHeightPx: number },
): NonNullable<Layout["annotations"]> {
  const [r0, r1] = decadeRange(points.map(g.of));
  const [x0, x1] = area.xRange;
  const [y0Plot, y1] = area.yRange;
  const plotHeightPx = area.plotHeightPx;
  // A label hangs below a falling line's end: keep its height clear of the bottom edge.
  const y0 = g.rising ? y0Plot : y0Plot + ((y1 - y0Plot) * GUIDE_FONT_PX * 1.4) / plotHeightPx;
  const out: NonNullable<Layout["annotations"]> = [];
  for (let k = r0; k <= r1; k++) {
    const c = 10 ** k;
    // Label each guide where it leaves the plotted area on the right: the right edge, else the
    // top (rising lines) or the bottom (falling ones).
    let x = 10 ** x1;
    let y = g.yAt(c, x);
    if (y > 10 ** y1) y = 10 ** y1;
    if (y < 10 ** y0) y = 10 ** y0;
    x = g.xAt(c, y);
    if (x < 10 ** x0 * 0.9999 || x > 10 ** x1 * 1.0001) continue;
    // Beside the line, on the side away from it: above-left of a rising line's end, below-left of a
    // falling one's.
    out.push({
      x: Math.log10(x),
      y: Math.log10(y),
      xref: "x",
      yref: "y",
      text: `${c} ${g.unit}`,
      showarrow: false,
      xanchor: "right",
      yanchor: g.rising ? "bottom" : "top",
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
  guides: { labels: NonNullable<Layout["annotations"]>; lines: readonly Data[]; legendAt: "top" | "bottom" },
): Data[] {
  const guideLabels = guides.labels;
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
    const h = GUIDE_FONT_PX * 1.2;
    const [x0, x1] = [xPx - w, xPx];
    return a.yanchor === "top" ? { x0, x1, y0: yPx, y1: yPx + h } : { x0, x1, y0: yPx - h, y1: yPx };
  });
  // So are the guide lines (straight in log–log pixels: sampled every 3 px as small boxes) and the
  // legend in its corner of the plot.
  for (const line of guides.lines as { x: number[]; y: number[] }[]) {
    const a = toPx(Math.log10(line.x[0]!), Math.log10(line.y[0]!));
    const b = toPx(Math.log10(line.x[1]!), Math.log10(line.y[1]!));
    const n = Math.ceil(Math.hypot(b.xPx - a.xPx, b.yPx - a.yPx) / 3);
    for (let k = 0; k <= n; k++) {
      const x = a.xPx + ((b.xPx - a.xPx) * k) / n;
      const y = a.yPx + ((b.yPx - a.yPx) * k) / n;
      obstacles.push({ x0: x - 1, x1: x + 1, y0: y - 1, y1: y + 1 });
    }
  }
  obstacles.push(
    guides.legendAt === "top"
      ? { x0: 0, x1: LEGEND_BOX_PX.w, y0: 0, y1: LEGEND_BOX_PX.h }
      : { x0: 0, x1: LEGEND_BOX_PX.w, y0: plotH - LEGEND_BOX_PX.h, y1: plotH },
  );
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

const FLOP_PER_TFLOP = 1e12;
const PJ_PER_J = 1e12;

/**
 * Energy per FP32 operation at peak (pJ/FLOP): the energy of one second at TDP (W × 1 s) over the
 * operations done in that second, energy ÷ work items as joulesPerToken divides it.
 * @example pjPerFlop({ tdpW: 10, fp32Tflops: 0.236 }) // 42.4 (Jetson Nano)
 */
export const pjPerFlop = (g: Pick<GpuReference, "tdpW" | "fp32Tflops">): number =>
  joulesPerToken(g.tdpW * 1, g.fp32Tflops * FLOP_PER_TFLOP) * PJ_PER_J;

/**
 * The paper's motivation chart "GPU Performance vs Energy Usage", from the cited GPU table: peak
 * performance against the energy each operation costs at peak (TDP ÷ peak FLOP/s), not against
 * power, so the name says what it shows. Guide lines: constant board power.
 */
export function gpuPerformanceVsEnergyFigure(inputs: FigureInputs): FigureSpec {
  const gpus = inputs.gpus;
  const widthPx = 820;
  const heightPx = 560;
  const pts = gpus.map((g) => ({ x: pjPerFlop(g), y: g.fp32Tflops }));
  // Room on the right for the least efficient board's label (it sits on its 10 W guide).
  const [xLo, xHi] = paddedRange(pts.map((p) => p.x));
  const xRange: [number, number] = [xLo, xHi + 0.1];
  const yRange = paddedRange(pts.map((p) => p.y));
  const plotHeightPx = heightPx - PLOT_MARGIN.t - PLOT_MARGIN.b;
  const guides = isoLabels(pts, POWER_GUIDE, { xRange, yRange, plotHeightPx });
  const lines = isoLines(pts, POWER_GUIDE, xRange);
  const title = "GPU performance vs energy per operation";
  const layout: Partial<Layout> = {
    ...baseLayout(title, widthPx, heightPx),
    margin: PLOT_MARGIN,
    xaxis: logAxis("Energy per FP32 operation at peak, TDP ÷ peak (pJ/FLOP)", { range: xRange, automargin: false }),
    yaxis: logAxis("Peak FP32 performance (TFLOPS)", { range: yRange, automargin: false }),
    legend: { x: 0.01, y: 0.01, xanchor: "left", yanchor: "bottom", bordercolor: "#DDDDDD", borderwidth: 1 },
    annotations: guides,
  };
  return {
    name: "gpu-performance-vs-energy",
    title,
    caption:
      `Peak FP32 throughput against the energy one FP32 operation costs at peak (board power, TDP, ÷ peak FLOP/s; ` +
      `pJ per FLOP; left is more efficient) for ${gpus.length} GPUs and Jetson boards (figures/data/gpus.csv, one ` +
      "vendor source per row). Dotted lines: constant board power (TFLOPS × pJ/FLOP = W). Log–log.",
    data: [
      ...lines,
      ...gpuScatter(
        gpus,
        pjPerFlop,
        "%{x:.3g} pJ/FLOP",
        { xRange, yRange, widthPx, heightPx },
        {
          labels: guides,
          lines,
          legendAt: "bottom",
        },
      ),
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
  const plotHeightPx = heightPx - PLOT_MARGIN.t - PLOT_MARGIN.b;
  const guides = isoLabels(pts, ratioGuide("GFLOPS/$"), { xRange, yRange, plotHeightPx });
  const lines = isoLines(pts, ratioGuide("GFLOPS/$"), xRange);
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
      ...lines,
      ...gpuScatter(
        priced,
        (g) => g.launchPriceUsd!,
        "US$ %{x:,.0f}",
        { xRange, yRange, widthPx, heightPx },
        { labels: guides, lines, legendAt: "top" },
      ),
    ],
    layout,
    widthPx,
    heightPx,
  };
}
