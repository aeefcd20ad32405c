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
 * Energy of a whole log by the trapezoidal rule, streaming, in constant memory: the hot path of
 * `inspect` and of the `bench/ingest` figures. Same conventions as `integrateWindows` over one
 * window spanning the trace, without the per-window bookkeeping. A calibration (linear) is
 * applied to each reading.
 * @example (await totalEnergy(readPowerLog("power.csv"))).energyJ
 */
export async function totalEnergy(samples: SampleSource, options: TotalEnergyOptions = {}): Promise<TotalEnergy> {
  const cal = options.calibration === undefined ? undefined : checkCalibration(options.calibration);
  const gain = cal?.gain ?? 1;
  const offsetW = cal?.offsetW ?? 0;
  const stats = new IntervalStats();
  let energyJ = 0;
  let coveredS = 0;
  let n = 0;
  let startS: number | null = null;
  let prevT = NaN;
  let prevP = 0;
  for await (const b of sampleColumns(samples)) {
    const ts = b.tS, ps = b.powerW, spans = b.spanS, m = b.n;
    let i = 0;
    if (n === 0 && m > 0) {
      const span = spans[0]!;
      startS = span === span ? ts[0]! - span : ts[0]!;
    }
    for (; i < m; i++) {
      const t = ts[i]!;
      const p = gain * ps[i]! + offsetW;
      if (n > 0) {
        if (!(t > prevT)) outOfOrder(b.line[i]!, t, prevT);
        const span = b.hasSpans ? spans[i]! : NaN;
        if (span === span) {
          let t0 = t - span;
          if (t0 < prevT) t0 = prevT;
          energyJ += p * (t - t0);
          coveredS += t - t0;
          stats.add(t - t0);
        } else {
          const dt = t - prevT;
          energyJ += (prevP + p) * 0.5 * dt;
          coveredS += dt;
          stats.add(dt);
        }
      } else {
        const span = spans[i]!;
        if (!(t === t)) outOfOrder(b.line[i]!, t, prevT);
        if (span === span) {
          energyJ += p * span;
          coveredS += span;
          stats.add(span);
        }
      }
      prevT = t;
      prevP = p;
      n++;
    }
  }
  return {
    energyJ,
    durationS: n === 0 ? 0 : prevT - startS!,
    coveredS,
    meanPowerW: coveredS > 0 ? energyJ / coveredS : null,
    samples: n,
    startS,
    endS: n === 0 ? null : prevT,
    medianIntervalS: stats.medianS(),
    maxIntervalS: stats.count > 0 ? stats.maxS : null,
  };
}
