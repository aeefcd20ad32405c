import { describe, expect, it } from "vitest";
import { isSurelyFeasible, recommend } from "../../src/recommend/rank.js";
import type { Candidate } from "../../src/recommend/types.js";

function cand(
  model: string,
  energyWh: number,
  accuracyPct: number,
  latencyS: number,
  extra: Partial<Candidate> = {},
): Candidate {
  return {
    source: "measured",
    device: "jetson-orin-nano",
    backend: "gpu",
    powerMode: null,
    model,
    quant: null,
    benchmark: "hellaswag",
    accuracyPct,
    accuracyLoPct: accuracyPct - 2,
    accuracyHiPct: accuracyPct + 2,
    accuracyBasis: "test",
    energyPerInferenceWh: energyWh,
    energyLoWh: energyWh * 0.99,
    energyHiWh: energyWh * 1.01,
    latencyS,
    latencyLoS: latencyS,
    latencyHiS: latencyS,
    costBasis: "test",
    notes: [],
    ...extra,
  };
}

// Five hand-made choices for a budget of 0.003 Wh and a floor of 60 %:
const five = [
  cand("a", 0.001, 58, 0.2), // too inaccurate
  cand("b", 0.002, 65, 0.5), // feasible
  cand("c", 0.0025, 70, 1.0), // feasible, most accurate
  cand("d", 0.0028, 64, 0.4), // feasible, dominated by b (costlier, less accurate)
  cand("e", 0.004, 80, 2.0), // over budget
];

describe("recommend", () => {
  it("keeps b, c, d; ranks by accuracy: c, b, d; c and b on the Pareto frontier, d not", () => {
    const r = recommend(five, { maxEnergyWhPerInference: 0.003, minAccuracyPct: 60, benchmark: "hellaswag" });
    expect(r.recommendations.map((x) => [x.rank, x.model, x.pareto])).toEqual([
      [1, "c", true],
      [2, "b", true],
      [3, "d", false],
    ]);
    expect(r.nearMisses).toEqual([]);
    expect(r.considered).toEqual({ measured: 5, predicted: 0 });
  });
  it("a latency limit of 0.6 s drops c", () => {
    const r = recommend(five, {
      maxEnergyWhPerInference: 0.003,
      minAccuracyPct: 60,
      maxLatencyS: 0.6,
      benchmark: "hellaswag",
    });
    expect(r.recommendations.map((x) => x.model)).toEqual(["b", "d"]);
  });
  it("certainty: d's accuracy interval [62, 66] clears 60 %, but not 63 %: sure, then likely", () => {
    expect(isSurelyFeasible(five[3]!, { maxEnergyWhPerInference: 0.003, minAccuracyPct: 60 })).toBe(true);
    const r = recommend(five, { maxEnergyWhPerInference: 0.003, minAccuracyPct: 63, benchmark: "hellaswag" });
    expect(r.recommendations.find((x) => x.model === "d")!.certainty).toBe("likely");
    expect(r.recommendations.find((x) => x.model === "c")!.certainty).toBe("sure");
  });
  it("nothing fits: the near misses name the cheapest way to the floor and the best within budget", () => {
    const r = recommend(five, { maxEnergyWhPerInference: 0.0015, minAccuracyPct: 75, benchmark: "hellaswag" });
    expect(r.recommendations).toEqual([]);
    expect(r.nearMisses[0]!.cheapestReachingAccuracy!.model).toBe("e");
    expect(r.nearMisses[0]!.mostAccurateWithinBudget!.model).toBe("a");
  });
  it("without --benchmark, each benchmark is ranked on its own", () => {
    const both = [...five, cand("w", 0.001, 90, 0.1, { benchmark: "winogrande" })];
    const r = recommend(both, { maxEnergyWhPerInference: 0.003, minAccuracyPct: 60 });
    expect(r.recommendations.filter((x) => x.benchmark === "winogrande").map((x) => [x.rank, x.model])).toEqual([
      [1, "w"],
    ]);
    // MMLU has no candidates at all: no near miss either.
    expect(r.nearMisses).toEqual([]);
  });
});
