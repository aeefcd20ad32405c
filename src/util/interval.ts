import type { PrintedNumber } from "../paper/printed-number.js";

/**
 * Closed intervals of positive reals, for carrying the rounding of printed numbers through
 * recomputations. All operations assume non-negative operands (every quantity the paper prints is).
 */
export interface Interval {
  lo: number;
  hi: number;
}

export const interval = (lo: number, hi: number): Interval => ({ lo: Math.min(lo, hi), hi: Math.max(lo, hi) });
export const point = (x: number): Interval => ({ lo: x, hi: x });

/** The interval a printed number stands for: value ± half a unit in its last place. */
export const fromPrinted = (p: PrintedNumber): Interval => interval(p.value - p.halfUlp, p.value + p.halfUlp);

export const mul = (a: Interval, b: Interval): Interval => interval(a.lo * b.lo, a.hi * b.hi);
export const div = (a: Interval, b: Interval): Interval => interval(a.lo / b.hi, b.lo === 0 ? Infinity : a.hi / b.lo);
export const scale = (a: Interval, k: number): Interval => interval(a.lo * k, a.hi * k);
export const add = (a: Interval, b: Interval): Interval => interval(a.lo + b.lo, a.hi + b.hi);
export const mean = (xs: readonly Interval[]): Interval => scale(xs.reduce(add, point(0)), 1 / xs.length);
export const mid = (a: Interval): number => (a.lo + a.hi) / 2;
export const overlaps = (a: Interval, b: Interval): boolean => a.lo <= b.hi && b.lo <= a.hi;
export const contains = (a: Interval, x: number): boolean => a.lo <= x && x <= a.hi;
export const intersect = (a: Interval, b: Interval): Interval | null =>
  overlaps(a, b) ? { lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) } : null;

/**
 * The region covered by the most intervals (a sweep over their end points) and which intervals
 * cover it. Used to estimate a quantity the paper never prints from all cells that imply it.
 */
export function maxCoverage(xs: readonly Interval[]): { region: Interval; members: number[] } {
  const events: { x: number; open: boolean; i: number }[] = [];
  xs.forEach((iv, i) => {
    events.push({ x: iv.lo, open: true, i });
    events.push({ x: iv.hi, open: false, i });
  });
  events.sort((a, b) => a.x - b.x || (a.open === b.open ? 0 : a.open ? -1 : 1));
  let best = -1;
  let bestX = 0;
  const active = new Set<number>();
  let bestSet: number[] = [];
  for (const e of events) {
    if (e.open) {
      active.add(e.i);
      if (active.size > best) {
        best = active.size;
        bestX = e.x;
        bestSet = [...active];
      }
    } else active.delete(e.i);
  }
  let region: Interval = { lo: bestX, hi: bestX };
  if (bestSet.length > 0) {
    region = bestSet.map((i) => xs[i]!).reduce((a, b) => intersect(a, b) ?? a);
  }
  return { region, members: bestSet.sort((a, b) => a - b) };
}
