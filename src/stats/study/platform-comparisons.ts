import { PAPER_PLATFORMS, platformKey } from "../../domain/ids.js";
import { holmAdjust } from "../adjust-p.js";
import { geometricMeanRatio, pairedBootstrapInterval, type BootstrapOptions } from "../bootstrap.js";
import type { Estimate } from "../types.js";
import { wilcoxonSignedRank } from "../wilcoxon-signed-rank.js";
import type { StudyObservation } from "./observations.js";

/** Paired comparison of two platforms on a per-inference cost, over the (model, benchmark) cells both ran. */
export interface PlatformComparison {
  platformA: string;
  platformB: string;
  metric: "energyPerInferenceWh" | "latencyS";
  /** Number of (model, benchmark) pairs. */
  pairs: number;
  /** Geometric mean of A/B with a paired-bootstrap 95 % interval (resampling the pairs). */
  ratio: Estimate;
  /** Smallest and largest A/B over the pairs. */
  ratioMin: number;
  ratioMax: number;
  /** Pairs where A costs less than B. */
  aCheaper: number;
  /** Wilcoxon signed-rank test of ln A − ln B. */
  wPlus: number;
  pValue: number;
  pHolm: number;
  /** Matched-pairs rank-biserial correlation of ln(A/B): −1 = A cheaper in every pair. */
  rankBiserial: number;
  /** Mean ln(A/B) over its standard deviation: a paired Cohen's d on the log scale. */
  cohensDz: number;
}

/**
 * Every pair of the study's platforms, compared on a per-inference cost paired over model ×
 * benchmark (12 pairs): the geometric-mean ratio with a seeded paired bootstrap, an exact
 * Wilcoxon signed-rank test on log ratios, effect sizes, and Holm over the platform pairs.
 */
export function comparePlatforms(
  observations: readonly StudyObservation[],
  metric: PlatformComparison["metric"] = "energyPerInferenceWh",
  options: BootstrapOptions & { platforms?: readonly string[] } = {},
): PlatformComparison[] {
  const platforms = options.platforms ?? PAPER_PLATFORMS.map(platformKey);
  const by = new Map<string, number>();
  for (const o of observations) by.set(`${o.platform}|${o.model}|${o.benchmark}`, o[metric]);
  const cells = [...new Set(observations.map((o) => `${o.model}|${o.benchmark}`))];
  const raw: Omit<PlatformComparison, "pHolm">[] = [];
  for (let i = 0; i < platforms.length; i++) {
    for (let j = i + 1; j < platforms.length; j++) {
      const pa = platforms[i]!;
      const pb = platforms[j]!;
      const a: number[] = [];
      const b: number[] = [];
      for (const c of cells) {
        const x = by.get(`${pa}|${c}`);
        const y = by.get(`${pb}|${c}`);
        if (x === undefined || y === undefined) continue;
        a.push(x);
        b.push(y);
      }
      if (a.length === 0) continue;
      const logRatios = a.map((x, k) => Math.log(x) - Math.log(b[k]!));
      const ratios = a.map((x, k) => x / b[k]!);
      const w = wilcoxonSignedRank(logRatios);
      const m = logRatios.reduce((s, v) => s + v, 0) / logRatios.length;
      const sd = Math.sqrt(logRatios.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, logRatios.length - 1));
      raw.push({
        platformA: pa,
        platformB: pb,
        metric,
        pairs: a.length,
        ratio: pairedBootstrapInterval(a, b, geometricMeanRatio, options),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
        aCheaper: ratios.filter((r) => r < 1).length,
        wPlus: w.wPlus,
        pValue: w.pValue,
        rankBiserial: w.rankBiserial,
        cohensDz: sd === 0 ? (m === 0 ? 0 : Math.sign(m) * Infinity) : m / sd,
      });
    }
  }
  const holm = holmAdjust(raw.map((r) => r.pValue));
  return raw.map((r, k) => ({ ...r, pHolm: holm[k]! }));
}
