import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAudit } from "../audit/audit.js";
import type { AuditResult } from "../audit/types.js";
import { claimInputs, CLAIMS_SEED, evaluateClaims } from "../claims/evaluate.js";
import { claimsMethod } from "../claims/method.js";
import { claimsJson, claimsMarkdown } from "../claims/report.js";
import type { ClaimInputs } from "../claims/types.js";
import { readInferenceSamples, simulatedRunIds } from "../io/inference-samples.js";
import { loadPaper } from "../io/paper.js";
import type { PaperData } from "../paper/types.js";
import { stableJson } from "../report/format.js";
import { runUncertainty, runUncertaintyCsv } from "../stats/ingested.js";
import { compareAccuracyAcrossPlatforms } from "../stats/study/accuracy-comparisons.js";
import { paretoFrontiers } from "../stats/study/frontiers.js";
import { loadModelScales } from "../stats/study/model-scales.js";
import { scalingFits } from "../stats/study/scaling.js";
import {
  accuracyComparisonsCsv,
  frontiersCsv,
  observationsCsv,
  platformAccuracyConsistencyCsv,
  platformComparisonsCsv,
  scalingFitsCsv,
} from "../stats/study/tables.js";
import { PATHS } from "./paths.js";
import { outputFolder, type Written } from "./written.js";

/** The statistics tables behind the claims (`stats-*.csv`), by file name. */
function statsTables(root: string, inputs: ClaimInputs): [string, string][] {
  const obs = inputs.observations;
  return [
    ["stats-observations.csv", observationsCsv(obs)],
    ["stats-model-accuracy-comparisons.csv", accuracyComparisonsCsv(inputs.accuracyComparisons)],
    ["stats-platform-accuracy-consistency.csv", platformAccuracyConsistencyCsv(compareAccuracyAcrossPlatforms(obs))],
    [
      "stats-platform-comparisons.csv",
      platformComparisonsCsv([...inputs.energyComparisons, ...inputs.latencyComparisons]),
    ],
    ["stats-frontiers.csv", frontiersCsv(paretoFrontiers(obs))],
    ["stats-scaling-fits.csv", scalingFitsCsv(scalingFits(obs, loadModelScales(root)))],
  ];
}

/**
 * Write the claims report (`claims.md`, `claims.json`) and the statistics tables behind it
 * (`stats-*.csv`; `stats-ingested-runs.csv` with bootstrap intervals when `data/processed/inferences.csv`
 * exists) under `outDir` (default `figures/tables/`). Idempotent and atomic: unchanged
 * files are not rewritten. For `reproduce`.
 */
export function writeClaimsReport(
  root: string,
  outDir = join(root, PATHS.tablesDir),
  paper?: PaperData,
  audit?: AuditResult,
): Written[] {
  const p = paper ?? loadPaper(root);
  const a = audit ?? runAudit(p);
  const inputs = claimInputs(p, a);
  const claims = evaluateClaims(inputs);
  const method = claimsMethod(p, inputs);
  const out = outputFolder(root, outDir);
  out.put("claims.md", claimsMarkdown(claims, method));
  out.put("claims.json", stableJson(claimsJson(claims, method)));
  for (const [name, text] of statsTables(root, inputs)) out.put(name, text);
  // Ingested runs (slm-energy ingest → data/processed/inferences.csv): per-run bootstrap intervals.
  const ingested = join(root, PATHS.inferencesCsv);
  if (existsSync(ingested)) {
    const runs = runUncertainty(readInferenceSamples(ingested), { seed: CLAIMS_SEED });
    out.put("stats-ingested-runs.csv", runUncertaintyCsv(runs, simulatedRunIds(join(root, PATHS.runsCsv))));
  }
  return out.written;
}
