/**
 * The true power of a simulated device: a continuous, piecewise-linear function of time (W over
 * epoch seconds of the inference host's clock). Piecewise-linear keeps the truth exact: the energy
 * of any window is a closed-form sum of trapezoids, with no numerical integration error, so the
 * only errors a round trip shows are the sensor's and the ingester's.
 */
import { internalError } from "../errors.js";

export class PowerTrace {
  /** Knot times (s, strictly increasing) and the power at each knot (W). */
  constructor(
    readonly timesS: Float64Array,
    readonly powersW: Float64Array,
  ) {
    if (timesS.length !== powersW.length || timesS.length < 2)
      throw internalError("a power trace needs two or more knots");
    for (let i = 1; i < timesS.length; i++) {
      if (!(timesS[i]! > timesS[i - 1]!)) throw internalError(`power trace knots not increasing at ${i}`);
    }
  }

  get startS(): number {
    return this.timesS[0]!;
  }

  get endS(): number {
    return this.timesS[this.timesS.length - 1]!;
  }

  /** Index of the last knot at or before t (clamped to the segments). */
  private segment(t: number): number {
    const ts = this.timesS;
    let lo = 0;
    let hi = ts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Power at t (W); constant beyond the ends. */
  powerAt(t: number): number {
    const ts = this.timesS;
    const ps = this.powersW;
    if (t <= ts[0]!) return ps[0]!;
    if (t >= this.endS) return ps[ps.length - 1]!;
    const i = this.segment(t);
    const f = (t - ts[i]!) / (ts[i + 1]! - ts[i]!);
    return ps[i]! + f * (ps[i + 1]! - ps[i]!);
  }

  /** Exact energy over [a, b] (J): trapezoids between knots, the window's ends interpolated. */
  energyJ(a: number, b: number): number {
    if (b < a) throw internalError(`energy window ends before it starts (${a} > ${b})`);
    if (a < this.startS || b > this.endS)
      throw internalError(`energy window [${a}, ${b}] outside the trace [${this.startS}, ${this.endS}]`);
    if (a === b) return 0;
    const ts = this.timesS;
    let i = this.segment(a);
    let t0 = a;
    let p0 = this.powerAt(a);
    let e = 0;
    while (i + 1 < ts.length && ts[i + 1]! < b) {
      const t1 = ts[i + 1]!;
      const p1 = this.powersW[i + 1]!;
      e += 0.5 * (p0 + p1) * (t1 - t0);
      t0 = t1;
      p0 = p1;
      i++;
    }
    e += 0.5 * (p0 + this.powerAt(b)) * (b - t0);
    return e;
  }

  /** Mean power over [a, b] (W); the power at a when the window is empty. */
  meanW(a: number, b: number): number {
    return b > a ? this.energyJ(a, b) / (b - a) : this.powerAt(a);
  }
}

/**
 * Sum of piecewise-linear functions given as knot lists (each sorted by time): the result is
 * piecewise-linear with knots at the union of their times, so the sum stays exact.
 */
export function sumTraces(parts: readonly { timesS: ArrayLike<number>; powersW: ArrayLike<number> }[]): PowerTrace {
  const traces = parts.map((p) => new PowerTrace(Float64Array.from(p.timesS), Float64Array.from(p.powersW)));
  const all = Float64Array.from(traces.flatMap((t) => Array.from(t.timesS))).sort();
  const times: number[] = [];
  for (const t of all) if (times.length === 0 || t > times[times.length - 1]!) times.push(t);
  const powers = times.map((t) => traces.reduce((s, tr) => s + tr.powerAt(t), 0));
  return new PowerTrace(Float64Array.from(times), Float64Array.from(powers));
}
