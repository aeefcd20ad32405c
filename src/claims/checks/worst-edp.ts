import { discrepantCells, fmt, modelName, platformName } from "../lookup.js";
import type { ClaimCheck, ClaimVerdict } from "../types.js";

/**
 * "Worst EDP: Phi-3 Mini, 1.83 × 10¹⁰, least efficient overall (MMLU / Jetson Nano)." The cell with
 * the largest EDP per inference recomputed from the primaries must be that one; the printed
 * value is compared with what the primaries imply.
 */
export const worstEdp: ClaimCheck = (inputs) => {
  const os = inputs.observations;
  const sorted = [...os].sort((a, b) => b.edpPerInferenceJs - a.edpPerInferenceJs);
  const worst = sorted[0]!;
  const second = sorted[1]!;
  const isClaimed = worst.platform === "jetson-nano/cpu" && worst.model === "phi-3-mini" && worst.benchmark === "mmlu";
  const surely = worst.edpPerInferenceRangeJs.lo > second.edpPerInferenceRangeJs.hi;
  const discrepant = discrepantCells(
    inputs,
    (c) => c.device === "jetson-nano" && c.model === "phi-3-mini" && c.benchmark === "mmlu" && c.metric === "edp_js",
  );
  const verdict: ClaimVerdict = isClaimed && surely ? "supported" : isClaimed ? "partly supported" : "not supported";
  return {
    id: "worst-edp",
    statement: "Worst EDP: Phi-3 Mini (3.8B), 1.83 × 10¹⁰, least efficient overall (MMLU / Jetson Nano).",
    source: { line: 235, section: "Model Efficiency" },
    test:
      "The largest EDP per inference over all 48 (platform, model, benchmark) cells, recomputed from printed " +
      "energy and latency with their rounding.",
    verdict,
    finding:
      `The least efficient cell is ${modelName(worst.model)} on ${worst.benchmark} on ` +
      `${platformName(worst.platform)} (${fmt(worst.edpPerInferenceJs)} J·s per inference), ` +
      `${fmt(worst.edpPerInferenceJs / second.edpPerInferenceJs)}× the runner-up ` +
      `(${modelName(second.model)} ${second.benchmark} on ${platformName(second.platform)}). ` +
      (discrepant.length > 0
        ? `The ranking holds, but the printed value rests on a discrepant cell: ${discrepant.join("; ")}.`
        : "The printed value agrees with the primaries."),
    evidence: [
      {
        label: `EDP per inference, ${worst.model} ${worst.benchmark} ${worst.platform}`,
        value: worst.edpPerInferenceJs,
        lo: worst.edpPerInferenceRangeJs.lo,
        hi: worst.edpPerInferenceRangeJs.hi,
        unit: "J·s",
        note: "rounding",
      },
      {
        label: `runner-up, ${second.model} ${second.benchmark} ${second.platform}`,
        value: second.edpPerInferenceJs,
        lo: second.edpPerInferenceRangeJs.lo,
        hi: second.edpPerInferenceRangeJs.hi,
        unit: "J·s",
        note: "rounding",
      },
    ],
    restsOnDiscrepant: discrepant,
  };
};
