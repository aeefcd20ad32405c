import { BENCHMARKS, type ModelId } from "../../domain/ids.js";
import { fmt, modelName } from "../lookup.js";
import type { ClaimCheck, ClaimVerdict } from "../types.js";

/**
 * "Llama 3.2 provide maximum accuracy compared to energy usage." Accuracy per Wh (correct answers
 * per Wh of inference energy) is compared across models within each (platform, benchmark); a
 * model is *surely* best when its lower bound (Wilson low accuracy over the high end of the energy
 * rounding) beats every other model's upper bound.
 */
export const bestAccuracyPerEnergy: ClaimCheck = (inputs) => {
  const os = inputs.observations;
  const platforms = [...new Set(os.map((o) => o.platform))];
  const winners = new Map<ModelId, number>();
  let cells = 0;
  let llamaSure = 0;
  const losses: string[] = [];
  const logRatio = new Map<ModelId, number>();
  for (const p of platforms) {
    for (const b of BENCHMARKS) {
      const here = os.filter((o) => o.platform === p && o.benchmark === b);
      if (here.length < 2) continue;
      cells++;
      const perWh = (o: (typeof here)[number]): number => o.accuracyPct / 100 / o.energyPerInferenceWh;
      const best = here.reduce((a, c) => (perWh(c) > perWh(a) ? c : a));
      winners.set(best.model, (winners.get(best.model) ?? 0) + 1);
      const llama = here.find((o) => o.model === "llama-3.2-1b");
      if (llama) {
        const lo = llama.accuracyCi.lo / 100 / llama.energyPerInferenceWhRange.hi;
        if (here.filter((o) => o !== llama).every((o) => lo > o.accuracyCi.hi / 100 / o.energyPerInferenceWhRange.lo))
          llamaSure++;
        if (best !== llama)
          losses.push(
            `${b} on ${p}: ${modelName(best.model)} ${fmt(perWh(best))} vs Llama 3.2 ${fmt(perWh(llama))} correct/Wh`,
          );
        for (const o of here) logRatio.set(o.model, (logRatio.get(o.model) ?? 0) + Math.log(perWh(o) / perWh(llama)));
      }
    }
  }
  const llamaWins = winners.get("llama-3.2-1b") ?? 0;
  const verdict: ClaimVerdict =
    llamaWins === cells ? "supported" : llamaWins > cells / 2 ? "partly supported" : "not supported";
  const others = [...logRatio.entries()].filter(([m]) => m !== "llama-3.2-1b");
  return {
    id: "best-accuracy-per-energy-model",
    statement: "Llama 3.2 provides maximum accuracy compared to energy usage.",
    source: { line: 262, section: "Prediction Accuracy Per Watt-Hour (figure)" },
    test:
      "Correct answers per Wh (accuracy ÷ energy per inference) of the four models within each (platform, " +
      "benchmark); Wilson intervals on accuracy and rounding on energy decide whether a lead is sure.",
    verdict,
    finding:
      `Llama 3.2 has the most correct answers per Wh in ${llamaWins} of ${cells} (platform, benchmark) ` +
      `cells, surely (beyond the accuracy's Wilson interval and the energy's rounding) in ${llamaSure}. ` +
      (losses.length > 0 ? `It loses in: ${losses.join("; ")}. ` : "") +
      `Relative to Llama 3.2, geometric mean over cells: ` +
      `${others.map(([m, s]) => `${modelName(m)} ${fmt(Math.exp(s / cells))}×`).join(", ")}.`,
    evidence: [
      ...[...winners.entries()].map(([m, k]) => ({
        label: `cells where ${modelName(m)} has the most correct answers per Wh`,
        value: k,
        unit: `of ${cells}`,
      })),
      {
        label: "cells where Llama 3.2 leads beyond uncertainty",
        value: llamaSure,
        unit: `of ${cells}`,
        note: "Wilson 95 % × rounding intervals",
      },
      ...others.map(([m, s]) => ({
        label: `${modelName(m)} correct answers per Wh relative to Llama 3.2 (geometric mean)`,
        value: Math.exp(s / cells),
        unit: "×",
      })),
    ],
    restsOnDiscrepant: [],
  };
};
