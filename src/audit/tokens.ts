import { medianSorted } from "simple-statistics";
import type { Benchmark, ModelId } from "../domain/ids.js";
import { parsePrinted } from "../paper/printed-number.js";
import type { PaperCell } from "../paper/types.js";
import { fromPrinted, maxCoverage, mid, mul, scale, type Interval } from "../util/interval.js";

/**
 * Tokens per inference of a (model, benchmark): the paper never prints it, but two families of
 * cells imply it on every platform — tokens/s × latency, and tokens/Wh × energy / N. Tokenization
 * does not depend on the platform, so all eight must agree. The estimate is the region most of
 * them agree on; cells outside it are the discrepant ones.
 */
export interface TokenEstimate {
  model: ModelId;
  benchmark: Benchmark;
  tokensPerInference: Interval;
  /** Cells (as `metric@device/backend`) that agree with the estimate, and all that were tried. */
  agreeing: string[];
  tried: string[];
  /** Median tokens per inference implied by the tokens/s cells and by the tokens/Wh cells. */
  fromThroughput: number | null;
  fromPerWh: number | null;
}

/** simple-statistics' median of the values; null for none. */
const median = (xs: number[]): number | null => (xs.length === 0 ? null : medianSorted([...xs].sort((a, b) => a - b)));

const iv = (c: PaperCell): Interval => fromPrinted(parsePrinted(c.printed));

export function estimateTokensPerInference(
  cells: readonly PaperCell[],
  model: ModelId,
  benchmark: Benchmark,
  inferences: number,
): TokenEstimate {
  const mine = cells.filter((c) => c.model === model && c.benchmark === benchmark);
  const platforms = [...new Set(mine.map((c) => `${c.device}/${c.backend}`))];
  const intervals: Interval[] = [];
  const labels: string[] = [];
  for (const p of platforms) {
    const get = (m: string): PaperCell | undefined =>
      mine.find((c) => `${c.device}/${c.backend}` === p && c.metric === m);
    const thr = get("throughput");
    const lat = get("latency_s");
    const perWh = get("per_wh");
    const e = get("energy_wh");
    if (thr && lat) {
      intervals.push(mul(iv(thr), iv(lat)));
      labels.push(`throughput@${p}`);
    }
    if (perWh && e) {
      intervals.push(scale(mul(iv(perWh), iv(e)), 1 / inferences));
      labels.push(`per_wh@${p}`);
    }
  }
  const { region, members } = maxCoverage(intervals);
  const mids = (prefix: string): number[] => intervals.filter((_, i) => labels[i]!.startsWith(prefix)).map(mid);
  return {
    model,
    benchmark,
    tokensPerInference: region,
    agreeing: members.map((i) => labels[i]!),
    tried: labels,
    fromThroughput: median(mids("throughput@")),
    fromPerWh: median(mids("per_wh@")),
  };
}

/** Midpoint estimate, convenient for reports. */
export const tokensPoint = (t: TokenEstimate): number => mid(t.tokensPerInference);
