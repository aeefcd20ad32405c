import { describe, expect, it } from "vitest";
import { loadPaper } from "../../../src/io/paper.js";
import {
  compareAccuracyAcrossPlatforms,
  compareModelAccuracies,
} from "../../../src/stats/study/accuracy-comparisons.js";
import { paretoFrontiers } from "../../../src/stats/study/frontiers.js";
import { loadModelScales } from "../../../src/stats/study/model-scales.js";
import { studyObservations } from "../../../src/stats/study/observations.js";
import { comparePlatforms } from "../../../src/stats/study/platform-comparisons.js";
import { scalingFits } from "../../../src/stats/study/scaling.js";

const paper = loadPaper(process.cwd());
const obs = studyObservations(paper);
const find = (platform: string, model: string, benchmark: string) =>
  obs.find((o) => o.platform === platform && o.model === model && o.benchmark === benchmark)!;

describe("the study's measured cells with their uncertainty", () => {
  it("48 cells: 4 platforms × 4 models × 3 benchmarks", () => {
    expect(obs).toHaveLength(48);
  });
  it("Raspberry Pi 5, Llama 3.2, MMLU: 39.4 % of 1000 = 394 correct, Wilson [36.4, 42.5] %; 9.07 Wh / 1000 = 0.00907 Wh per inference ± rounding", () => {
    const o = find("raspberry-pi-5/cpu", "llama-3.2-1b", "mmlu");
    expect(o.correct).toBe(394);
    expect(o.accuracyCi.lo).toBeCloseTo(36.418, 2);
    expect(o.accuracyCi.hi).toBeCloseTo(42.464, 2);
    expect(o.energyPerInferenceWh).toBeCloseTo(0.00907, 12);
    expect(o.energyPerInferenceWhRange.lo).toBeCloseTo(0.009065, 12);
    expect(o.energyPerInferenceWhRange.hi).toBeCloseTo(0.009075, 12);
    // EDP of one inference: 0.00907 Wh × 3600 J/Wh × 4.06 s.
    expect(o.edpPerInferenceJs).toBeCloseTo(0.00907 * 3600 * 4.06, 9);
  });
  it("HellaSwag's 400 items: 68.25 % is 273 correct", () => {
    expect(find("raspberry-pi-5/cpu", "gemma-2-2b", "hellaswag").correct).toBe(273);
  });
  it("carries the audit's verdicts on the run's derived cells (Phi-3 MMLU on the Jetson Nano: the EDP typo)", () => {
    expect(find("jetson-nano/cpu", "phi-3-mini", "mmlu").discrepantPublished).toContain("consolidated.edp_js: typo");
  });
});

describe("model accuracy comparisons at the study's n", () => {
  const cs = compareModelAccuracies(obs);
  it("6 model pairs × 4 platforms × 3 benchmarks = 72 tests, Holm ≥ raw p", () => {
    expect(cs).toHaveLength(72);
    for (const c of cs) expect(c.pHolm).toBeGreaterThanOrEqual(c.pValue);
  });
  it("Phi-3 vs TinyLlama on MMLU (Pi 5): 62.3 vs 19.0 %, an enormous, significant effect", () => {
    const c = cs.find(
      (x) =>
        x.platform === "raspberry-pi-5/cpu" &&
        x.benchmark === "mmlu" &&
        x.modelA === "phi-3-mini" &&
        x.modelB === "tinyllama-1.1b",
    )!;
    expect(c.differencePp.estimate).toBeCloseTo(43.3, 9);
    expect(c.effect).toBe("large");
    expect(c.significant).toBe(true);
  });
  it("Phi-3 vs Gemma 2 on Winogrande (Pi 5): 69.6 vs 69.0 % of 500 is no difference", () => {
    const c = cs.find(
      (x) =>
        x.platform === "raspberry-pi-5/cpu" &&
        x.benchmark === "winogrande" &&
        x.modelA === "phi-3-mini" &&
        x.modelB === "gemma-2-2b",
    )!;
    expect(c.significant).toBe(false);
    expect(c.differencePp.lo).toBeLessThan(0);
    expect(c.effect).toBe("negligible");
  });
  it("the same model scores the same on every platform (no Holm-significant difference): a sanity check of the runs", () => {
    expect(compareAccuracyAcrossPlatforms(obs).filter((c) => c.significant)).toEqual([]);
  });
});

describe("paired platform comparisons", () => {
  const cs = comparePlatforms(obs, "energyPerInferenceWh", { seed: 1 });
  it("6 platform pairs, 12 (model, benchmark) pairs each", () => {
    expect(cs).toHaveLength(6);
    for (const c of cs) expect(c.pairs).toBe(12);
  });
  it("Jetson Nano costs more energy than the Raspberry Pi 5 in all 12 pairs: exact p = 2/2^12, rank-biserial +1", () => {
    const c = cs.find((x) => x.platformA === "raspberry-pi-5/cpu" && x.platformB === "jetson-nano/cpu")!;
    expect(c.aCheaper).toBe(12);
    expect(c.pValue).toBeCloseTo(2 / 4096, 12);
    expect(c.rankBiserial).toBe(-1);
    expect(c.ratio.lo).toBeLessThan(c.ratio.estimate);
    expect(c.ratio.hi).toBeGreaterThan(c.ratio.estimate);
    expect(c.ratio.hi).toBeLessThan(1);
  });
  it("is reproducible per seed", () => {
    expect(comparePlatforms(obs, "energyPerInferenceWh", { seed: 1 })).toEqual(cs);
  });
});

describe("trade-off frontiers and scaling", () => {
  it("on the Orin GPU, MMLU, energy: Llama 3.2 (cheapest that beats TinyLlama) and Phi-3 (most accurate) are on the frontier", () => {
    const f = paretoFrontiers(obs).find(
      (x) => x.platform === "jetson-orin-nano/gpu" && x.benchmark === "mmlu" && x.cost === "energyPerInferenceWh",
    )!;
    expect(f.points.filter((p) => p.onFrontier).map((p) => p.model)).toEqual(["llama-3.2-1b", "phi-3-mini"]);
    // TinyLlama costs more than Llama 3.2 (2.06 vs 1.71 Wh) for less accuracy: surely dominated.
    expect(f.points.find((p) => p.model === "tinyllama-1.1b")!.status).toBe("dominated");
  });
  it("fits energy and latency per platform against three size measures; pooled fits have 12 points and 8 df", () => {
    const fits = scalingFits(obs, loadModelScales(process.cwd()));
    const pooled = fits.filter((f) => f.benchmark === null);
    expect(pooled).toHaveLength(4 * 2 * 3);
    for (const f of pooled) {
      expect(f.fit.n).toBe(12);
      expect(f.fit.df).toBe(8);
      expect(f.fit.exponent.lo).toBeLessThan(f.fit.exponent.hi);
    }
    // Energy per inference grows with model size on every platform.
    for (const f of pooled.filter((x) => x.predictor === "parametersB"))
      expect(f.fit.exponent.estimate).toBeGreaterThan(0.5);
  });
});
