/**
 * Figures of a bandwidth sweep, as figure specs the project's renderer draws (plotly in headless
 * Chromium): decode rate against bytes per token on log axes with the fitted line and the
 * bandwidth-bound prediction, and the parity plot of measured against predicted decode rates.
 * Pure: data in, specs out.
 */
import type { Data } from "plotly.js-dist";
import type { FigureSpec } from "../types.js";
import { PALETTE, FIGURE_FONT_FAMILY } from "../theme.js";
import type { SweepResult } from "../../probe/sweep.js";

const QUANT_COLORS = (q: string): string =>
  (
    ({
      Q4_0: PALETTE.orange,
      Q8_0: PALETTE.skyBlue,
      F16: PALETTE.bluishGreen,
      F32: PALETTE.reddishPurple,
    }) as Record<string, string | undefined>
  )[q] ?? PALETTE.black;
const MIB = 2 ** 20;

export function sweepRateFigure(r: SweepResult, machineLabel: string): FigureSpec {
  const quants = [...new Set(r.points.map((p) => p.quant))];
  const data: Data[] = quants.map((q) => {
    const ps = r.points.filter((p) => p.quant === q);
    return {
      type: "scatter",
      mode: "markers",
      name: q,
      x: ps.map((p) => p.bytesPerToken / MIB),
      y: ps.map((p) => p.decodeTokensPerS),
      marker: { color: QUANT_COLORS(q), size: 9, symbol: ps.map((p) => (p.fitted ? "circle" : "circle-open")) },
      text: ps.map((p) => p.model),
    };
  });
  const xs = r.points.map((p) => p.bytesPerToken);
  const lo = Math.min(...xs) / 1.3;
  const hi = Math.max(...xs) * 1.3;
  const grid = Array.from({ length: 30 }, (_, i) => lo * (hi / lo) ** (i / 29));
  data.push({
    type: "scatter",
    mode: "lines",
    name: `B/bytes, probe ${r.prediction.bandwidthGBps.toFixed(1)} GB/s`,
    x: grid.map((b) => b / MIB),
    y: grid.map((b) => (r.prediction.bandwidthGBps * 1e9) / b),
    line: { color: "#777777", dash: "dash", width: 1.5 },
  });
  if (r.fit.effectiveBandwidthGBps !== null) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: `B/bytes, fitted ${r.fit.effectiveBandwidthGBps.toFixed(1)} GB/s`,
      x: grid.map((b) => b / MIB),
      y: grid.map((b) => (r.fit.effectiveBandwidthGBps! * 1e9) / b),
      line: { color: "#000000", width: 1.5 },
    });
  }
  if (r.fit.powerLaw) {
    const f = r.fit.powerLaw;
    data.push({
      type: "scatter",
      mode: "lines",
      name: `free fit: exponent ${f.exponent.toFixed(2)}`,
      x: grid.map((b) => b / MIB),
      y: grid.map((b) => f.coefficient * b ** f.exponent),
      line: { color: PALETTE.blue, dash: "dot", width: 1.5 },
    });
  }
  return {
    name: "sweep-decode-rate",
    title: `Decode rate against bytes read per token — ${machineLabel}`,
    caption:
      "Synthetic llama models (random weights, real shapes and quantizations) run by slm-energy collect on this " +
      "machine's CPU. " +
      "Filled markers lie beyond the last-level cache and enter the fits; open markers are cache-resident. " +
      "Dashed: tokens/s = probed read bandwidth / bytes per token; solid: the same with the bandwidth fitted to " +
      "the filled points; dotted: the free log-log fit.",
    data,
    layout: {
      font: { family: FIGURE_FONT_FAMILY, size: 12 },
      xaxis: { type: "log", title: { text: "bytes read per decoded token (MiB)" } },
      yaxis: { type: "log", title: { text: "decode rate (tokens/s)" } },
      legend: { orientation: "h", y: -0.2 },
      margin: { l: 70, r: 20, t: 30, b: 110 },
    },
    widthPx: 720,
    heightPx: 480,
  };
}

export function sweepParityFigure(r: SweepResult, machineLabel: string): FigureSpec {
  const ps = r.points;
  const all = ps.flatMap((p) => [
    p.decodeTokensPerS,
    p.predictedDecodeTokensPerS,
    ...(p.modelDecodeTokensPerS === null ? [] : [p.modelDecodeTokensPerS]),
  ]);
  const lo = Math.min(...all) / 1.5;
  const hi = Math.max(...all) * 1.5;
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines",
      name: "parity",
      x: [lo, hi],
      y: [lo, hi],
      line: { color: "#999999", width: 1 },
    },
    {
      type: "scatter",
      mode: "markers",
      name: "B/bytes (probed bandwidth)",
      x: ps.map((p) => p.predictedDecodeTokensPerS),
      y: ps.map((p) => p.decodeTokensPerS),
      marker: { color: PALETTE.blue, size: 9, symbol: ps.map((p) => (p.fitted ? "circle" : "circle-open")) },
      text: ps.map((p) => p.model),
    },
  ];
  const withModel = ps.filter((p) => p.modelDecodeTokensPerS !== null);
  if (withModel.length > 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "calibrated model (slm-energy predict)",
      x: withModel.map((p) => p.modelDecodeTokensPerS),
      y: withModel.map((p) => p.decodeTokensPerS),
      marker: {
        color: PALETTE.vermillion,
        size: 9,
        symbol: withModel.map((p) => (p.fitted ? "diamond" : "diamond-open")),
      },
      text: withModel.map((p) => p.model),
    });
  }
  return {
    name: "sweep-parity",
    title: `Measured against predicted decode rate — ${machineLabel}`,
    caption:
      "Each synthetic model's best measured decode rate against two predictions for this machine: the bandwidth " +
      "bound with the probe's read bandwidth, " +
      "and the project's calibrated model with a device spec built from the probe. Points below the diagonal ran " +
      "slower than predicted; open markers are cache-resident models.",
    data,
    layout: {
      font: { family: FIGURE_FONT_FAMILY, size: 12 },
      xaxis: {
        type: "log",
        title: { text: "predicted decode rate (tokens/s)" },
        range: [Math.log10(lo), Math.log10(hi)],
      },
      yaxis: {
        type: "log",
        title: { text: "measured decode rate (tokens/s)" },
        range: [Math.log10(lo), Math.log10(hi)],
        scaleanchor: "x",
      },
      legend: { orientation: "h", y: -0.2 },
      margin: { l: 70, r: 20, t: 30, b: 110 },
    },
    widthPx: 600,
    heightPx: 600,
  };
}
