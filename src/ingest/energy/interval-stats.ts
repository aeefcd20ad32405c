/**
 * Constant-memory statistics of sampling intervals for multi-million-sample logs: a histogram of
 * log2(interval) with 32 bins per octave (1 ns … 34 years), keeping each bin's count and sum.
 * The median is the mean of the intervals in the median bin, so it is exact for regular sampling
 * and within 2.2 % otherwise. Used for gap detection (interval > 3 × median) and for the error
 * estimate of short windows.
 */
const PER_OCTAVE = 32;
const MIN_LOG2 = -30;
const MAX_LOG2 = 30;
const BINS = (MAX_LOG2 - MIN_LOG2) * PER_OCTAVE;

/** An `IntervalStats` as plain data. */
export interface IntervalStatsData {
  counts: Float64Array;
  sums: Float64Array;
  count: number;
  maxS: number;
}

export class IntervalStats {
  private readonly counts = new Float64Array(BINS);
  private readonly sums = new Float64Array(BINS);
  count = 0;
  maxS = 0;

  // The bin of the last interval and its bounds: regular sampling hits it again without a log2.
  // Public so that a hot loop can count hits itself and hand them over with `addToLastBin`.
  lastBin = -1;
  lastLo = 0;
  lastHi = 0;

  /** Add `count` intervals summing to `sumS` (longest `maxS`) that all fall in `lastBin`. */
  addToLastBin(count: number, sumS: number, maxS: number): void {
    if (count === 0) return;
    this.counts[this.lastBin]! += count;
    this.sums[this.lastBin]! += sumS;
    this.count += count;
    if (maxS > this.maxS) this.maxS = maxS;
  }

  add(intervalS: number): void {
    if (!(intervalS > 0)) return;
    let bin: number;
    if (intervalS >= this.lastLo && intervalS < this.lastHi) bin = this.lastBin;
    else {
      bin = Math.floor((Math.log2(intervalS) - MIN_LOG2) * PER_OCTAVE);
      if (bin < 0) bin = 0;
      else if (bin >= BINS) bin = BINS - 1;
      this.lastBin = bin;
      // Bounds a little inside the bin, so rounding in log2 cannot put a value in the wrong one.
      this.lastLo = 2 ** (bin / PER_OCTAVE + MIN_LOG2) * (1 + 1e-12);
      this.lastHi = 2 ** ((bin + 1) / PER_OCTAVE + MIN_LOG2) * (1 - 1e-12);
    }
    this.counts[bin]! += 1;
    this.sums[bin]! += intervalS;
    this.count++;
    if (intervalS > this.maxS) this.maxS = intervalS;
  }

  /** The histogram as plain data (for a worker's message). */
  toData(): IntervalStatsData {
    return { counts: this.counts.slice(), sums: this.sums.slice(), count: this.count, maxS: this.maxS };
  }

  /**
   * Add another part of the same trace (a block of a split file, see split.ts): counts and sums
   * bin by bin. Parts added in the same order give the same figures whichever thread read them.
   */
  merge(o: IntervalStatsData): void {
    if (o.count === 0) return;
    const { counts, sums } = this;
    for (let b = 0; b < BINS; b++) {
      const c = o.counts[b]!;
      if (c === 0) continue;
      counts[b]! += c;
      sums[b]! += o.sums[b]!;
    }
    this.count += o.count;
    if (o.maxS > this.maxS) this.maxS = o.maxS;
  }

  /** Median interval (s), or null before two samples. */
  medianS(): number | null {
    if (this.count === 0) return null;
    const half = this.count / 2;
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      const c = this.counts[b]!;
      if (c === 0) continue;
      seen += c;
      if (seen >= half) return this.sums[b]! / c;
    }
    return null;
  }
}
