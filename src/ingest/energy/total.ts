import { calibratedPowerW, checkCalibration, type PowerCalibration } from "./calibration.js";
import { IntervalStats } from "./interval-stats.js";
import { outOfOrder, sampleBatches, timeOf, type SampleSource } from "./samples.js";

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
 * window spanning the trace, without the per-window bookkeeping.
 * @example (await totalEnergy(readPowerLog("power.csv"))).energyJ
 */
export async function totalEnergy(samples: SampleSource, options: TotalEnergyOptions = {}): Promise<TotalEnergy> {
  const cal = options.calibration === undefined ? undefined : checkCalibration(options.calibration);
  const stats = new IntervalStats();
  let energyJ = 0;
  let coveredS = 0;
  let n = 0;
  let startS: number | null = null;
  let prevT = NaN;
  let prevP = 0;
  for await (const batch of sampleBatches(samples)) {
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i]!;
      const t = s.tS === null ? timeOf(s) : s.tS;
      const p = cal === undefined ? s.powerW : calibratedPowerW(s.powerW, cal);
      if (n > 0 && !(t > prevT)) outOfOrder(s, t, prevT);
      if (s.spanS !== undefined) {
        let t0 = t - s.spanS;
        if (n === 0) startS = t0;
        else if (t0 < prevT) t0 = prevT;
        energyJ += p * (t - t0);
        coveredS += t - t0;
        stats.add(t - t0);
      } else if (n > 0) {
        const dt = t - prevT;
        energyJ += (prevP + p) * 0.5 * dt;
        coveredS += dt;
        stats.add(dt);
      } else startS = t;
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
