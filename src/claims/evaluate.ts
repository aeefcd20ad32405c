import { runAudit } from "../audit/audit.js";
import type { AuditResult } from "../audit/types.js";
import type { PaperData } from "../paper/types.js";
import { compareModelAccuracies } from "../stats/study/accuracy-comparisons.js";
import { studyObservations } from "../stats/study/observations.js";
import { comparePlatforms } from "../stats/study/platform-comparisons.js";
import { bestAccuracyPerEnergy } from "./checks/best-accuracy-per-energy.js";
import { bestEdpPlatform } from "./checks/best-edp-platform.js";
import { gpuSpeedup } from "./checks/gpu-speedup.js";
import { hardwareFactors } from "./checks/hardware-factors.js";
import { phi3Cost } from "./checks/phi3-cost.js";
import { phi3Headline } from "./checks/phi3-headline.js";
import { thirtyThreeTimes } from "./checks/thirty-three-times.js";
import { tokensPerWhChampion } from "./checks/tokens-per-wh-champion.js";
import { worstEdp } from "./checks/worst-edp.js";
import type { ClaimCheck, ClaimInputs, ClaimResult } from "./types.js";

/** The paper's claims, in the order the slides make them. */
export const CLAIM_CHECKS: readonly ClaimCheck[] = [
  phi3Headline,
  tokensPerWhChampion,
  worstEdp,
  gpuSpeedup,
  thirtyThreeTimes,
  bestAccuracyPerEnergy,
  bestEdpPlatform,
  phi3Cost,
  hardwareFactors,
];

/** Seed of every bootstrap behind the claims: fixed, so the report is byte-stable. */
export const CLAIMS_SEED = 20240601;
/** Resamples of every bootstrap behind the claims. */
export const CLAIMS_BOOTSTRAP_RESAMPLES = 2000;

/** Derive every statistic the claims read from the paper (and its audit). */
export function claimInputs(paper: PaperData, audit: AuditResult = runAudit(paper)): ClaimInputs {
  const observations = studyObservations(paper, audit);
  return {
    paper,
    audit,
    observations,
    accuracyComparisons: compareModelAccuracies(observations),
    energyComparisons: comparePlatforms(observations, "energyPerInferenceWh", {
      seed: CLAIMS_SEED,
      resamples: CLAIMS_BOOTSTRAP_RESAMPLES,
    }),
    latencyComparisons: comparePlatforms(observations, "latencyS", {
      seed: CLAIMS_SEED,
      resamples: CLAIMS_BOOTSTRAP_RESAMPLES,
    }),
  };
}

/** Evaluate every claim of the paper against its primary data. */
export function evaluateClaims(inputs: ClaimInputs): ClaimResult[] {
  return CLAIM_CHECKS.map((check) => check(inputs));
}
