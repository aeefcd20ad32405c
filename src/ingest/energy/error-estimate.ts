/**
 * How wrong can the energy of a short window be, given the sampling interval?
 *
 * Trapezoidal integration replaces the true power between two readings `δ` seconds apart by a
 * straight line. An inference switches power on at its start and off at its end: a step of up
 * to the window's own power P at an unknown moment inside a sampling interval. The line moves
 * energy P·(δ/2 − u) across the window edge, u uniform in [0, δ]: at most P·δ/2 per edge, with an
 * RMS of P·δ/√12. Against the window's energy P·T the two edges give
 *
 *     max relative error  = δ / T
 *     expected (RMS)      = √2 · δ / (√12 · T) = δ / (√6 · T) ≈ 0.41 δ / T
 *
 * so a window shorter than two intervals (T < 2δ) carries an expected error above 20 % and can be
 * off by 50 % or more. Constant power has no such error; the estimate is for on/off steps.
 */
export function expectedRelError(intervalS: number, durationS: number): number {
  return intervalS / (Math.sqrt(6) * durationS);
}

/** Upper bound of the relative error of a window's energy from edge steps (see above). */
export function maxRelError(intervalS: number, durationS: number): number {
  return intervalS / durationS;
}

/** Windows shorter than this many sampling intervals get a warning. */
export const SHORT_WINDOW_INTERVALS = 2;
/** Intervals longer than this many times the median are gaps. */
export const GAP_FACTOR = 3;
