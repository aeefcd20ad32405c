import { BENCHMARKS, type Benchmark } from "../domain/ids.js";
import { SECONDS_PER_HOUR } from "../metrics/units.js";
import { add, div, interval, mul, point, scale, type Interval } from "../util/interval.js";

/**
 * The paper does not say how EDP/B is computed ("EDP (J·s) / Model Size", averaged across the
 * benchmarks). These are the plausible readings; the audit tries each on every cell and reports
 * which, if any, reproduces it.
 */
export interface EdpPerBInputs {
  sizeB: Interval;
  energyWh: Record<Benchmark, Interval>;
  latencyS: Record<Benchmark, Interval>;
  publishedEdpJs: Record<Benchmark, Interval>;
  inferences: Record<Benchmark, number>;
}

export interface EdpPerBFormula {
  id: string;
  description: string;
  compute(x: EdpPerBInputs): Interval;
}

const meanOf = (xs: Interval[]): Interval => scale(xs.reduce(add, point(0)), 1 / xs.length);
const each = (f: (b: Benchmark) => Interval): Interval[] => BENCHMARKS.map(f);
const joules = (x: EdpPerBInputs, b: Benchmark): Interval => scale(x.energyWh[b], SECONDS_PER_HOUR);

export const EDP_PER_B_FORMULAS: readonly EdpPerBFormula[] = [
  {
    id: "mean-published-edp",
    description: "mean over benchmarks of the published EDP, ÷ size",
    compute: (x) => div(meanOf(each((b) => x.publishedEdpJs[b])), x.sizeB),
  },
  {
    id: "mean-total-edp",
    description: "mean over benchmarks of total energy (J) × total time (s), ÷ size",
    compute: (x) => div(meanOf(each((b) => scale(mul(joules(x, b), x.latencyS[b]), x.inferences[b]))), x.sizeB),
  },
  {
    id: "mean-energy-x-latency",
    description: "mean over benchmarks of total energy (J) × per-inference latency (s), ÷ size",
    compute: (x) => div(meanOf(each((b) => mul(joules(x, b), x.latencyS[b]))), x.sizeB),
  },
  {
    id: "mean-per-inference-edp",
    description: "mean over benchmarks of energy per inference (J) × latency (s), ÷ size",
    compute: (x) => div(meanOf(each((b) => scale(mul(joules(x, b), x.latencyS[b]), 1 / x.inferences[b]))), x.sizeB),
  },
  {
    id: "mean-energy-x-mean-latency",
    description: "mean total energy (J) × mean latency (s), ÷ size",
    compute: (x) => div(mul(meanOf(each((b) => joules(x, b))), meanOf(each((b) => x.latencyS[b]))), x.sizeB),
  },
  {
    id: "mean-energy-x-mean-total-time",
    description: "mean total energy (J) × mean total time (s), ÷ size",
    compute: (x) =>
      div(mul(meanOf(each((b) => joules(x, b))), meanOf(each((b) => scale(x.latencyS[b], x.inferences[b])))), x.sizeB),
  },
  {
    id: "sum-published-edp",
    description: "sum over benchmarks of the published EDP, ÷ size",
    compute: (x) => div(each((b) => x.publishedEdpJs[b]).reduce(add, point(0)), x.sizeB),
  },
  {
    id: "geomean-published-edp",
    description: "geometric mean over benchmarks of the published EDP, ÷ size",
    compute: (x) => {
      const ps = each((b) => x.publishedEdpJs[b]);
      const lo = Math.cbrt(ps.reduce((a, p) => a * p.lo, 1));
      const hi = Math.cbrt(ps.reduce((a, p) => a * p.hi, 1));
      return div(interval(lo, hi), x.sizeB);
    },
  },
];
