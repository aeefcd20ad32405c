import type { PowerBatch } from "../power/batch.js";
import { checkCalibration, type PowerCalibration } from "./calibration.js";
import { IntervalStats, type IntervalStatsData } from "./interval-stats.js";
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

/**
 * A part of a trace's total, read apart (a block of a split file, see split.ts): sums over its
 * readings, from the reading before it. Parts added in file order give the file's total.
 */
export interface TotalPart {
  energyJ: number;
  coveredS: number;
  samples: number;
  /** Time of the trace's first reading (start of its span), when this part has it. */
  startS: number | null;
  /** Time of this part's last reading, null when it has none. */
  endS: number | null;
  stats: IntervalStatsData;
}

export interface TotalEnergyOptions {
  calibration?: PowerCalibration;
}

// State of the hot loop, in a typed array so that no float is boxed between calls.
const E = 0,
  COVERED = 1,
  PREV_T = 2,
  PREV_P = 3,
  LO = 4,
  HI = 5,
  HIT_N = 6,
  HIT_SUM = 7,
  HIT_MAX = 8,
  STOP = 9,
  GAIN = 10,
  OFFSET = 11;

/**
 * The trapezoid over readings `from … m − 1` of one batch, continuing from the state in `st`.
 * Returns the index of the first reading it could not take: `m` when done, or one whose
 * interval falls outside the histogram bin `[st[LO], st[HI])` (the caller files it and calls
 * again) or that is out of order (`st[STOP]` = 1).
 *
 * The state is read and written in `st` inside the loop, and nothing but `return` follows the
 * loop. V8 compiles a hot loop on the stack before the code after it has ever run; such code
 * then deoptimises at the end of every batch (the on-stack code is cached and re-entered),
 * which showed as a bimodal 1 s / 2 s time and 40× the garbage on 10 M samples.
 */
function trapezoidKernel(
  ts: Float64Array,
  ps: Float64Array,
  spans: Float64Array,
  hasSpans: boolean,
  from: number,
  m: number,
  st: Float64Array,
): number {
  const lo = st[LO]!,
    hi = st[HI]!,
    gain = st[GAIN]!,
    offsetW = st[OFFSET]!;
  let i = from;
  for (; i < m; i++) {
    const t = ts[i]!;
    const prevT = st[PREV_T]!;
    if (!(t > prevT)) {
      st[STOP] = 1;
      break;
    }
    const p = gain * ps[i]! + offsetW;
    const span = hasSpans ? spans[i]! : NaN;
    let dt: number;
    let e: number;
    if (span === span) {
      const t0 = t - span < prevT ? prevT : t - span;
      dt = t - t0;
      e = p * dt;
    } else {
      dt = t - prevT;
      e = (st[PREV_P]! + p) * 0.5 * dt;
    }
    if (!(dt >= lo && dt < hi)) break; // the caller files this interval, then resumes here
    st[E]! += e;
    st[COVERED]! += dt;
    st[HIT_N]! += 1;
    st[HIT_SUM]! += dt;
    if (dt > st[HIT_MAX]!) st[HIT_MAX] = dt;
    st[PREV_T] = t;
    st[PREV_P] = p;
  }
  return i;
}

/**
 * The running state of `totalEnergy`, fed one column batch at a time (synchronously: floats
 * that live across an `await` are re-boxed on every write).
 */
export class TotalEnergyAccumulator {
  n = 0;
  startS: number | null = null;
  stats = new IntervalStats();
  private readonly st = new Float64Array(12);
  /** Whether a reading came before (pushed, or given to `seed`). */
  private started = false;
  private partN = 0;
  private partStart: number | null = null;

  constructor(calibration?: PowerCalibration) {
    const cal = calibration === undefined ? undefined : checkCalibration(calibration);
    this.st[GAIN] = cal?.gain ?? 1;
    this.st[OFFSET] = cal?.offsetW ?? 0;
    this.st[PREV_T] = NaN;
  }

  add(b: PowerBatch): void {
    const st = this.st,
      stats = this.stats,
      m = b.n;
    let i = 0;
    if (!this.started && m > 0) {
      this.started = true;
      const t = b.tS[0]!;
      const span = b.spanS[0]!;
      const p = st[GAIN]! * b.powerW[0]! + st[OFFSET]!;
      if (!(t === t)) outOfOrder(b.line[0]!, t, NaN);
      this.startS = span === span ? t - span : t;
      this.partStart = this.startS;
      if (span === span) {
        st[E]! += p * span;
        st[COVERED]! += span;
        stats.add(span);
      }
      st[PREV_T] = t;
      st[PREV_P] = p;
      i = 1;
    }
    while (i < m) {
      st[LO] = stats.lastLo;
      st[HI] = stats.lastHi;
      i = trapezoidKernel(b.tS, b.powerW, b.spanS, b.hasSpans, i, m, st);
      stats.addToLastBin(st[HIT_N]!, st[HIT_SUM]!, st[HIT_MAX]!);
      st[HIT_N] = 0;
      st[HIT_SUM] = 0;
      st[HIT_MAX] = 0;
      if (i >= m) break;
      const t = b.tS[i]!;
      const prevT = st[PREV_T]!;
      if (st[STOP] === 1) outOfOrder(b.line[i]!, t, prevT);
      // An interval in another histogram bin: take this one reading here, then go on.
      const p = st[GAIN]! * b.powerW[i]! + st[OFFSET]!;
      const span = b.hasSpans ? b.spanS[i]! : NaN;
      let dt: number;
      if (span === span) {
        dt = t - (t - span < prevT ? prevT : t - span);
        st[E]! += p * dt;
      } else {
        dt = t - prevT;
        st[E]! += (st[PREV_P]! + p) * 0.5 * dt;
      }
      st[COVERED]! += dt;
      stats.add(dt);
      st[PREV_T] = t;
      st[PREV_P] = p;
      i++;
    }
    this.n += m;
    this.partN += m;
  }

  /** Go on from a reading read elsewhere (the last one before a block, see split.ts): time and read power. */
  seed(tS: number, readW: number): void {
    this.started = true;
    this.st[PREV_T] = tS;
    this.st[PREV_P] = this.st[GAIN]! * readW + this.st[OFFSET]!;
  }

  /** The sums since the last call (or the start), which then start again from zero. */
  takePart(): TotalPart {
    const st = this.st;
    const part: TotalPart = {
      energyJ: st[E]!,
      coveredS: st[COVERED]!,
      samples: this.partN,
      startS: this.partStart,
      endS: this.partN > 0 ? st[PREV_T]! : null,
      stats: this.stats.toData(),
    };
    st[E] = 0;
    st[COVERED] = 0;
    this.partN = 0;
    this.partStart = null;
    this.stats = new IntervalStats();
    return part;
  }

  /** Add a part read elsewhere, in file order (see `takePart`). */
  absorb(p: TotalPart): void {
    const st = this.st;
    st[E]! += p.energyJ;
    st[COVERED]! += p.coveredS;
    this.stats.merge(p.stats);
    if (p.samples > 0) {
      if (this.n === 0) this.startS = p.startS;
      this.n += p.samples;
      st[PREV_T] = p.endS!;
      this.started = true;
    }
  }

  result(): TotalEnergy {
    const n = this.n,
      st = this.st;
    const coveredS = st[COVERED]!;
    return {
      energyJ: st[E]!,
      durationS: n === 0 ? 0 : st[PREV_T]! - this.startS!,
      coveredS,
      meanPowerW: coveredS > 0 ? st[E]! / coveredS : null,
      samples: n,
      startS: this.startS,
      endS: n === 0 ? null : st[PREV_T]!,
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
