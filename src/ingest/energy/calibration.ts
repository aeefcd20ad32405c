import { usageError } from "../../errors.js";

/**
 * A linear meter correction fitted against a reference meter: true W = gain × read W + offsetW.
 * The usual fix for the Raspberry Pi 5 PMIC, which misses conversion losses and reads low.
 * Being linear, it may be applied per sample before integration (what slm-energy does) or to the
 * energy afterwards (gain × E + offsetW × duration): the results agree.
 */
export interface PowerCalibration {
  gain: number;
  offsetW: number;
}

/** Check a calibration once, at the boundary; returns it. */
export function checkCalibration(c: PowerCalibration): PowerCalibration {
  if (!Number.isFinite(c.gain) || c.gain <= 0)
    throw usageError(
      `calibration gain ${c.gain} must be a positive number`,
      "a gain is the meter's slope against a reference, near 1",
    );
  if (!Number.isFinite(c.offsetW)) throw usageError(`calibration offset ${c.offsetW} W must be a finite number`);
  return c;
}

/** Corrected power (W) of one reading. */
export function calibratedPowerW(readW: number, c: PowerCalibration | undefined): number {
  return c === undefined ? readW : c.gain * readW + c.offsetW;
}
