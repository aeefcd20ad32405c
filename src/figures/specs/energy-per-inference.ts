import { energyPerInferenceWh } from "../../metrics/energy.js";
import { PaperValues, type FigureInputs } from "../inputs.js";
import type { FigureSpec } from "../types.js";
import { platformBarsFigure } from "./platform-bars.js";

/**
 * The paper's "Energy Consumption Per Inference": total benchmark energy (consolidated table,
 * Wh) divided by the inferences the benchmark ran, per platform, model and benchmark.
 */
export function energyPerInferenceFigure(inputs: FigureInputs): FigureSpec {
  const v = new PaperValues(inputs.cells);
  return platformBarsFigure({
    name: "energy-per-inference",
    title: "Energy per inference",
    caption:
      "Energy per inference = published benchmark energy (consolidated table, Wh) ÷ inferences the benchmark ran " +
      `(as the tables imply: MMLU ${inputs.inferences.mmlu}, HellaSwag ${inputs.inferences.hellaswag}, Winogrande ` +
      `${inputs.inferences.winogrande}). Log scale.`,
    rows: [
      {
        yTitle: () => "Energy per inference (Wh)",
        unit: () => "Wh",
        value: (p, m, b) => {
          const e = v.get("consolidated", p, m, b, "energy_wh");
          return e === undefined ? undefined : energyPerInferenceWh(e, inputs.inferences[b]);
        },
      },
    ],
    rowHeightPx: 380,
  });
}
