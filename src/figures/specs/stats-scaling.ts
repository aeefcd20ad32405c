import { cornerLabel } from "../layout-helpers.js";
import type { Data, Layout } from "plotly.js-dist";
import {
  BENCHMARK_LABELS,
  BENCHMARKS,
  MODEL_LABELS,
  PAPER_PLATFORMS,
  platformKey,
  platformLabel,
  type Platform,
} from "../../domain/ids.js";
import { studyObservations } from "../../stats/study/observations.js";
import { scalingFits, type ScaleResponse } from "../../stats/study/scaling.js";
import type { FigureInputs } from "../inputs.js";
import { axisId, gridAxes, modelLegendKeys, panelTitle } from "../layout-helpers.js";
import { baseLayout, logAxis, MODEL_SYMBOLS } from "../theme.js";
import type { FigureSpec } from "../types.js";
import { BENCHMARK_COLORS } from "./stats-frontiers.js";

const ROWS: { response: ScaleResponse; title: string }[] = [
  { response: "energyPerInferenceWh", title: "Energy per inference (Wh)" },
  { response: "latencyS", title: "Latency per inference (s)" },
];

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "–");

type ScalingFit = ReturnType<typeof scalingFits>[number];

/** Panel `i`'s points of each benchmark and its fitted line over `[xLo, xHi]`. */
function fitTraces(fit: ScalingFit, p: Platform, i: number, [xLo, xHi]: [number, number]): Data[] {
  const data: Data[] = [];
  for (const b of BENCHMARKS) {
    const pts = fit.points.filter((q) => q.benchmark === b);
    data.push({
      type: "scatter",
      mode: "markers",
      name: BENCHMARK_LABELS[b],
      legendgroup: `benchmark-${b}`,
      showlegend: i === 0,
      x: pts.map((q) => q.x),
      y: pts.map((q) => q.y),
      customdata: pts.map((q) => MODEL_LABELS[q.model as keyof typeof MODEL_LABELS] ?? q.model),
      marker: {
        color: BENCHMARK_COLORS[b],
        symbol: pts.map((q) => MODEL_SYMBOLS[q.model as keyof typeof MODEL_SYMBOLS] ?? "circle"),
        size: 9,
      },
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      hovertemplate:
        `${platformLabel(p)} · %{customdata} · ${BENCHMARK_LABELS[b]}<br>` +
        `%{x:.3g} B parameters: %{y:.3g}<extra></extra>`,
    } as Data);
    const a = fit.fit.coefficient[b];
    if (a === undefined) continue;
    const b0 = fit.fit.exponent.estimate;
    data.push({
      type: "scatter",
      mode: "lines",
      name: `${BENCHMARK_LABELS[b]} fit`,
      legendgroup: `benchmark-${b}`,
      showlegend: false,
      x: [xLo, xHi],
      y: [a * xLo ** b0, a * xHi ** b0],
      line: { color: BENCHMARK_COLORS[b], width: 1.2 },
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      hoverinfo: "skip",
    });
  }
  return data;
}

/** The exponent with its interval and R², in the corner of panel `i`. */
function fitAnnotation(fit: ScalingFit, i: number): NonNullable<Layout["annotations"]>[number] {
  const e = fit.fit.exponent;
  return {
    ...cornerLabel(
      `exponent ${f3(e.estimate)} [${f3(e.lo)}, ${f3(e.hi)}]<br>R² ${f3(fit.fit.rSquared)}`,
      i === 0 ? "" : String(i + 1),
    ),
    font: { size: 11 },
    bgcolor: "rgba(255,255,255,0.8)",
  };
}

/**
 * Log-log scaling of energy per inference (top) and latency (bottom) with the real parameter count,
 * one panel per platform: points per benchmark and the pooled power-law fit (one exponent per
 * platform, one coefficient per benchmark), with the exponent's 95 % interval and R² in the panel.
 */
export function statsScalingFigure(inputs: FigureInputs): FigureSpec {
  const scales = inputs.modelScales;
  if (!scales || scales.length === 0)
    throw new Error("the scaling figure needs inputs.modelScales (loadFigureInputs reads them from data/catalog)");
  const obs = studyObservations({ cells: inputs.cells }, null);
  const fits = scalingFits(obs, scales).filter((f) => f.benchmark === null && f.predictor === "parametersB");
  const cols = PAPER_PLATFORMS.length;
  const widthPx = 1250;
  const heightPx = 720;
  const data: Data[] = [];
  const annotations: NonNullable<Layout["annotations"]> = [];
  const xs = scales.map((s) => s.parametersB);
  const xLo = Math.min(...xs) * 0.95;
  const xHi = Math.max(...xs) * 1.05;
  ROWS.forEach(({ response }, row) => {
    PAPER_PLATFORMS.forEach((p, col) => {
      const i = row * cols + col;
      const fit = fits.find((f) => f.platform === platformKey(p) && f.response === response);
      if (!fit) return;
      data.push(...fitTraces(fit, p, i, [xLo, xHi]));
      annotations.push(fitAnnotation(fit, i));
    });
  });
  data.push(...modelLegendKeys());
  // One y range per row, shared by the platforms so their panels compare.
  const rowValues = ROWS.map(({ response }) =>
    fits.filter((f) => f.response === response).flatMap((f) => f.points.map((q) => q.y)),
  );
  const grid = gridAxes(
    ROWS.length,
    cols,
    () => logAxis("Parameters (billions, real count)", { range: [Math.log10(xLo), Math.log10(xHi)] }),
    (_i, row, col) => logAxis(col === 0 ? ROWS[row]!.title : "", {}, rowValues[row]),
    { x: 0.05, y: 0.16 },
  );
  const layout: Partial<Layout> = {
    ...baseLayout("Scaling of energy and latency with model size, per platform (log-log)", widthPx, heightPx),
    ...grid,
    legend: { orientation: "h", x: 0, y: -0.12, yanchor: "top", font: { size: 12 } },
    margin: { l: 80, r: 20, t: 90, b: 110 },
    annotations: [
      ...PAPER_PLATFORMS.map((p, c) => {
        const xa = (grid as Record<string, { domain: [number, number] }>)[c === 0 ? "xaxis" : `xaxis${c + 1}`]!.domain;
        return panelTitle(platformLabel(p), xa, 1.01);
      }),
      ...annotations,
    ],
  };
  return {
    name: "stats-scaling",
    title: "Energy and latency against model size (power-law fits)",
    caption:
      "One panel per platform, log-log: energy per inference (top, Wh) and latency per inference (bottom, s) " +
      "against each model's real parameter count " +
      "(billions; Gemma 2 2B has 2.61). Lines are the pooled fit y = a_benchmark · N^b: one exponent b per " +
      "platform and row, one coefficient per benchmark " +
      "(12 points, 8 degrees of freedom); the panel gives b with its 95 % t interval and the within-benchmark R². " +
      "Fits against the nominal sizes and against decode bytes per token are in stats-scaling-fits.csv.",
    data,
    layout,
    widthPx,
    heightPx,
  };
}
