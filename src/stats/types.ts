/** A point estimate with a confidence interval, and how the interval was obtained. */
export interface Estimate {
  estimate: number;
  lo: number;
  hi: number;
  /** Confidence level of [lo, hi], e.g. 0.95. */
  confidence: number;
  /** "wilson", "bootstrap-percentile", "newcombe", "t", "rounding" … */
  method: string;
}

/** Default confidence level of every interval in the toolkit. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Checks a confidence level; throws a RangeError naming the value otherwise. */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie in (0, 1), got ${confidence}`);
}
