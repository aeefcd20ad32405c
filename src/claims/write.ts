import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { runAudit } from "../audit/audit.js";
import type { AuditResult } from "../audit/types.js";
import { loadPaper } from "../paper/load.js";
import { inferenceCounts } from "../paper/inferences.js";
import type { PaperData } from "../paper/types.js";
import { stableJson, TABLES_DIR, type Written } from "../report/write.js";
import { DEFAULT_CONFIDENCE } from "../stats/types.js";
import { readInferenceSamples, runUncertainty, runUncertaintyCsv, simulatedRunIds } from "../stats/ingested.js";
import { compareAccuracyAcrossPlatforms } from "../stats/study/accuracy-comparisons.js";
import { paretoFrontiers } from "../stats/study/frontiers.js";
import { loadModelScales } from "../stats/study/model-scales.js";
import { scalingFits } from "../stats/study/scaling.js";
import {
  accuracyComparisonsCsv,
  frontiersCsv,
  observationsCsv,
  platformComparisonsCsv,
  scalingFitsCsv,
} from "../stats/study/tables.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { formatCsv } from "../util/csv.js";
import { claimInputs, CLAIMS_BOOTSTRAP_RESAMPLES, CLAIMS_SEED, evaluateClaims } from "./evaluate.js";
import type { ClaimInputs } from "./types.js";
import { claimsJson, claimsMarkdown, type ClaimsMethod } from "./report.js";

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

/**
 * Write the claims report (`claims.md`, `claims.json`) and the statistics tables behind it
 * (`stats-*.csv`; `stats-ingested-runs.csv` with bootstrap intervals when `data/processed/inferences.csv`
 * exists) under `outDir` (default `figures/tables/`). Idempotent and atomic: unchanged
 * files are not rewritten. For `reproduce`.
 */
export function writeClaimsReport(
  root: string,
  outDir = join(root, TABLES_DIR),
  paper?: PaperData,
  audit?: AuditResult,
): Written[] {
  const p = paper ?? loadPaper(root);
  const a = audit ?? runAudit(p);
  const inputs = claimInputs(p, a);
  const claims = evaluateClaims(inputs);
  const method = claimsMethod(p, inputs);
  const out: Written[] = [];
  const put = (name: string, content: string): void => {
    const path = join(outDir, name);
    out.push({ path: relative(root, path) || path, changed: writeFileAtomic(path, content) });
  };
  put("claims.md", claimsMarkdown(claims, method));
  put("claims.json", stableJson(claimsJson(claims, method)));
  put("stats-observations.csv", observationsCsv(inputs.observations));
  put("stats-model-accuracy-comparisons.csv", accuracyComparisonsCsv(inputs.accuracyComparisons));
  const across = compareAccuracyAcrossPlatforms(inputs.observations);
  put(
    "stats-platform-accuracy-consistency.csv",
    formatCsv(
      [
        "model",
        "benchmark",
        "platform_a",
        "platform_b",
        "accuracy_a_pct",
        "accuracy_b_pct",
        "difference_pp",
        "p",
        "p_holm",
        "significant_holm",
      ],
      across.map((c) => ({
        model: c.model,
        benchmark: c.benchmark,
        platform_a: c.platformA,
        platform_b: c.platformB,
        accuracy_a_pct: c.accuracyPctA,
        accuracy_b_pct: c.accuracyPctB,
        difference_pp: Number(c.differencePp.estimate.toPrecision(6)),
        p: Number(c.pValue.toPrecision(6)),
        p_holm: Number(c.pHolm.toPrecision(6)),
        significant_holm: c.significant,
      })),
    ),
  );
  put(
    "stats-platform-comparisons.csv",
    platformComparisonsCsv([...inputs.energyComparisons, ...inputs.latencyComparisons]),
  );
  put("stats-frontiers.csv", frontiersCsv(paretoFrontiers(inputs.observations)));
  put("stats-scaling-fits.csv", scalingFitsCsv(scalingFits(inputs.observations, loadModelScales(root))));
  // Ingested runs (slm-energy ingest → data/processed/inferences.csv): per-run bootstrap intervals.
  const ingested = join(root, "data", "processed", "inferences.csv");
  if (existsSync(ingested))
    put(
      "stats-ingested-runs.csv",
      runUncertaintyCsv(
        runUncertainty(readInferenceSamples(ingested), { seed: CLAIMS_SEED }),
        simulatedRunIds(join(root, "data", "processed", "runs.csv")),
      ),
    );
  return out;
}
