import { BENCHMARKS, type ModelId } from "../../domain/ids.js";
import { printedInterval } from "../../stats/rounding.js";
import { discrepantCells, fmt, modelName, ORIN_GPU, platformName } from "../lookup.js";
import type { ClaimCheck, ClaimEvidence, ClaimInputs, ClaimVerdict } from "../types.js";

/**
 * "Jetson Orin Nano (GPU) … lowest Energy-Delay Product and Watt-hours per Billion Parameters."
 * Tested cell by cell: for each (model, benchmark), the energy-delay product of one inference
 * recomputed from the primaries (energy per inference × latency, with their rounding) on the four
 * platforms; the Orin GPU must be lowest, surely so when its interval lies below every other.
 * Wh/B is checked on the published normalized table, each value as its rounding interval.
 */
/** Per (model, benchmark): does the Orin GPU have the lowest EDP per inference, and by how much. */
function edpWins(os: ClaimInputs["observations"], models: readonly ModelId[]) {
  let cells = 0;
  let won = 0;
  let surely = 0;
  let minMargin = Infinity;
  let minMarginAt = "";
  let logMargins = 0;
  for (const m of models) {
    for (const b of BENCHMARKS) {
      const here = os.filter((o) => o.model === m && o.benchmark === b);
      const gpu = here.find((o) => o.platform === ORIN_GPU);
      const others = here.filter((o) => o.platform !== ORIN_GPU);
      if (!gpu || others.length === 0) continue;
      cells++;
      const runnerUp = others.reduce((a, c) => (c.edpPerInferenceJs < a.edpPerInferenceJs ? c : a));
      if (gpu.edpPerInferenceJs < runnerUp.edpPerInferenceJs) won++;
      if (others.every((o) => gpu.edpPerInferenceRangeJs.hi < o.edpPerInferenceRangeJs.lo)) surely++;
      const margin = runnerUp.edpPerInferenceJs / gpu.edpPerInferenceJs;
      logMargins += Math.log(margin);
      if (margin < minMargin) {
        minMargin = margin;
        minMarginAt = `${modelName(m)} on ${b}, runner-up ${platformName(runnerUp.platform)}`;
      }
    }
  }
  return { cells, won, surely, minMargin, minMarginAt, logMargins };
}

/** Wh/B from the normalized table, one value per (platform, model): models where the Orin GPU is surely lowest. */
function whbWins(inputs: ClaimInputs, models: readonly ModelId[]): { whbModels: number; whbWon: number } {
  const whb = inputs.paper.cells.filter((c) => c.table === "normalized" && c.metric === "wh_per_b");
  let whbModels = 0;
  let whbWon = 0;
  for (const m of models) {
    const mine = whb.filter((c) => c.model === m);
    const gpu = mine.find((c) => `${c.device}/${c.backend}` === ORIN_GPU);
    if (!gpu) continue;
    whbModels++;
    const g = printedInterval(gpu.printed);
    if (mine.filter((c) => c !== gpu).every((c) => g.hi < printedInterval(c.printed).lo)) whbWon++;
  }
  return { whbModels, whbWon };
}

export const bestEdpPlatform: ClaimCheck = (inputs) => {
  const os = inputs.observations;
  const models = [...new Set(os.map((o) => o.model))];
  const { cells, won, surely, minMargin, minMarginAt, logMargins } = edpWins(os, models);
  const { whbModels, whbWon } = whbWins(inputs, models);
  const verdict: ClaimVerdict =
    won === cells && whbWon === whbModels ? "supported" : won >= cells / 2 ? "partly supported" : "not supported";
  const evidence: ClaimEvidence[] = [
    {
      label: "(model, benchmark) cells where the Orin Nano GPU has the lowest EDP per inference",
      value: won,
      unit: `of ${cells}`,
    },
    {
      label: "… lowest beyond the rounding of the printed energy and latency",
      value: surely,
      unit: `of ${cells}`,
      note: "interval arithmetic on the printed primaries",
    },
    {
      label: "runner-up EDP / Orin Nano GPU EDP, geometric mean over cells",
      value: Math.exp(logMargins / cells),
      unit: "×",
    },
    { label: `smallest margin: ${minMarginAt}`, value: minMargin, unit: "×" },
    {
      label: "models whose published Wh/B is lowest on the Orin Nano GPU (beyond rounding)",
      value: whbWon,
      unit: `of ${whbModels}`,
    },
  ];
  const discrepant = discrepantCells(
    inputs,
    (c) => `${c.device}/${c.backend}` === ORIN_GPU && (c.metric === "edp_js" || c.metric === "edp_per_b"),
  );
  return {
    id: "best-edp-platform",
    statement:
      "GPU-accelerated Jetson Orin Nano offers the optimal balance: superior energy efficiency (lowest " +
      "Energy-Delay Product and Watt-hours per Billion Parameters).",
    source: { line: 284, section: "Conclusion and Takeaways" },
    test:
      "For every (model, benchmark), the EDP of one inference recomputed from printed energy and latency " +
      "(with their rounding intervals) on the four platforms; the published Wh/B per model.",
    verdict,
    finding:
      `The Orin Nano GPU has the lowest energy-delay product in ${won} of ${cells} (model, benchmark) cells ` +
      `(${surely} beyond rounding), ` +
      `by ${fmt(Math.exp(logMargins / cells))}× over the runner-up on geometric average and at least ` +
      `${fmt(minMargin)}× (${minMarginAt}); ` +
      `its Wh/B is lowest for ${whbWon} of ${whbModels} models. The verdict uses EDP recomputed from the ` +
      `primary cells: ` +
      `${discrepant.length} published EDP or EDP/B cells of this platform are discrepant, none changes the ranking.`,
    evidence,
    restsOnDiscrepant: discrepant,
  };
};
