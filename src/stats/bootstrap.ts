import { mean, quantileSorted } from "simple-statistics";
import { randomIndex, seededRandom } from "./rng.js";
import { checkConfidence, DEFAULT_CONFIDENCE, type Estimate } from "./types.js";

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Seed of the deterministic generator (default 1): same seed, same interval. */
  seed?: number;
  confidence?: number;
}

export interface BootstrapEstimate extends Estimate {
  resamples: number;
  seed: number;
}

function checkFinite(values: readonly number[], what: string): void {
  values.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw new RangeError(
        `${what}[${i}] is ${v}: drop missing values before bootstrapping (the caller decides what a gap means)`,
      );
  });
}

/**
 * The core of every bootstrap here: draws `resamples` index sets of size n with replacement and
 * evaluates `statistic` on each; returns the percentile interval around `statistic` of the
 * identity index set. Quantiles are simple-statistics' `quantileSorted`.
 */
export function bootstrapIndices(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): BootstrapEstimate {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  checkConfidence(confidence);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap requires at least one observation, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 10)
    throw new RangeError(`bootstrap requires at least 10 resamples, got ${resamples}`);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(identity);
  const random = seededRandom(seed);
  const stats = new Float64Array(resamples);
  const idx = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) idx[i] = randomIndex(random, n);
    stats[r] = statistic(idx);
  }
  const sorted = Array.from(stats).sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return {
    estimate,
    lo: quantileSorted(sorted, alpha / 2),
    hi: quantileSorted(sorted, 1 - alpha / 2),
    confidence,
    method: "bootstrap-percentile",
    resamples,
    seed,
  };
}

/**
 * Percentile bootstrap interval of a statistic of one sample, e.g. the mean latency of a run's
 * per-inference latencies. Values must be finite (missing ones are the caller's to drop).
 *
 * @example bootstrapInterval([1.2, 0.9, 1.1, 1.4], mean, { seed: 7 })
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (xs: number[]) => number = mean,
  options: BootstrapOptions = {},
): BootstrapEstimate {
  checkFinite(values, "values");
  const buf = new Array<number>(values.length);
  return bootstrapIndices(
    values.length,
    (idx) => {
      for (let i = 0; i < idx.length; i++) buf[i] = values[idx[i]!]!;
      return statistic(buf);
    },
    options,
  );
}

/** Bootstrap interval of the mean: the usual question about per-inference energy or latency. */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): BootstrapEstimate {
  checkFinite(values, "values");
  return bootstrapIndices(
    values.length,
    (idx) => {
      let s = 0;
      for (let i = 0; i < idx.length; i++) s += values[idx[i]!]!;
      return s / idx.length;
    },
    options,
  );
}

/**
 * Paired bootstrap: resamples pairs (a[i], b[i]) together, so the pairing (same model and
 * benchmark on two platforms) is kept. `statistic` sees the resampled a and b.
 */
export function pairedBootstrapInterval(
  a: readonly number[],
  b: readonly number[],
  statistic: (a: number[], b: number[]) => number,
  options: BootstrapOptions = {},
): BootstrapEstimate {
  if (a.length !== b.length)
    throw new RangeError(`paired bootstrap requires equal lengths, got ${a.length} and ${b.length}`);
  checkFinite(a, "a");
  checkFinite(b, "b");
  const ba = new Array<number>(a.length);
  const bb = new Array<number>(b.length);
  return bootstrapIndices(
    a.length,
    (idx) => {
      for (let i = 0; i < idx.length; i++) {
        ba[i] = a[idx[i]!]!;
        bb[i] = b[idx[i]!]!;
      }
      return statistic(ba, bb);
    },
    options,
  );
}

/**
 * Geometric mean of the ratios a[i]/b[i] = exp(mean(ln a − ln b)): how many times a costs b,
 * averaged on the log scale so that 2× and 0.5× cancel. All values must be positive.
 *
 * @example geometricMeanRatio([2, 8], [1, 2]) // √(2·4) = 2.828…
 */
export function geometricMeanRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`geometricMeanRatio requires two non-empty arrays of equal length`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(a[i]! > 0 && b[i]! > 0))
      throw new RangeError(`geometricMeanRatio requires positive values, got ${a[i]} / ${b[i]} at ${i}`);
    s += Math.log(a[i]!) - Math.log(b[i]!);
  }
  return Math.exp(s / a.length);
}
