import { SECONDS_PER_HOUR } from "../metrics/units.js";
import { parsePrinted } from "../paper/printed-number.js";
import { div, fromPrinted, mul, scale, type Interval } from "../util/interval.js";

/**
 * Propagation of the published rounding into derived metrics. A printed "9.07" stands for
 * [9.065, 9.075]; a metric derived from printed numbers is known only to the interval that
 * interval arithmetic gives (all quantities are positive, so bounds combine monotonically).
 */

/** The interval a printed number stands for. @example printedInterval("9.07") // {lo: 9.065, hi: 9.075} */
export function printedInterval(printed: string): Interval {
  return fromPrinted(parsePrinted(printed));
}

/** Energy per inference from a run's total energy and its inference count: E / n. */
export function energyPerInferenceRangeWh(totalEnergyWh: Interval, inferences: number): Interval {
  if (!Number.isInteger(inferences) || inferences <= 0)
    throw new RangeError(`inferences must be a whole number > 0, got ${inferences}`);
  return scale(totalEnergyWh, 1 / inferences);
}

/** Energy-delay product of one inference in J·s: (E/n in Wh × 3600) × latency. */
export function edpPerInferenceRangeJs(energyPerInferenceWh: Interval, latencyS: Interval): Interval {
  return mul(scale(energyPerInferenceWh, SECONDS_PER_HOUR), latencyS);
}

/** Correct answers per Wh: accuracy (a fraction) / energy per inference. */
export function accuracyPerWhRange(accuracy: Interval, energyPerInferenceWh: Interval): Interval {
  return div(accuracy, energyPerInferenceWh);
}

/** A ratio a/b of two positive intervals, e.g. a speed-up of latencies. */
export function ratioRange(a: Interval, b: Interval): Interval {
  return div(a, b);
}

/** Relative half-width of an interval around its midpoint (0.005 = ±0.5 %). */
export function relativeHalfWidth(x: Interval): number {
  const m = (x.lo + x.hi) / 2;
  return m === 0 ? 0 : (x.hi - x.lo) / 2 / m;
}
