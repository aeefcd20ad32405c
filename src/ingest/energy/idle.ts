import { inputError } from "../../errors.js";
import { integrateWindows, type IntegrateOptions, type WindowEnergy } from "./integrate.js";
import type { SampleSource } from "./samples.js";

/** Least share of the idle segment that power data must cover. */
export const IDLE_MIN_COVERAGE = 0.9;

/** An idle segment must have a positive length. */
export function checkIdleSegment(segment: { startS: number; endS: number }): void {
  if (!(segment.endS > segment.startS)) {
    throw inputError(`idle segment ${segment.startS} … ${segment.endS} s is empty`, { hint: "give start_s < end_s" });
  }
}

/**
 * Idle power (W) from the idle segment integrated as a window (in the same sweep as the
 * inferences' windows, or on its own): its mean power. Throws when the data cover less than 90 %.
 */
export function idleFromWindow(w: WindowEnergy | undefined, segment: { startS: number; endS: number }): number {
  if (w === undefined || w.meanPowerW === null || w.coverage < IDLE_MIN_COVERAGE) {
    const pct = ((w?.coverage ?? 0) * 100).toFixed(0);
    throw inputError(`power data cover ${pct} % of the idle segment ${segment.startS} … ${segment.endS} s`, {
      hint: "measure idle inside the power log's time range (check the clock offset), or give a separate idle log",
    });
  }
  return w.meanPowerW;
}

/**
 * Idle power (W): the time-weighted mean power over a measured idle segment (trapezoid, edges
 * interpolated), on the same clock and with the same calibration as the windows it will be
 * subtracted from. Throws when the data cover less than 90 % of the segment.
 * @example const idleW = await idleBaselineW(readPowerLog("idle.log"), { startS: 0, endS: 60 });
 */
export async function idleBaselineW(
  samples: SampleSource,
  segment: { startS: number; endS: number },
  options: Omit<IntegrateOptions, "idlePowerW"> = {},
): Promise<number> {
  checkIdleSegment(segment);
  const [w] = await integrateWindows(samples, [{ id: "idle", ...segment }], options);
  return idleFromWindow(w, segment);
}
