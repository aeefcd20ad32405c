import { formatCsv } from "../../io/csv.js";
import type { AccuracyComparison, PlatformAccuracyComparison } from "./accuracy-comparisons.js";
import type { Frontier } from "./frontiers.js";
import type { StudyObservation } from "./observations.js";
import type { PlatformComparison } from "./platform-comparisons.js";
import type { ScalingFit } from "./scaling.js";

/** Round for a table: 6 significant digits keeps files readable and byte-stable. */
const r6 = (x: number): number | string => (Number.isFinite(x) ? Number(x.toPrecision(6)) : "");

/** One row per measured cell: accuracy with its Wilson interval, costs with their rounding intervals. */
export function observationsCsv(os: readonly StudyObservation[]): string {
  return formatCsv(
    [
      "platform",
      "model",
      "benchmark",
      "inferences",
      "correct",
      "accuracy_pct",
      "accuracy_lo_pct",
      "accuracy_hi_pct",
      "energy_per_inference_wh",
      "energy_per_inference_lo_wh",
      "energy_per_inference_hi_wh",
      "latency_s",
      "latency_lo_s",
      "latency_hi_s",
      "edp_per_inference_js",
      "edp_per_inference_lo_js",
      "edp_per_inference_hi_js",
      "discrepant_published",
    ],
    os.map((o) => ({
      platform: o.platform,
      model: o.model,
      benchmark: o.benchmark,
      inferences: o.inferences,
      correct: o.correct,
      accuracy_pct: o.accuracyPct,
      accuracy_lo_pct: r6(o.accuracyCi.lo),
      accuracy_hi_pct: r6(o.accuracyCi.hi),
      energy_per_inference_wh: r6(o.energyPerInferenceWh),
      energy_per_inference_lo_wh: r6(o.energyPerInferenceWhRange.lo),
      energy_per_inference_hi_wh: r6(o.energyPerInferenceWhRange.hi),
      latency_s: o.latencyS,
      latency_lo_s: r6(o.latencyRangeS.lo),
      latency_hi_s: r6(o.latencyRangeS.hi),
      edp_per_inference_js: r6(o.edpPerInferenceJs),
      edp_per_inference_lo_js: r6(o.edpPerInferenceRangeJs.lo),
      edp_per_inference_hi_js: r6(o.edpPerInferenceRangeJs.hi),
      discrepant_published: o.discrepantPublished.join("; "),
    })),
  );
}

/** One row per model pair per (platform, benchmark). */
export function accuracyComparisonsCsv(cs: readonly AccuracyComparison[]): string {
  return formatCsv(
    [
      "platform",
      "benchmark",
      "model_a",
      "model_b",
      "accuracy_a_pct",
      "accuracy_b_pct",
      "n",
      "difference_pp",
      "difference_lo_pp",
      "difference_hi_pp",
      "cohens_h",
      "effect",
      "z",
      "p",
      "p_holm",
      "p_bh",
      "significant_holm",
    ],
    cs.map((c) => ({
      platform: c.platform,
      benchmark: c.benchmark,
      model_a: c.modelA,
      model_b: c.modelB,
      accuracy_a_pct: c.accuracyPctA,
      accuracy_b_pct: c.accuracyPctB,
      n: c.inferences,
      difference_pp: r6(c.differencePp.estimate),
      difference_lo_pp: r6(c.differencePp.lo),
      difference_hi_pp: r6(c.differencePp.hi),
      cohens_h: r6(c.cohensH),
      effect: c.effect,
      z: r6(c.z),
      p: r6(c.pValue),
      p_holm: r6(c.pHolm),
      p_bh: r6(c.pBh),
      significant_holm: c.significant,
    })),
  );
}

/** One row per (model, benchmark, platform pair): the same model should score the same everywhere. */
export function platformAccuracyConsistencyCsv(cs: readonly PlatformAccuracyComparison[]): string {
  return formatCsv(
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
    cs.map((c) => ({
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
  );
}

/** One row per platform pair and metric. */
export function platformComparisonsCsv(cs: readonly PlatformComparison[]): string {
  return formatCsv(
    [
      "metric",
      "platform_a",
      "platform_b",
      "pairs",
      "ratio_geomean",
      "ratio_lo",
      "ratio_hi",
      "ratio_min",
      "ratio_max",
      "a_cheaper",
      "wilcoxon_w_plus",
      "p",
      "p_holm",
      "rank_biserial",
      "cohens_dz_log",
      "bootstrap_resamples",
      "bootstrap_seed",
    ],
    cs.map((c) => ({
      metric: c.metric,
      platform_a: c.platformA,
      platform_b: c.platformB,
      pairs: c.pairs,
      ratio_geomean: r6(c.ratio.estimate),
      ratio_lo: r6(c.ratio.lo),
      ratio_hi: r6(c.ratio.hi),
      ratio_min: r6(c.ratioMin),
      ratio_max: r6(c.ratioMax),
      a_cheaper: c.aCheaper,
      wilcoxon_w_plus: c.wPlus,
      p: r6(c.pValue),
      p_holm: r6(c.pHolm),
      rank_biserial: r6(c.rankBiserial),
      cohens_dz_log: r6(c.cohensDz),
      bootstrap_resamples: "resamples" in c.ratio ? (c.ratio as { resamples: number }).resamples : "",
      bootstrap_seed: "seed" in c.ratio ? (c.ratio as { seed: number }).seed : "",
    })),
  );
}

/** One row per candidate per frontier. */
export function frontiersCsv(fs: readonly Frontier[]): string {
  const rows = fs.flatMap((f) =>
    f.points.map((p) => ({
      frontier_platform: f.platform,
      benchmark: f.benchmark,
      cost_metric: f.cost === "energyPerInferenceWh" ? "energy_per_inference_wh" : "latency_s",
      platform: p.platform,
      model: p.model,
      cost: r6(p.cost),
      accuracy_pct: p.accuracyPct,
      on_frontier: p.onFrontier,
      status_with_uncertainty: p.status,
    })),
  );
  return formatCsv(
    [
      "frontier_platform",
      "benchmark",
      "cost_metric",
      "platform",
      "model",
      "cost",
      "accuracy_pct",
      "on_frontier",
      "status_with_uncertainty",
    ],
    rows,
  );
}

/** One row per fit. */
export function scalingFitsCsv(fs: readonly ScalingFit[]): string {
  return formatCsv(
    [
      "platform",
      "benchmark",
      "response",
      "predictor",
      "n",
      "df",
      "exponent",
      "exponent_lo",
      "exponent_hi",
      "exponent_se",
      "r_squared",
    ],
    fs.map((f) => ({
      platform: f.platform,
      benchmark: f.benchmark ?? "all (benchmark intercepts)",
      response: f.response === "energyPerInferenceWh" ? "energy_per_inference_wh" : "latency_s",
      predictor:
        f.predictor === "nominalB"
          ? "nominal_parameters_b"
          : f.predictor === "parametersB"
            ? "real_parameters_b"
            : "decode_bytes_per_token",
      n: f.fit.n,
      df: f.fit.df,
      exponent: r6(f.fit.exponent.estimate),
      exponent_lo: r6(f.fit.exponent.lo),
      exponent_hi: r6(f.fit.exponent.hi),
      exponent_se: r6(f.fit.exponentSe),
      r_squared: r6(f.fit.rSquared),
    })),
  );
}
