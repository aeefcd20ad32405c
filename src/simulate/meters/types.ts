import type { DeviceId } from "../../domain/ids.js";
import type { PowerFormat } from "../../ingest/types.js";
import type { Rng } from "../../stats/rng.js";
import type { PowerTrace } from "../trace.js";

export const METER_IDS = ["tegrastats", "jtop", "pmic", "fnirsi", "usb-csv", "rapl", "nvidia-smi"] as const;
export type MeterId = (typeof METER_IDS)[number];

/**
 * What a meter does to the true power, in the terms the error budget needs. A reading at time t
 * is the mean of the true power over (t − averagingS, t] (0 = instantaneous), read up to
 * `skewS` late (a multi-line PMIC block), plus Gaussian noise of sd `noiseW`, rounded to
 * `quantW` (the step of the printed total), every `intervalS`.
 */
export interface SensorModel {
  intervalS: number;
  averagingS: number;
  skewS: number;
  noiseW: number;
  quantW: number;
  /** True for energy counters (RAPL): the log's samples are exact means over their spans. */
  counter: boolean;
  /** Printed time resolution (s). */
  timeResolutionS: number;
  description: string;
}

export interface MeterContext {
  trace: PowerTrace;
  /** Host-clock span the logger runs over. */
  startS: number;
  endS: number;
  sampleHz: number;
  device: DeviceId;
  rng: Rng;
  /** Power-logger clock = host clock − offset. */
  clockOffsetS: number;
  /** Time as the logger prints it, from its own clock (identity unless a clock jump is injected). */
  printedS: (loggerS: number) => number;
  /** Whether the meter may omit time stamps (tegrastats without a date prefix). */
  allowTimeless: boolean;
}

/** A written power log, line by line, with where each reading starts (for damage injection). */
export interface MeterOutput {
  fileName: string;
  lines: string[];
  /** 0-based index of the first line of each reading (header lines come before the first). */
  readingStarts: number[];
  /** Manifest fields the log needs: its format, clock offset, sampling interval, calibration. */
  manifest: {
    meter: PowerFormat;
    clock_offset_s: number;
    power_interval_ms?: number;
    power_calibration?: { gain: number; offset_w: number };
  };
  sensor: SensorModel;
  /** True when the log has time stamps of its own. */
  timed: boolean;
  /** Things a user should know about this meter on this device. */
  notes: string[];
}

export interface MeterSpec {
  id: MeterId;
  title: string;
  defaultHz: number;
  maxHz: number;
  /** Devices where the meter exists for real; elsewhere the simulation is hypothetical. */
  realOn: readonly DeviceId[];
  write(ctx: MeterContext): MeterOutput;
}

/** Sample times (host clock) from start to end, `1/hz` apart, with optional jitter (s sd). */
export function sampleTimes(startS: number, endS: number, hz: number, jitterS = 0, rng?: Rng): number[] {
  const dt = 1 / hz;
  const out: number[] = [];
  const n = Math.floor((endS - startS) / dt + 1e-9);
  for (let k = 0; k <= n; k++) {
    let t = startS + k * dt;
    if (jitterS > 0 && rng && k > 0 && k < n) t += Math.max(-0.4 * dt, Math.min(0.4 * dt, jitterS * rng.normal()));
    out.push(t);
  }
  return out;
}

/** The reading a sensor reports at host time t (before noise and rounding). */
export function sensed(trace: PowerTrace, t: number, averagingS: number): number {
  if (averagingS <= 0) return trace.powerAt(t);
  const a = Math.max(trace.startS, t - averagingS);
  return a < t ? trace.meanW(a, t) : trace.powerAt(t);
}

export const pad2 = (n: number): string => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) with `digits` fraction digits (0 = none), separator `sep`. */
export function dateTimeText(epochS: number, digits: number, opts: { sep?: string; dateSep?: string } = {}): string {
  const whole = Math.floor(epochS);
  const frac = epochS - whole;
  let w = whole;
  let fracText = "";
  if (digits > 0) {
    let f = Math.round(frac * 10 ** digits);
    if (f >= 10 ** digits) {
      f -= 10 ** digits;
      w += 1;
    }
    fracText = "." + String(f).padStart(digits, "0");
  }
  const d = new Date(w * 1000);
  const ds = opts.dateSep ?? "-";
  return (
    `${d.getUTCFullYear()}${ds}${pad2(d.getUTCMonth() + 1)}${ds}${pad2(d.getUTCDate())}${opts.sep ?? " "}` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fracText}`
  );
}
