import type { PowerBatch } from "../power/batch.js";
import { checkCalibration, type PowerCalibration } from "./calibration.js";
import { IntervalStats } from "./interval-stats.js";
import { outOfOrder, sampleColumns, type SampleSource } from "./samples.js";

/** Energy of a whole power trace. */
export interface TotalEnergy {
  /** Trapezoid over all readings (spans of RAPL/CodeCarbon readings count as constant), J. */
  energyJ: number;
  /** From the first reading (or the start of its span) to the last, s. */
  durationS: number;
  /** Seconds with power data: `durationS` minus the stretches between non-touching spans. */
  coveredS: number;
  /** energyJ / coveredS, or null for a single point reading. */
  meanPowerW: number | null;
  samples: number;
  startS: number | null;
  endS: number | null;
  /** Median and longest sampling interval (s); null with fewer than two readings. */
  medianIntervalS: number | null;
  maxIntervalS: number | null;
}

export interface TotalEnergyOptions {
  calibration?: PowerCalibration;
}

/**
 * The running state of `totalEnergy`. Its `add` is synchronous on purpose: floats that live across
 * an `await` are kept in the async function's heap context and re-boxed on every write, which at
 * 10 million samples is most of the cost; inside `add` they are plain registers.
 */
export class TotalEnergyAccumulator {
  energyJ = 0;
  coveredS = 0;
  n = 0;
  startS: number | null = null;
  prevT = NaN;
  prevP = 0;
  readonly stats = new IntervalStats();
  private readonly gain: number;
  private readonly offsetW: number;

  constructor(calibration?: PowerCalibration) {
    const cal = calibration === undefined ? undefined : checkCalibration(calibration);
    this.gain = cal?.gain ?? 1;
    this.offsetW = cal?.offsetW ?? 0;
  }

  add(b: PowerBatch): void {
    const ts = b.tS, ps = b.powerW, spans = b.spanS, m = b.n;
    const gain = this.gain, offsetW = this.offsetW, stats = this.stats;
    const hasSpans = b.hasSpans;
    let energyJ = this.energyJ, coveredS = this.coveredS, prevT = this.prevT, prevP = this.prevP;
    let i = 0;
    if (this.n === 0 && m > 0) {
      const t = ts[0]!;
      const span = spans[0]!;
      const p = gain * ps[0]! + offsetW;
      this.startS = span === span ? t - span : t;
      if (span === span) {
        energyJ += p * span;
        coveredS += span;
        stats.add(span);
      }
      prevT = t;
      prevP = p;
      i = 1;
    }
    // Intervals in the interval histogram's last bin are counted here and handed over in one go.
    let lo = stats.lastLo, hi = stats.lastHi, hitN = 0, hitSum = 0, hitMax = 0;
    for (; i < m; i++) {
      const t = ts[i]!;
      const p = gain * ps[i]! + offsetW;
      if (!(t > prevT)) outOfOrder(b.line[i]!, t, prevT);
      const span = hasSpans ? spans[i]! : NaN;
      let dt: number;
      if (span === span) {
        const t0 = t - span < prevT ? prevT : t - span;
        dt = t - t0;
        energyJ += p * dt;
      } else {
        dt = t - prevT;
        energyJ += (prevP + p) * 0.5 * dt;
      }
      coveredS += dt;
      if (dt >= lo && dt < hi) {
        hitN++;
        hitSum += dt;
        if (dt > hitMax) hitMax = dt;
      } else {
        stats.addToLastBin(hitN, hitSum, hitMax);
        hitN = 0;
        hitSum = 0;
        hitMax = 0;
        stats.add(dt);
        lo = stats.lastLo;
        hi = stats.lastHi;
      }
      prevT = t;
      prevP = p;
    }
    stats.addToLastBin(hitN, hitSum, hitMax);
    this.n += m;
    this.energyJ = energyJ;
    this.coveredS = coveredS;
    this.prevT = prevT;
    this.prevP = prevP;
  }

  result(): TotalEnergy {
    const n = this.n;
    return {
      energyJ: this.energyJ,
      durationS: n === 0 ? 0 : this.prevT - this.startS!,
      coveredS: this.coveredS,
      meanPowerW: this.coveredS > 0 ? this.energyJ / this.coveredS : null,
      samples: n,
      startS: this.startS,
      endS: n === 0 ? null : this.prevT,
      medianIntervalS: this.stats.medianS(),
      maxIntervalS: this.stats.count > 0 ? this.stats.maxS : null,
    };
  }
}

/**
 * Energy of a whole log by the trapezoidal rule, streaming, in constant memory: the hot path of
 * `inspect` and of the `bench/ingest` figures. Same conventions as `integrateWindows` over one
 * window spanning the trace, without the per-window bookkeeping. A calibration (linear) is
 * applied to each reading.
 * @example (await totalEnergy(readPowerLog("power.csv"))).energyJ
 */
export async function totalEnergy(samples: SampleSource, options: TotalEnergyOptions = {}): Promise<TotalEnergy> {
  const acc = new TotalEnergyAccumulator(options.calibration);
  for await (const b of sampleColumns(samples)) acc.add(b);
  return acc.result();
}
