/**
 * The bandwidth-bound model of decode and its test on measurements. In the bandwidth-bound
 * regime a decode step reads every weight once (plus the KV cache), so
 *
 *     tokens/s = B_eff / bytes_per_token
 *
 * and log(tokens/s) against log(bytes/token) is a line of slope −1. `fitPowerLaw` fits the
 * line freely (the exponent tests the regime: ≈ −1 when bandwidth-bound, flatter when compute
 * or overhead bound); `fitEffectiveBandwidth` fixes the slope at −1 and returns B_eff as the
 * geometric mean of tokens/s × bytes/token, which minimises the squared log error.
 */
import { linearRegression, rSquared } from "simple-statistics";
import type { z } from "zod";
import { usageError } from "../errors.js";
import type { PowerLawFitSchema } from "../io/probe/schema.js";

export interface RatePoint {
  bytesPerToken: number;
  tokensPerS: number;
}

/** tokens/s = coefficient × bytes^exponent, with its R² over n points. */
export type PowerLawFit = z.output<typeof PowerLawFitSchema>;

export function fitPowerLaw(points: readonly RatePoint[]): PowerLawFit {
  if (points.length < 2) throw usageError(`a power-law fit needs at least 2 points, got ${points.length}`);
  for (const p of points) {
    if (!(p.bytesPerToken > 0 && p.tokensPerS > 0))
      throw usageError(`power-law fit: bytes/token and tokens/s must be > 0 (got ${p.bytesPerToken}, ${p.tokensPerS})`);
  }
  const xy = points.map((p) => [Math.log(p.bytesPerToken), Math.log(p.tokensPerS)] as [number, number]);
  const { m, b } = linearRegression(xy);
  const line = (x: number): number => m * x + b;
  return { exponent: m, coefficient: Math.exp(b), rSquared: rSquared(xy, line), n: points.length };
}

/** B_eff (bytes/s) with the exponent fixed at −1: geometric mean of tokens/s × bytes/token. */
export function fitEffectiveBandwidth(points: readonly RatePoint[]): {
  bytesPerS: number;
  rmsLogError: number;
  n: number;
} {
  if (points.length === 0) throw usageError("an effective-bandwidth fit needs at least 1 point");
  const logs = points.map((p) => Math.log(p.tokensPerS * p.bytesPerToken));
  const mean = logs.reduce((a, v) => a + v, 0) / logs.length;
  const rms = Math.sqrt(logs.reduce((a, v) => a + (v - mean) ** 2, 0) / logs.length);
  return { bytesPerS: Math.exp(mean), rmsLogError: rms, n: points.length };
}

/** Bandwidth-bound decode rate (tokens/s) for a model reading `bytesPerToken` at `bytesPerS`. */
export const bandwidthBoundTokensPerS = (bytesPerS: number, bytesPerToken: number): number => bytesPerS / bytesPerToken;

/** Signed relative error of a prediction, percent: (measured − predicted) / predicted × 100. */
export const predictionErrorPct = (measured: number, predicted: number): number =>
  ((measured - predicted) / predicted) * 100;
