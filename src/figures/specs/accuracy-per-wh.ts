import { perWh } from "../../metrics/energy.js";
import { PaperValues, type FigureInputs } from "../inputs.js";
import type { FigureSpec } from "../types.js";
import { platformBarsFigure } from "./platform-bars.js";

/**
 * The paper's "Prediction Accuracy Per Watt-Hour", made a quantity with a unit: correct
 * predictions per watt-hour = (accuracy % / 100 × inferences) / benchmark energy (Wh).
 */
export function accuracyPerWhFigure(inputs: FigureInputs): FigureSpec {
  const v = new PaperValues(inputs.cells);
  return platformBarsFigure({
    name: "accuracy-per-wh",
    title: "Prediction accuracy per watt-hour",
    caption:
      "Correct predictions per Wh = accuracy (%) / 100 × inferences ÷ benchmark energy (Wh), from the consolidated " +
      "table; " +
      "higher is better. Log scale.",
    rows: [
      {
        yTitle: () => "Correct predictions per Wh (1/Wh)",
        unit: () => "correct/Wh",
        value: (p, m, b) => {
          const acc = v.get("consolidated", p, m, b, "accuracy_pct");
          const e = v.get("consolidated", p, m, b, "energy_wh");
          if (acc === undefined || e === undefined) return undefined;
          return perWh((acc / 100) * inputs.inferences[b], e);
        },
      },
    ],
    rowHeightPx: 380,
  });
}
