import { linearRegression } from "simple-statistics";
import { studentTQuantile } from "./student-t.js";
import { checkConfidence, DEFAULT_CONFIDENCE, type Estimate } from "./types.js";

/** y = a · x^b fitted as ln y = ln a + b · ln x by least squares. */
export interface LogLogFit {
  /** Points used. */
  n: number;
  /** Groups with their own intercept (1 for a plain fit). */
  groups: number;
  /** Residual degrees of freedom: n − groups − 1. */
  df: number;
  /** The exponent b with its t-based confidence interval (NaN bounds when df = 0). */
  exponent: Estimate;
  /** Standard error of b. */
  exponentSe: number;
  /** a for each group, by group name ("" for a plain fit). */
  coefficient: Record<string, number>;
  /** Coefficient of determination on the log scale (within groups for a grouped fit). */
  rSquared: number;
}

function logs(xs: readonly number[], what: string): number[] {
  return xs.map((v, i) => {
    if (!(v > 0) || !Number.isFinite(v))
      throw new RangeError(`${what}[${i}] is ${v}: a log-log fit needs positive finite values`);
    return Math.log(v);
  });
}

/**
 * Fit y = a·x^b, optionally with one coefficient a per group and a common exponent b (a
 * fixed-effects fit: e.g. energy per inference vs parameters with one intercept per benchmark,
 * since benchmarks differ in tokens per item). The slope is ordinary least squares on the
 * within-group-centred logs; its CI uses Student's t with n − groups − 1 degrees of freedom.
 * The ungrouped slope and intercept agree with simple-statistics' `linearRegression`.
 *
 * @example fitLogLog([1, 2, 4, 8], [3, 3·√2, 6, 6·√2]) // exponent 0.5, coefficient 3, R² 1
 */
export function fitLogLog(
  x: readonly number[],
  y: readonly number[],
  options: { groups?: readonly string[]; confidence?: number } = {},
): LogLogFit {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  checkConfidence(confidence);
  if (x.length !== y.length) throw new RangeError(`fitLogLog requires as many x as y, got ${x.length} and ${y.length}`);
  const groupOf = options.groups ?? x.map(() => "");
  if (groupOf.length !== x.length) throw new RangeError(`fitLogLog requires one group per point`);
  const lx = logs(x, "x");
  const ly = logs(y, "y");
  const names = [...new Set(groupOf)];
  const n = x.length;
  const df = n - names.length - 1;
  if (df < 0)
    throw new RangeError(`fitLogLog needs at least ${names.length + 1} points for ${names.length} group(s), got ${n}`);
  const mx = new Map<string, number>();
  const my = new Map<string, number>();
  for (const g of names) {
    const idx = groupOf.map((h, i) => (h === g ? i : -1)).filter((i) => i >= 0);
    mx.set(g, idx.reduce((s, i) => s + lx[i]!, 0) / idx.length);
    my.set(g, idx.reduce((s, i) => s + ly[i]!, 0) / idx.length);
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = lx[i]! - mx.get(groupOf[i]!)!;
    const dy = ly[i]! - my.get(groupOf[i]!)!;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError("fitLogLog: x does not vary within any group; the exponent is undefined");
  let b = sxy / sxx;
  if (names.length === 1) b = linearRegression(lx.map((v, i) => [v, ly[i]!])).m;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = ly[i]! - my.get(groupOf[i]!)! - b * (lx[i]! - mx.get(groupOf[i]!)!);
    sse += r * r;
  }
  const rSquared = syy === 0 ? 1 : 1 - sse / syy;
  const se = df > 0 ? Math.sqrt(sse / df / sxx) : NaN;
  const t = df > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) : NaN;
  const coefficient: Record<string, number> = {};
  for (const g of names) coefficient[g] = Math.exp(my.get(g)! - b * mx.get(g)!);
  return {
    n,
    groups: names.length,
    df,
    exponent: { estimate: b, lo: b - t * se, hi: b + t * se, confidence, method: "t" },
    exponentSe: se,
    coefficient,
    rSquared,
  };
}
