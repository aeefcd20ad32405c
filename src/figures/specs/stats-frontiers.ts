import type { Data, Layout } from "plotly.js-dist";
import {
  BENCHMARK_LABELS,
  BENCHMARKS,
  MODEL_LABELS,
  PAPER_PLATFORMS,
  platformKey,
  platformLabel,
  type Benchmark,
  type Platform,
} from "../../domain/ids.js";
import { paretoFrontiers, type FrontierCost } from "../../stats/study/frontiers.js";
import { studyObservations } from "../../stats/study/observations.js";
import type { FigureInputs } from "../inputs.js";
import { axisId, chanceLines, gridAxes, modelLegendKeys, panelTitle } from "../layout-helpers.js";
import { axis, baseLayout, logAxis, logRange, MODEL_SYMBOLS, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

/** One colour per benchmark in the statistics figures (platforms are the panels there). */
export const BENCHMARK_COLORS: Record<Benchmark, string> = {
  mmlu: PALETTE.bluishGreen,
  hellaswag: PALETTE.reddishPurple,
  winogrande: PALETTE.black,
};

const COSTS: { cost: FrontierCost; title: string; unit: string }[] = [
  { cost: "energyPerInferenceWh", title: "Energy per inference (Wh)", unit: "Wh" },
  { cost: "latencyS", title: "Latency per inference (s)", unit: "s" },
];

type Observations = ReturnType<typeof studyObservations>;

/** Panel `i`'s traces of benchmark `b`: its frontier staircase and its points with Wilson intervals. */
function benchmarkTraces(
  obs: Observations,
  frontiers: ReturnType<typeof paretoFrontiers>,
  p: Platform,
  b: Benchmark,
  cost: FrontierCost,
  unit: string,
  i: number,
): Data[] {
  const data: Data[] = [];
  const pts = obs.filter((o) => o.platform === platformKey(p) && o.benchmark === b);
  const f = frontiers.find((x) => x.platform === platformKey(p) && x.benchmark === b && x.cost === cost)!;
  const front = f.points.filter((q) => q.onFrontier);
  data.push({
    type: "scatter",
    mode: "lines",
    name: `${BENCHMARK_LABELS[b]} frontier`,
    legendgroup: `frontier-${b}`,
    showlegend: false,
    x: front.map((q) => q.cost),
    y: front.map((q) => q.accuracyPct),
    line: { color: BENCHMARK_COLORS[b], width: 1.2, dash: "dash", shape: "hv" },
    xaxis: axisId("x", i),
    yaxis: axisId("y", i),
    hoverinfo: "skip",
  });
  data.push({
    type: "scatter",
    mode: "markers",
    name: BENCHMARK_LABELS[b],
    legendgroup: `benchmark-${b}`,
    showlegend: i === 0,
    x: pts.map((o) => o[cost]),
    y: pts.map((o) => o.accuracyPct),
    customdata: pts.map((o) => MODEL_LABELS[o.model]),
    error_y: {
      type: "data",
      symmetric: false,
      array: pts.map((o) => o.accuracyCi.hi - o.accuracyPct),
      arrayminus: pts.map((o) => o.accuracyPct - o.accuracyCi.lo),
      color: BENCHMARK_COLORS[b],
      thickness: 1,
      width: 3,
    },
    marker: {
      color: BENCHMARK_COLORS[b],
      symbol: pts.map((o) => MODEL_SYMBOLS[o.model]),
      size: 10,
      line: {
        color: pts.map((o) => (front.some((q) => q.model === o.model) ? "#000000" : "#FFFFFF")),
        width: 1.2,
      },
    },
    xaxis: axisId("x", i),
    yaxis: axisId("y", i),
    hovertemplate:
      `${platformLabel(p)} · %{customdata} · ${BENCHMARK_LABELS[b]}<br>` +
      `%{y:.4g} % at %{x:.3g} ${unit}<extra></extra>`,
  } as Data);
  return data;
}

/**
 * The accuracy–cost trade-off on each platform: accuracy (with its Wilson 95 % interval at the
 * study's n) against energy per inference (top row) and latency (bottom row), one panel per
 * platform, one colour per benchmark, with each benchmark's Pareto frontier as a staircase.
 */
export function statsFrontiersFigure(inputs: FigureInputs): FigureSpec {
  const obs = studyObservations({ cells: inputs.cells }, inputs.audit ? { cells: inputs.audit } : null);
  const frontiers = paretoFrontiers(obs);
  const cols = PAPER_PLATFORMS.length;
  const widthPx = 1250;
  const heightPx = 720;
  const data: Data[] = [];
  const chance: NonNullable<Layout["annotations"]> = [];
  // One x range per row (energy, latency), shared by the platforms so their panels compare.
  const rowCosts = COSTS.map(({ cost }) => obs.map((o) => o[cost]));
  COSTS.forEach(({ cost, unit }, row) => {
    const [lo, hi] = logRange(rowCosts[row]!);
    PAPER_PLATFORMS.forEach((p, col) => {
      const i = row * cols + col;
      for (const b of BENCHMARKS) data.push(...benchmarkTraces(obs, frontiers, p, b, cost, unit, i));
      const lines = chanceLines(BENCHMARKS, i === 0 ? "" : String(i + 1), [10 ** lo, 10 ** hi]);
      data.push(...lines.data);
      if (col === cols - 1) chance.push(...lines.annotations);
    });
  });
  data.push(...modelLegendKeys());
  const grid = gridAxes(
    COSTS.length,
    cols,
    (_i, row) => logAxis(COSTS[row]!.title, {}, rowCosts[row]),
    (_i, _row, col) => axis(col === 0 ? "Accuracy (%)" : ""),
    { x: 0.05, y: 0.16 },
  );
  const layout: Partial<Layout> = {
    ...baseLayout("Accuracy against energy and latency per platform, with Pareto frontiers", widthPx, heightPx),
    ...grid,
    legend: { orientation: "h", x: 0, y: -0.12, yanchor: "top", font: { size: 12 } },
    margin: { l: 70, r: 20, t: 90, b: 110 },
    annotations: [
      ...PAPER_PLATFORMS.map((p, c) => {
        const xa = (grid as Record<string, { domain: [number, number] }>)[c === 0 ? "xaxis" : `xaxis${c + 1}`]!.domain;
        return panelTitle(platformLabel(p), xa, 1.01);
      }),
      ...chance,
    ],
  };
  return {
    name: "stats-frontiers",
    title: "Accuracy–cost frontiers per platform",
    caption:
      "One panel per platform: accuracy (%) with its Wilson 95 % interval at the study's n (MMLU 1000, HellaSwag " +
      "400, Winogrande 500 items) " +
      "against energy per inference (top, Wh, log scale) and latency per inference (bottom, s, log scale); colour: " +
      "benchmark, symbol: model. " +
      "Dashed staircases are each benchmark's Pareto frontier, frontier points outlined in black. Dotted: chance " +
      "(25 % for MMLU and HellaSwag, 50 % for Winogrande; labelled in the right-hand panels). Up and left is better. " +
      "Most frontier steps lie within the accuracy intervals of their neighbours: stats-frontiers.csv says which " +
      "points are surely on, surely off or uncertain.",
    data,
    layout,
    widthPx,
    heightPx,
  };
}
