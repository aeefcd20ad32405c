import type { AuditCell } from "../audit/types.js";
import {
  MODEL_LABELS,
  PAPER_PLATFORMS,
  platformKey,
  platformLabel,
  type Benchmark,
  type ModelId,
} from "../domain/ids.js";
import type { StudyObservation } from "../stats/study/observations.js";
import type { PlatformComparison } from "../stats/study/platform-comparisons.js";
import type { ClaimInputs } from "./types.js";

export const ORIN_GPU = "jetson-orin-nano/gpu";
export const ORIN_CPU = "jetson-orin-nano/cpu";
export const NANO_CPU = "jetson-nano/cpu";
export const PI5_CPU = "raspberry-pi-5/cpu";

/** Observation of one (platform, model, benchmark), or an internal error when the data lack it. */
export function observation(
  os: readonly StudyObservation[],
  platform: string,
  model: ModelId,
  benchmark: Benchmark,
): StudyObservation {
  const o = os.find((x) => x.platform === platform && x.model === model && x.benchmark === benchmark);
  if (!o) throw new Error(`no measured cell for ${platform} ${model} ${benchmark}`);
  return o;
}

/** The paper's label of a platform key ("jetson-orin-nano/gpu" → "Jetson Orin Nano (GPU)"). */
export function platformName(key: string): string {
  const p = PAPER_PLATFORMS.find((q) => platformKey(q) === key);
  if (!p) return key;
  // The Orin Nano runs both backends: say which.
  return p.device === "jetson-orin-nano" && p.backend === "cpu" ? `${platformLabel(p)} (CPU)` : platformLabel(p);
}

export const modelName = (m: ModelId): string => MODEL_LABELS[m];

/** The comparison of two platforms in either order, oriented as a/b. */
export function comparison(
  cs: readonly PlatformComparison[],
  a: string,
  b: string,
): { ratio: number; lo: number; hi: number; min: number; max: number; p: number; pHolm: number; pairs: number } {
  const c = cs.find((x) => x.platformA === a && x.platformB === b);
  if (c)
    return {
      ratio: c.ratio.estimate,
      lo: c.ratio.lo,
      hi: c.ratio.hi,
      min: c.ratioMin,
      max: c.ratioMax,
      p: c.pValue,
      pHolm: c.pHolm,
      pairs: c.pairs,
    };
  const d = cs.find((x) => x.platformA === b && x.platformB === a);
  if (!d) throw new Error(`no comparison of ${a} and ${b}`);
  return {
    ratio: 1 / d.ratio.estimate,
    lo: 1 / d.ratio.hi,
    hi: 1 / d.ratio.lo,
    min: 1 / d.ratioMax,
    max: 1 / d.ratioMin,
    p: d.pValue,
    pHolm: d.pHolm,
    pairs: d.pairs,
  };
}

/** Discrepant audited cells matching a filter, described as `table metric (platform, model, benchmark): verdict`. */
export function discrepantCells(inputs: ClaimInputs, keep: (c: AuditCell) => boolean): string[] {
  return inputs.audit.cells
    .filter((c) => c.verdict !== "consistent" && keep(c))
    .map(
      (c) =>
        `${c.table}.${c.metric} ${c.device}/${c.backend} ${c.model}${c.benchmark ? ` ${c.benchmark}` : ""} ` +
        `= ${c.printed}: ${c.verdict}`,
    );
}

/** A number for prose: 3 significant digits, scientific below 1e-3 or above 1e6. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** "12.3× [10.1, 15.2]" */
export const fmtRatio = (v: number, lo: number, hi: number): string => `${fmt(v)}× [${fmt(lo)}, ${fmt(hi)}]`;

export function pFmt(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : fmt(p, 2);
}
