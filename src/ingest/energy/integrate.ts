import { usageError } from "../../errors.js";
import type { PowerBatch } from "../power/batch.js";
import type { PowerSample } from "../types.js";
import { calibratedPowerW, checkCalibration, type PowerCalibration } from "./calibration.js";
import { expectedRelError, GAP_FACTOR, maxRelError, SHORT_WINDOW_INTERVALS } from "./error-estimate.js";
import { IntervalStats, type IntervalStatsData } from "./interval-stats.js";
import type { IntegrationWarning } from "../warnings.js";
import { outOfOrder, sampleColumns, timeOf, type SampleSource } from "./samples.js";

/** A time window to integrate over, on the inference log's clock (seconds). */
export interface EnergyWindow {
  id: string;
  startS: number;
  endS: number;
}

export interface IntegrateOptions {
  /** Seconds added to power-log times to put them on the windows' clock. Default 0. */
  clockOffsetS?: number;
  /** Idle power (W) subtracted for `netEnergyJ`; without it `netEnergyJ` is null. */
  idlePowerW?: number;
  /** Linear meter correction applied to every reading. */
  calibration?: PowerCalibration;
}

export type { IntegrationWarning, IntegrationWarningCode } from "../warnings.js";

export interface WindowEnergy {
  id: string;
  startS: number;
  endS: number;
  durationS: number;
  /** Gross energy over the covered part of the window (J), trapezoid with edge interpolation. */
  energyJ: number;
  /** energyJ − idlePowerW × covered seconds; null without idlePowerW. */
  netEnergyJ: number | null;
  /** energyJ / covered seconds; null when nothing of the window is covered. */
  meanPowerW: number | null;
  /** Readings whose time falls inside the window (edges included). */
  samples: number;
  /** Fraction of the window inside the power trace (0 … 1). */
  coverage: number;
  warnings: IntegrationWarning[];
  /**
   * Lines of the power log behind the energy: the readings inside the window and the two that
   * bracket it (they shape its first and last trapezoid); null when no reading reached it.
   */
  lines: LineSpan | null;
}

/** Lines of one power file whose readings went into a window. */
export interface LineSpan {
  lineStart: number;
  lineEnd: number;
}

/**
 * What a part of the readings (a block of a split file, see split.ts) added to each window it
 * touched: `ACC_FIELDS` numbers per window (its index, energy, covered seconds, samples, longest
 * segment and where, first and last line), and the part's sampling intervals.
 */
export interface WindowPart {
  touched: Float64Array;
  stats: IntervalStatsData;
}
const ACC_FIELDS = 8;

interface Acc {
  w: EnergyWindow;
  order: number;
  energyJ: number;
  coveredS: number;
  samples: number;
  maxGapS: number;
  maxGapAtS: number;
  lineStart: number;
  lineEnd: number;
}

/**
 * Energy per window in one streaming pass over the samples, in constant memory apart from the
 * windows themselves. Power between consecutive readings is the straight line between them
 * (trapezoid); at a window edge it is interpolated on that line, so a window's energy is exact for
 * piecewise-linear power whatever the sampling. Readings with `spanS` (RAPL, CodeCarbon) are
 * constant over their span. Windows may be given in any order and may overlap; results come back
 * in the order given. The part of a window outside the trace is not extrapolated: `coverage`
 * says how much is inside, and a warning names the rest. Warnings also flag gaps (an interval
 * longer than 3× the median inside a window) and windows shorter than two sampling intervals,
 * with the error to expect (see `error-estimate.ts`).
 */
export class WindowIntegrator {
  private readonly sorted: Acc[];
  private next = 0;
  private active: Acc[] = [];
  private prevT: number | null = null;
  private prevP = 0;
  private prevLine = -1;
  private prevLineEnd = -1;
  intervals = new IntervalStats();
  private readonly offsetS: number;
  private readonly calibration: PowerCalibration | undefined;

  constructor(
    windows: readonly EnergyWindow[],
    private readonly options: IntegrateOptions = {},
  ) {
    this.offsetS = options.clockOffsetS ?? 0;
    if (!Number.isFinite(this.offsetS)) throw usageError(`clock offset ${this.offsetS} s is not a finite number`);
    if (options.idlePowerW !== undefined && !Number.isFinite(options.idlePowerW))
      throw usageError(`idle power ${options.idlePowerW} W is not a finite number`);
    this.calibration = options.calibration === undefined ? undefined : checkCalibration(options.calibration);
    windows.forEach((w) => {
      if (!Number.isFinite(w.startS) || !Number.isFinite(w.endS))
        throw usageError(`window "${w.id}" has a start or end that is not a finite number`);
    });
    this.sorted = windows
      .map((w, order) => ({
        w,
        order,
        energyJ: 0,
        coveredS: 0,
        samples: 0,
        maxGapS: 0,
        maxGapAtS: NaN,
        lineStart: -1,
        lineEnd: -1,
      }))
      .sort((a, b) => a.w.startS - b.w.startS || a.order - b.order);
  }

  /** Add one reading (times in the power log's clock). Readings must come in time order. */
  push(s: PowerSample): void {
    this.pushReading(timeOf(s), s.powerW, s.spanS ?? NaN, s.line, s.lineEnd ?? s.line);
  }

  /** Every reading of a column batch (synchronous: see TotalEnergyAccumulator on why). */
  pushBatch(b: PowerBatch): void {
    const ts = b.tS,
      ps = b.powerW,
      spans = b.spanS,
      lines = b.line,
      extra = b.extra;
    for (let i = 0; i < b.n; i++) {
      const line = lines[i]!;
      this.pushReading(ts[i]!, ps[i]!, spans[i]!, line, extra === null ? line : (extra[i]?.lineEnd ?? line));
    }
  }

  /**
   * `push` in columns: time (power-log clock), read power, span (NaN for a point) and the lines
   * the reading comes from (one line, or a block's first and last).
   */
  pushReading(tPowerClockS: number, readW: number, spanS: number, line: number, lineEnd = line): void {
    const t = tPowerClockS + this.offsetS;
    const p = this.calibration === undefined ? readW : calibratedPowerW(readW, this.calibration);
    const prevT = this.prevT;
    if (prevT !== null && !(t > prevT)) outOfOrder(line, tPowerClockS, prevT - this.offsetS);
    this.activate(t);
    if (spanS === spanS) {
      let t0 = t - spanS;
      if (prevT !== null) {
        if (t0 > prevT)
          this.segment(prevT, t0, 0, 0, false); // an uncovered gap between spans
        else t0 = prevT; // overlapping spans: the later one starts where the earlier ended
      }
      this.intervals.add(t - t0);
      this.segment(t0, t, p, p, true);
    } else if (prevT !== null) {
      this.intervals.add(t - prevT);
      this.segment(prevT, t, this.prevP, p, true);
    }
    for (const a of this.active) {
      if (a.w.startS <= t && t <= a.w.endS) a.samples++;
      noteLines(a, line, lineEnd); // inside, or the reading that closes its last trapezoid
    }
    this.retire(t);
    this.prevT = t;
    this.prevP = p;
    this.prevLine = line;
    this.prevLineEnd = lineEnd;
  }

  /**
   * Go on from a reading read elsewhere (the last one before a block, see split.ts): the windows
   * it reached are active, those it passed are done, and its lines and samples are not counted again.
   */
  seed(tPowerClockS: number, readW: number, line: number, lineEnd = line): void {
    const t = tPowerClockS + this.offsetS;
    this.activate(t);
    this.retire(t);
    this.prevT = t;
    this.prevP = this.calibration === undefined ? readW : calibratedPowerW(readW, this.calibration);
    this.prevLine = line;
    this.prevLineEnd = lineEnd;
  }

  /** What the readings since the last call (or the start) added, which then starts again from zero. */
  takePart(): WindowPart {
    const rows: number[] = [];
    for (const a of this.sorted) {
      if (a.lineStart < 0 && a.samples === 0 && a.energyJ === 0 && a.coveredS === 0 && a.maxGapS === 0) continue;
      rows.push(a.order, a.energyJ, a.coveredS, a.samples, a.maxGapS, a.maxGapAtS, a.lineStart, a.lineEnd);
      a.energyJ = 0;
      a.coveredS = 0;
      a.samples = 0;
      a.maxGapS = 0;
      a.maxGapAtS = NaN;
      a.lineStart = -1;
      a.lineEnd = -1;
    }
    const part = { touched: Float64Array.from(rows), stats: this.intervals.toData() };
    this.intervals = new IntervalStats();
    return part;
  }

  /** Add a part read elsewhere, in file order (see `takePart`): the result is as if read here. */
  absorb(part: WindowPart): void {
    const byOrder = (this.byOrder ??= indexByOrder(this.sorted));
    const t = part.touched;
    for (let k = 0; k < t.length; k += ACC_FIELDS) {
      const a = byOrder[t[k]!]!;
      a.energyJ += t[k + 1]!;
      a.coveredS += t[k + 2]!;
      a.samples += t[k + 3]!;
      if (t[k + 4]! > a.maxGapS) {
        a.maxGapS = t[k + 4]!;
        a.maxGapAtS = t[k + 5]!;
      }
      if (t[k + 6]! >= 0) noteLines(a, t[k + 6]!, t[k + 7]!);
    }
    this.intervals.merge(part.stats);
  }
  private byOrder: Acc[] | null = null;

  private activate(uptoS: number): void {
    while (this.next < this.sorted.length && this.sorted[this.next]!.w.startS <= uptoS) {
      const a = this.sorted[this.next++]!;
      // The reading before the window starts is part of its first trapezoid.
      if (this.prevLine >= 0) noteLines(a, this.prevLine, this.prevLineEnd);
      this.active.push(a);
    }
  }

  private retire(t: number): void {
    if (this.active.length === 0) return;
    let keep = 0;
    for (const a of this.active) if (a.w.endS > t) this.active[keep++] = a;
    this.active.length = keep;
  }

  /** Power linear from p0 at t0 to p1 at t1; `covered` false for a stretch without data. */
  private segment(t0: number, t1: number, p0: number, p1: number, covered: boolean): void {
    const span = t1 - t0;
    if (!(span > 0)) return;
    const slope = (p1 - p0) / span;
    for (const a of this.active) {
      const lo = a.w.startS > t0 ? a.w.startS : t0;
      const hi = a.w.endS < t1 ? a.w.endS : t1;
      if (!(hi > lo)) continue;
      if (span > a.maxGapS) {
        a.maxGapS = span;
        a.maxGapAtS = t0;
      }
      if (!covered) continue;
      const pLo = p0 + slope * (lo - t0);
      const pHi = p0 + slope * (hi - t0);
      a.energyJ += ((pLo + pHi) / 2) * (hi - lo);
      a.coveredS += hi - lo;
    }
  }

  /** Results, one per window in the order given. */
  finish(): WindowEnergy[] {
    const medianS = this.intervals.medianS();
    const out = new Array<WindowEnergy>(this.sorted.length);
    const idle = this.options.idlePowerW;
    for (const a of this.sorted) {
      const { w } = a;
      const durationS = w.endS - w.startS;
      const warnings: IntegrationWarning[] = [];
      const coverage = durationS > 0 ? Math.min(1, a.coveredS / durationS) : 0;
      if (!(durationS > 0)) {
        warnings.push({
          code: "empty-window",
          message:
            `window ends ${durationS === 0 ? "where it starts" : "before it starts"} ` +
            `(${w.startS} … ${w.endS} s): no energy`,
        });
      } else if (a.coveredS === 0) {
        warnings.push({
          code: "no-coverage",
          message: `no power data from ${w.startS} to ${w.endS} s (check the clock offset)`,
        });
      } else if (coverage < 1 - 1e-9) {
        warnings.push({
          code: "partial-coverage",
          message:
            `power data cover ${(coverage * 100).toFixed(1)} % of the window; ` +
            "the rest is not counted (energy and mean power are for the covered part)",
        });
      }
      if (medianS !== null && durationS > 0 && a.coveredS > 0) {
        if (a.maxGapS > GAP_FACTOR * medianS) {
          warnings.push({
            code: "gap",
            message:
              `gap of ${a.maxGapS.toPrecision(3)} s in the power log (median interval ${medianS.toPrecision(3)} s) ` +
              `at ${a.maxGapAtS} s; power across it is interpolated`,
            gapS: a.maxGapS,
            atS: a.maxGapAtS,
          });
        }
        if (durationS < SHORT_WINDOW_INTERVALS * medianS) {
          const e = expectedRelError(medianS, durationS);
          const m = maxRelError(medianS, durationS);
          warnings.push({
            code: "short-window",
            message:
              `window of ${durationS.toPrecision(3)} s is shorter than ${SHORT_WINDOW_INTERVALS} sampling intervals ` +
              `(${medianS.toPrecision(3)} s): expect ~${(e * 100).toFixed(0)} % error in its energy, ` +
              `up to ${(m * 100).toFixed(0)} %; sample faster or integrate over whole runs`,
            expectedRelError: e,
            maxRelError: m,
          });
        }
      }
      out[a.order] = {
        id: w.id,
        startS: w.startS,
        endS: w.endS,
        durationS,
        energyJ: a.energyJ,
        netEnergyJ: idle === undefined ? null : a.energyJ - idle * a.coveredS,
        meanPowerW: a.coveredS > 0 ? a.energyJ / a.coveredS : null,
        samples: a.samples,
        coverage,
        warnings,
        lines: a.lineStart < 0 ? null : { lineStart: a.lineStart, lineEnd: a.lineEnd },
      };
    }
    return out;
  }
}

function indexByOrder(sorted: readonly Acc[]): Acc[] {
  const out = new Array<Acc>(sorted.length);
  for (const a of sorted) out[a.order] = a;
  return out;
}

function noteLines(a: Acc, lineStart: number, lineEnd: number): void {
  if (a.lineStart < 0 || lineStart < a.lineStart) a.lineStart = lineStart;
  if (lineEnd > a.lineEnd) a.lineEnd = lineEnd;
}

/**
 * Energy per window (see `WindowIntegrator`) from any sample source, in one streaming pass.
 * @example
 *   const log = readPowerLog("tegrastats.log", { intervalMs: 100 });
 *   const [w] = await integrateWindows(log, [{ id: "q1", startS: 12.0, endS: 15.5 }], { idlePowerW: 2.1 });
 */
export async function integrateWindows(
  samples: SampleSource,
  windows: readonly EnergyWindow[],
  options: IntegrateOptions = {},
): Promise<WindowEnergy[]> {
  const acc = new WindowIntegrator(windows, options);
  for await (const b of sampleColumns(samples)) acc.pushBatch(b);
  return acc.finish();
}
