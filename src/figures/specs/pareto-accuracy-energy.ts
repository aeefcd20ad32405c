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
import { energyPerInferenceWh } from "../../metrics/energy.js";
import { PaperValues, type FigureInputs } from "../inputs.js";
import { axisId, chanceLines, gridAxes, modelLegendKeys, panelTitle } from "../layout-helpers.js";
import { paretoIndices } from "../../stats/pareto.js";
import {
  axis,
  baseLayout,
  logAxis,
  logRange,
  MODEL_ORDER,
  MODEL_SYMBOLS,
  PLATFORM_ORDER,
  platformColor,
} from "../theme.js";
import type { FigureSpec } from "../types.js";

interface Point {
  platform: Platform;
  model: ModelId;
  energyWh: number;
  accuracyPct: number;
}

/** The (platform, model) points of one benchmark: energy per inference and accuracy. */
function benchmarkPoints(v: PaperValues, inputs: FigureInputs, b: Benchmark): Point[] {
  const points: Point[] = [];
  for (const p of PLATFORM_ORDER) {
    for (const m of MODEL_ORDER) {
      const acc = v.get("consolidated", p, m, b, "accuracy_pct");
      const e = v.get("consolidated", p, m, b, "energy_wh");
      if (acc === undefined || e === undefined) continue;
      points.push({
        platform: p,
        model: m,
        energyWh: energyPerInferenceWh(e, inputs.inferences[b]),
        accuracyPct: acc,
      });
    }
  }
  return points;
}

/** One benchmark's panel `i`: its Pareto frontier, then one marker trace per platform. */
function benchmarkTraces(points: Point[], b: Benchmark, i: number): Data[] {
  const data: Data[] = [];
  const frontier = paretoIndices(points.map((q) => ({ cost: q.energyWh, benefit: q.accuracyPct }))).map(
    (k) => points[k]!,
  );
  data.push({
    type: "scatter",
    mode: "lines",
    name: "Pareto frontier",
    legendgroup: "frontier",
    showlegend: i === 0,
    x: frontier.map((q) => q.energyWh),
    y: frontier.map((q) => q.accuracyPct),
    line: { color: "#000000", width: 1.5, dash: "dash", shape: "hv" },
    xaxis: axisId("x", i),
    yaxis: axisId("y", i),
    hoverinfo: "skip",
  });
  for (const p of PLATFORM_ORDER) {
    const mine = points.filter((q) => platformKey(q.platform) === platformKey(p));
    if (mine.length === 0) continue;
    data.push({
      type: "scatter",
      mode: "markers",
      name: platformLabel(p),
      legendgroup: platformKey(p),
      showlegend: i === 0,
      x: mine.map((q) => q.energyWh),
      y: mine.map((q) => q.accuracyPct),
      text: mine.map((q) => MODEL_LABELS[q.model]),
      marker: {
        color: platformColor(p),
        symbol: mine.map((q) => MODEL_SYMBOLS[q.model]),
        size: 11,
        line: { color: mine.map((q) => (frontier.includes(q) ? "#000000" : "#FFFFFF")), width: 1.2 },
      },
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      hovertemplate:
        `${platformLabel(p)} · %{text}<br>` +
        `${BENCHMARK_LABELS[b]}: %{y:.4g} %, %{x:.3g} Wh per inference<extra></extra>`,
    } as Data);
  }
  return data;
}

/**
 * Accuracy against energy per inference across all platforms, one panel per benchmark, with the
 * Pareto frontier: the (platform, model) choices no other choice beats on both accuracy and energy.
 */
export function paretoAccuracyEnergyFigure(inputs: FigureInputs): FigureSpec {
  const v = new PaperValues(inputs.cells);
  const widthPx = 1100;
  const heightPx = 480;
  const data: Data[] = [];
  const chance: NonNullable<Layout["annotations"]> = [];
  const energies = BENCHMARKS.map((b) => benchmarkPoints(v, inputs, b).map((q) => q.energyWh));
  BENCHMARKS.forEach((b, i) => {
    data.push(...benchmarkTraces(benchmarkPoints(v, inputs, b), b, i));
    const [lo, hi] = logRange(energies[i]!);
    const lines = chanceLines([b], i === 0 ? "" : String(i + 1), [10 ** lo, 10 ** hi]);
    data.push(...lines.data);
    chance.push(...lines.annotations);
  });
  data.push(...modelLegendKeys());
  const grid = gridAxes(
    1,
    BENCHMARKS.length,
    (i) => logAxis("Energy per inference (Wh)", {}, energies[i]),
    () => axis("Accuracy (%)"),
  );
  const layout: Partial<Layout> = {
    ...baseLayout("Accuracy vs energy per inference, with the Pareto frontier", widthPx, heightPx),
    ...grid,
    legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top", font: { size: 12 } },
    margin: { l: 70, r: 20, t: 90, b: 120 },
    annotations: [
      ...BENCHMARKS.map((b, c) => {
        const xa = (grid as Record<string, { domain: [number, number] }>)[c === 0 ? "xaxis" : `xaxis${c + 1}`]!.domain;
        return panelTitle(BENCHMARK_LABELS[b], xa, 1.01);
      }),
      ...chance,
    ],
  };
  return {
    name: "pareto-accuracy-energy",
    title: "Accuracy vs energy per inference (Pareto view)",
    caption:
      "Each point is one model on one platform (colour: platform, symbol: model): published accuracy (%) against " +
      "energy per " +
      "inference (published benchmark energy ÷ inferences, Wh, log scale). The dashed staircase is the Pareto " +
      "frontier; " +
      "frontier points are outlined in black. Dotted: chance, the accuracy of guessing at random (25 % on four " +
      "choices, 50 % on Winogrande's two). Up and left is better.",
    data,
    layout,
    widthPx,
    heightPx,
  };
}
