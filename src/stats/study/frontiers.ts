import type { Benchmark, ModelId } from "../../domain/ids.js";
import { paretoIndices, paretoStatus } from "../pareto.js";
import type { StudyObservation } from "./observations.js";

export type FrontierCost = "energyPerInferenceWh" | "latencyS";

export interface FrontierPoint {
  platform: string;
  model: ModelId;
  cost: number;
  accuracyPct: number;
  /** On the frontier of the point values. */
  onFrontier: boolean;
  /** With the accuracy's Wilson interval and the cost's rounding: surely on, uncertain, surely off. */
  status: "frontier" | "uncertain" | "dominated";
}

/** Accuracy (higher is better) against a per-inference cost (lower is better), per platform and benchmark. */
export interface Frontier {
  /** A platform key, or "all" for the frontier across platforms (choosing board and model together). */
  platform: string;
  benchmark: Benchmark;
  cost: FrontierCost;
  /** Every candidate, by increasing cost. */
  points: FrontierPoint[];
}

function frontierOf(
  platform: string,
  benchmark: Benchmark,
  cost: FrontierCost,
  os: readonly StudyObservation[],
): Frontier {
  const values = os.map((o) => ({ cost: o[cost], benefit: o.accuracyPct }));
  const on = new Set(paretoIndices(values));
  const status = paretoStatus(
    os.map((o) => {
      const r = cost === "energyPerInferenceWh" ? o.energyPerInferenceWhRange : o.latencyRangeS;
      return { costLo: r.lo, costHi: r.hi, benefitLo: o.accuracyCi.lo, benefitHi: o.accuracyCi.hi };
    }),
  );
  const points = os.map((o, i) => ({
    platform: o.platform,
    model: o.model,
    cost: o[cost],
    accuracyPct: o.accuracyPct,
    onFrontier: on.has(i),
    status: status[i]!,
  }));
  points.sort((a, b) => a.cost - b.cost);
  return { platform, benchmark, cost, points };
}

/** Pareto frontiers per platform and benchmark, and across platforms ("all"), for energy and latency. */
export function paretoFrontiers(observations: readonly StudyObservation[]): Frontier[] {
  const platforms = [...new Set(observations.map((o) => o.platform))];
  const benchmarks = [...new Set(observations.map((o) => o.benchmark))];
  const out: Frontier[] = [];
  for (const cost of ["energyPerInferenceWh", "latencyS"] as const) {
    for (const b of benchmarks) {
      for (const p of platforms)
        out.push(
          frontierOf(
            p,
            b,
            cost,
            observations.filter((o) => o.platform === p && o.benchmark === b),
          ),
        );
      out.push(
        frontierOf(
          "all",
          b,
          cost,
          observations.filter((o) => o.benchmark === b),
        ),
      );
    }
  }
  return out;
}
