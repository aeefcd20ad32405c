import { inferenceCounts } from "../paper/inferences.js";
import type { PaperData } from "../paper/types.js";
import { DEFAULT_CONFIDENCE } from "../stats/types.js";
import { CLAIMS_BOOTSTRAP_RESAMPLES, CLAIMS_SEED } from "./evaluate.js";
import type { ClaimsMethod } from "./report.js";
import type { ClaimInputs } from "./types.js";

/** The method notes of a claims report: n per benchmark, bootstrap seed and size, confidence, family size. */
export function claimsMethod(paper: PaperData, inputs: ClaimInputs): ClaimsMethod {
  return {
    inferences: inferenceCounts(paper.cells),
    bootstrapSeed: CLAIMS_SEED,
    bootstrapResamples: CLAIMS_BOOTSTRAP_RESAMPLES,
    confidence: DEFAULT_CONFIDENCE,
    accuracyComparisons: inputs.accuracyComparisons.length,
  };
}
