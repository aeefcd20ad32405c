import type { Data } from "plotly.js-dist";
import type { Backend } from "../../domain/ids.js";
import type { FigureSpec } from "../types.js";
import { baseLayout, logAxis, platformColor } from "../theme.js";
import type { PredictReport } from "../../model/predict.js";

/** Predicted energy vs latency per inference of what-if predictions, with 90% intervals. */
export function whatIfFigure(reports: readonly { label: string; report: PredictReport }[], title: string): FigureSpec {
  const symbols = ["circle", "square", "diamond", "triangle-up", "pentagon", "star"];
  const modeIndex = new Map<string, number>();
  const symbolOf = (r: PredictReport): string => {
    if (!r.memory.fits) return "x";
    const key = `${r.inputs.device}/${r.inputs.backend}`;
    const seen = [...modeIndex.keys()].filter((k) => k.startsWith(`${key}/`)).length;
    const id = `${key}/${r.inputs.powerMode}`;
    if (!modeIndex.has(id)) modeIndex.set(id, seen);
    return symbols[(modeIndex.get(id) as number) % symbols.length] as string;
  };
  const data: Data[] = reports.map(
    ({ label, report: r }) =>
      ({
        type: "scatter",
        mode: "markers",
        name: label,
        x: [r.latencyS],
        y: [r.energyWh],
        error_x: {
          type: "data",
          symmetric: false,
          array: [r.interval.high.latencyS - r.latencyS],
          arrayminus: [r.latencyS - r.interval.low.latencyS],
        },
        error_y: {
          type: "data",
          symmetric: false,
          array: [r.interval.high.energyWh - r.energyWh],
          arrayminus: [r.energyWh - r.interval.low.energyWh],
        },
        marker: {
          size: 10,
          symbol: symbolOf(r),
          color: platformColor({ device: r.inputs.device as never, backend: r.inputs.backend as Backend }),
        },
      }) as Data,
  );
  const layout = baseLayout(title, 900, 480);
  Object.assign(layout, {
    xaxis: logAxis("predicted latency per inference (s)"),
    yaxis: logAxis("predicted energy per inference (Wh)"),
  });
  return {
    name: "model-what-if",
    title,
    caption:
      "Predicted latency and energy of one inference with 90% prediction intervals. Colour: board and backend; " +
      "symbol: power mode; × marks a configuration whose weights and KV cache do not fit the board's RAM.",
    data,
    layout,
    widthPx: 900,
    heightPx: 480,
  };
}
