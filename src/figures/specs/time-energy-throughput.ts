import { totalTimeS } from "../../metrics/time.js";
import { PaperValues, type FigureInputs } from "../inputs.js";
import type { FigureSpec } from "../types.js";
import { platformBarsFigure } from "./platform-bars.js";

/**
 * The paper's "Comparison of Total Time, Energy Consumption, and Tokens Per Second": per
 * benchmark, the run's total time (latency × inferences), its energy, and its throughput
 * (inferences/s for MMLU, which the paper calls ops/s; tokens/s for HellaSwag and Winogrande).
 */
export function timeEnergyThroughputFigure(inputs: FigureInputs): FigureSpec {
  const v = new PaperValues(inputs.cells);
  return platformBarsFigure({
    name: "time-energy-throughput",
    title: "Total time, energy and throughput per benchmark run",
    caption:
      "Total time = published latency per inference × inferences (s); energy = published benchmark energy (Wh); " +
      "throughput = published ops/s (MMLU, inferences per second) or tokens/s (HellaSwag, Winogrande). Log scales.",
    rows: [
      {
        yTitle: () => "Total time (s)",
        unit: () => "s",
        value: (p, m, b) => {
          const l = v.get("consolidated", p, m, b, "latency_s");
          return l === undefined ? undefined : totalTimeS(l, inputs.inferences[b]);
        },
      },
      {
        yTitle: () => "Energy (Wh)",
        unit: () => "Wh",
        value: (p, m, b) => v.get("consolidated", p, m, b, "energy_wh"),
      },
      {
        yTitle: (b) => (b === "mmlu" ? "Throughput (inferences/s)" : "Throughput (tokens/s)"),
        unit: (b) => (b === "mmlu" ? "inferences/s" : "tokens/s"),
        value: (p, m, b) => v.get("throughput", p, m, b, "throughput"),
      },
    ],
    rowHeightPx: 290,
  });
}
