import type { Data, Layout, Shape } from "plotly.js-dist";
import { MANIFEST_NAME } from "../../ingest/bundle/manifest.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import { FIGURE_FONT_FAMILY, OKABE_ITO, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

/** Most points drawn per power channel; longer logs are thinned to min/max pairs per bucket. */
export const TIMELINE_MAX_POINTS = 4000;

/** One power channel's trace, on the inference clock (s) and calibrated (W). */
export interface TimelineChannel {
  /** The file's path in the bundle. */
  name: string;
  tS: readonly number[];
  powerW: readonly number[];
}

/** Seconds of the first inference's start on the inference clock (the figure's time origin); 0 when none has one. */
export function timelineOrigin(result: BundleResult): number {
  const t0 = result.inferences.reduce((a, r) => (r.startS === null ? a : Math.min(a, r.startS)), Infinity);
  return Number.isFinite(t0) ? t0 : 0;
}

function windowShapes(result: BundleResult, origin: number): Partial<Shape>[] {
  return result.inferences
    .filter((r) => r.startS !== null && r.endS !== null)
    .map((r) => ({
      type: "rect",
      xref: "x",
      yref: "paper",
      x0: r.startS! - origin,
      x1: r.endS! - origin,
      y0: 0,
      y1: 1,
      fillcolor: OKABE_ITO.orange,
      opacity: 0.18,
      line: { width: 0 },
      layer: "below",
    }));
}

/**
 * A figure of a bundle's power over time with each inference's window shaded and the idle
 * baseline drawn: what the per-inference energies integrate. Times are seconds from the first
 * inference's start on the inference clock. Long traces are thinned to `TIMELINE_MAX_POINTS`
 * per channel, keeping each bucket's minimum and maximum so that peaks stay visible.
 * `bundleTimelineSpec` (pipeline/ingest) reads the channels from the bundle's power logs.
 */
export function bundleTimelineFigure(result: BundleResult, channels: readonly TimelineChannel[]): FigureSpec {
  const origin = timelineOrigin(result);
  const powerFiles = result.files.filter((f) => f.role === "power");
  const colors = [PALETTE.blue, PALETTE.vermillion, PALETTE.bluishGreen, PALETTE.reddishPurple];
  const data: Data[] = channels.map((c, i) => {
    const [x, y] = thin(
      c.tS.map((t) => t - origin),
      c.powerW,
      TIMELINE_MAX_POINTS,
    );
    const line = { color: colors[i % colors.length]!, width: 1.2 };
    return { type: "scatter", mode: "lines", name: c.name, x, y, line };
  });
  const shapes = windowShapes(result, origin);
  if (result.run.idlePowerW !== null) {
    shapes.push({
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      y0: result.run.idlePowerW,
      y1: result.run.idlePowerW,
      line: { color: PALETTE.black, width: 1, dash: "dash" },
    });
  }
  const layout: Partial<Layout> = {
    font: { family: FIGURE_FONT_FAMILY, size: 12 },
    title: { text: `${result.runId}: power and inference windows` },
    xaxis: { title: { text: "time from the first inference (s)" }, zeroline: false },
    yaxis: { title: { text: "power (W)" }, rangemode: "tozero" },
    shapes,
    showlegend: powerFiles.length > 1,
    margin: { l: 60, r: 20, t: 50, b: 50 },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
  };
  return {
    name: `timeline-${result.runId}`,
    title: `${result.runId}: power and inference windows`,
    caption:
      `Power of ${powerFiles.map((f) => f.name).join(" + ") || "(no power log)"} (as named in ${MANIFEST_NAME}), ` +
      "on the inference clock; shaded: each inference's window; dashed: the idle baseline.",
    data,
    layout,
    widthPx: 900,
    heightPx: 360,
  };
}

/** At most `max` points: min and max of equal-count buckets, in time order. */
export function thin(xs: readonly number[], ys: readonly number[], max: number): [number[], number[]] {
  if (xs.length <= max) return [[...xs], [...ys]];
  const buckets = Math.max(1, Math.floor(max / 2));
  const size = Math.ceil(xs.length / buckets);
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < xs.length; b += size) {
    let lo = b;
    let hi = b;
    const end = Math.min(xs.length, b + size);
    for (let i = b; i < end; i++) {
      if (ys[i]! < ys[lo]!) lo = i;
      if (ys[i]! > ys[hi]!) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) {
      if (ox.length === 0 || ox[ox.length - 1] !== xs[i]) {
        ox.push(xs[i]!);
        oy.push(ys[i]!);
      }
    }
  }
  return [ox, oy];
}
