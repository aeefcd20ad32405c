import type { Data, Layout, Shape } from "plotly.js-dist";
import { FIGURE_FONT_FAMILY, OKABE_ITO } from "../../figures/theme.js";
import type { FigureSpec } from "../../figures/types.js";
import { readPowerLog } from "../power/read.js";
import { calibratedPowerW } from "../energy/calibration.js";
import { MANIFEST_NAME } from "./manifest.js";
import type { BundleResult } from "./ingest.js";

/** Most points drawn per power channel; longer logs are thinned to min/max pairs per bucket. */
export const TIMELINE_MAX_POINTS = 4000;

/**
 * A figure of a bundle's power over time with each inference's window shaded and the idle
 * baseline drawn: what the per-inference energies integrate. Times are seconds from the first
 * inference's start on the inference clock. Long logs are thinned to `TIMELINE_MAX_POINTS`
 * per channel, keeping each bucket's minimum and maximum so that peaks stay visible.
 */
export async function bundleTimelineSpec(result: BundleResult, bundleDir: string = result.dir): Promise<FigureSpec> {
  const m = result.manifest;
  const t0 = result.inferences.reduce((a, r) => (r.startS === null ? a : Math.min(a, r.startS)), Infinity);
  const origin = Number.isFinite(t0) ? t0 : 0;
  const cal = m.power_calibration
    ? { gain: m.power_calibration.gain, offsetW: m.power_calibration.offset_w }
    : undefined;
  const data: Data[] = [];
  const powerFiles = result.files.filter((f) => f.role === "power");
  const colors = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple];
  for (let i = 0; i < powerFiles.length; i++) {
    const rel = powerFiles[i]!.name.slice(result.runId.length + 1);
    const log = readPowerLog(`${bundleDir}/${rel}`, {
      ...(m.meter ? { format: m.meter } : {}),
      ...(m.power_interval_ms ? { intervalMs: m.power_interval_ms } : {}),
      onQuarantine: () => undefined,
    });
    const xs: number[] = [];
    const ys: number[] = [];
    for await (const batch of log.batches()) {
      for (const s of batch) {
        xs.push((s.tS as number) + m.clock_offset_s - origin);
        ys.push(calibratedPowerW(s.powerW, cal));
      }
    }
    const [x, y] = thin(xs, ys, TIMELINE_MAX_POINTS);
    data.push({
      type: "scatter",
      mode: "lines",
      name: rel,
      x,
      y,
      line: { color: colors[i % colors.length]!, width: 1.2 },
    });
  }
  const shapes: Partial<Shape>[] = result.inferences
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
  if (result.run.idlePowerW !== null) {
    shapes.push({
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      y0: result.run.idlePowerW,
      y1: result.run.idlePowerW,
      line: { color: OKABE_ITO.black, width: 1, dash: "dash" },
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
