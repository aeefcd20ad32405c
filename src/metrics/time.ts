import { requirePositive, requireNonNegative } from "./check.js";

/**
 * Latency: the average time of one inference, total time / number of inferences (s).
 * @example latencyS(4060, 1000) // 4.06
 */
export function latencyS(totalTimeS: number, inferences: number): number {
  requireNonNegative("totalTimeS", totalTimeS);
  requirePositive("inferences", inferences);
  return totalTimeS / inferences;
}

/**
 * Total time of a benchmark run: per-inference latency × number of inferences (s).
 * @example totalTimeS(4.06, 1000) // 4060
 */
export function totalTimeS(latencyS: number, inferences: number): number {
  requireNonNegative("latencyS", latencyS);
  requirePositive("inferences", inferences);
  return latencyS * inferences;
}

/**
 * Throughput: items completed per second (inferences/s for MMLU, which the paper calls ops/s;
 * tokens/s otherwise). items / total time.
 * @example throughputPerS(1000, 4060) // 0.2463
 */
export function throughputPerS(items: number, totalTimeS: number): number {
  requireNonNegative("items", items);
  requirePositive("totalTimeS", totalTimeS);
  return items / totalTimeS;
}
