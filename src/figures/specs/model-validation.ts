import type { Data } from "plotly.js-dist";
import { isModelId, platformLabel, MODEL_LABELS, type Backend } from "../../domain/ids.js";
import type { FigureSpec } from "../types.js";
import { cornerLabel, parityDiagonal } from "../layout-helpers.js";
import { baseLayout, logAxis, axis, MODEL_SYMBOLS, platformColor } from "../theme.js";
import type { ValidationReport, ValidationCell, ValueCheck } from "../../model/validate.js";

/**
 * Figures of a validation of the calibrated model: parity of held-out predictions against
 * measurements (ours and both baselines) and residuals by platform and model. `metric` is the
 * name the figure files carry (`latency_s` or `energy_wh`).
 */
type Which = "model" | "statistical" | "rooflineUncalibrated";
type Metric = "latency_s" | "energy_wh";

const KEY = { latency_s: "latencyS", energy_wh: "energyWh" } as const;

const pick = (c: ValidationCell, which: Which, metric: Metric): ValueCheck =>
  which === "model" ? c[KEY[metric]] : c.baselines[which][KEY[metric]];

const platformOfCell = (c: ValidationCell) => ({ device: c.device as never, backend: c.backend as Backend });

/** The traces of the parity panels: a dotted diagonal, then one marker trace per platform. */
function parityTraces(
  r: ValidationReport,
  metric: Metric,
  panels: readonly [Which, string][],
  lo: number,
  hi: number,
): Data[] {
  const data: Data[] = [];
  const keys = [...new Set(r.cells.map((c) => `${c.device}/${c.backend}`))];
  panels.forEach(([which], k) => {
    const ax = k === 0 ? "" : String(k + 1);
    data.push(parityDiagonal(ax, lo, hi));
    for (const key of keys) {
      const cells = r.cells.filter((c) => `${c.device}/${c.backend}` === key);
      const v = cells.map((c) => pick(c, which, metric));
      const s = (values: number[], label: string) =>
        values.map((x, i) => `${label}: ${cells[i]!.model} ${cells[i]!.benchmark}: ${x.toPrecision(3)}`);
      data.push({
        type: "scatter",
        mode: "markers",
        name: platformLabel(platformOfCell(cells[0]!)),
        legendgroup: key,
        showlegend: k === 0,
        x: v.map((x) => x.measured),
        y: v.map((x) => x.predicted),
        text: s(
          v.map((x) => x.apePct),
          "APE %",
        ),
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        marker: {
          color: platformColor(platformOfCell(cells[0]!)),
          symbol: cells.map((c) => (isModelId(c.model) ? MODEL_SYMBOLS[c.model] : "circle")),
          size: 8,
          line: { width: 0.5, color: "#333" },
        },
      } as Data);
    }
  });
  return data;
}

/** Measured vs predicted (log–log) for the held-out cells of a validation, one panel per predictor. */
export function parityFigure(r: ValidationReport, metric: Metric): FigureSpec {
  const panels: [Which, string][] = [
    ["model", "calibrated model"],
    ["statistical", "statistical baseline"],
    ["rooflineUncalibrated", "uncalibrated roofline"],
  ];
  const all = r.cells
    .flatMap((c) => panels.map(([w]) => pick(c, w, metric)))
    .flatMap((v) => [v.measured, v.predicted])
    .filter((x) => x > 0);
  const lo = Math.min(...all) / 1.5;
  const hi = Math.max(...all) * 1.5;
  const data = parityTraces(r, metric, panels, lo, hi);
  const unit = metric === "latency_s" ? "latency per inference (s)" : "energy per inference (Wh)";
  const mape = (w: Which) =>
    (w === "model"
      ? r[metric === "latency_s" ? "latency" : "energy"]
      : r.baselines[w][metric === "latency_s" ? "latency" : "energy"]
    ).mapePct;
  const layout = baseLayout(
    `Held-out ${metric === "latency_s" ? "latency" : "energy"} (${r.scheme}): measured vs predicted`,
    1100,
    420,
  );
  const range: [number, number] = [Math.log10(lo), Math.log10(hi)];
  Object.assign(layout, {
    grid: { rows: 1, columns: 3, pattern: "independent" },
    annotations: panels.map(([w, title], k) =>
      cornerLabel(`${title}<br>MAPE ${mape(w).toFixed(1)}%`, k === 0 ? "" : String(k + 1)),
    ),
  });
  panels.forEach((_, k) => {
    const ax = k === 0 ? "" : String(k + 1);
    (layout as Record<string, unknown>)[`xaxis${ax}`] = logAxis(`measured ${unit}`, { range });
    (layout as Record<string, unknown>)[`yaxis${ax}`] = logAxis(k === 0 ? `predicted ${unit}` : "", { range });
  });
  return {
    name: `model-parity-${metric === "latency_s" ? "latency" : "energy"}-${r.scheme}`,
    title: `Held-out ${metric === "latency_s" ? "latency" : "energy"}, ${r.scheme}`,
    caption:
      `Each point is one held-out (platform, model, benchmark) cell of ${r.scheme} cross-validation: ` +
      "the measured value from the paper against the prediction of a fit that never saw it. " +
      "Colour: platform; symbol: model; dotted: perfect prediction.",
    data,
    layout,
    widthPx: 1100,
    heightPx: 420,
  };
}

/** ln(predicted / measured) of held-out cells, grouped by platform (x) with one trace per model. */
export function residualFigure(r: ValidationReport, metric: Metric): FigureSpec {
  const models = [...new Set(r.cells.map((c) => c.model))];
  const cats = [...new Set(r.cells.map((c) => `${c.device}/${c.backend}`))];
  const label = (key: string) => {
    const [device, backend] = key.split("/") as [string, Backend];
    return platformLabel({ device: device as never, backend });
  };
  const data: Data[] = models.map((m) => {
    const cells = r.cells.filter((c) => c.model === m);
    return {
      type: "box",
      name: isModelId(m) ? MODEL_LABELS[m] : m,
      x: cells.map((c) => label(`${c.device}/${c.backend}`)),
      y: cells.map((c) => 100 * (c[KEY[metric]].predicted / c[KEY[metric]].measured - 1)),
      boxpoints: "all",
      jitter: 0.3,
      pointpos: 0,
      marker: { symbol: isModelId(m) ? MODEL_SYMBOLS[m] : "circle", size: 6 },
    };
  });
  const layout = baseLayout(
    `Held-out ${metric === "latency_s" ? "latency" : "energy"} error by platform and model (${r.scheme})`,
    900,
    420,
  );
  Object.assign(layout, {
    boxmode: "group",
    xaxis: axis("platform", { categoryorder: "array", categoryarray: cats.map(label) }),
    yaxis: axis("prediction error (%), predicted / measured − 1", { zeroline: true }),
  });
  return {
    name: `model-residuals-${metric === "latency_s" ? "latency" : "energy"}-${r.scheme}`,
    title: `Prediction error by platform and model, ${r.scheme}`,
    caption:
      "Signed error of each held-out cell's prediction, three benchmarks per box. " +
      "Positive: the model predicts more than was measured.",
    data,
    layout,
    widthPx: 900,
    heightPx: 420,
  };
}
