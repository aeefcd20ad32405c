import { describe, expect, it } from "vitest";
import { validate, foldKey } from "../../src/model/validate.js";
import { fitStatistical, predictStatistical } from "../../src/model/baselines.js";
import { validateCommand } from "../../src/cli/commands/validate.js";
import { loadData } from "../../src/pipeline/model/data.js";
import { runCommand, ROOT } from "./run-command.js";
import { syntheticStudy, world } from "./synthetic.js";
import { parityFigure, residualFigure } from "../../src/figures/specs/model-validation.js";

describe("cross-validation on a synthetic study with 5% noise", () => {
  const obs = syntheticStudy(0.05, 21);
  const pair = validate(obs, world, "loo-pair", { bootstrap: 20 });

  it("holds out each (platform, model) pair once: 16 folds, 48 cells", () => {
    expect(pair.folds).toBe(16);
    expect(pair.cells).toHaveLength(48);
    expect(new Set(pair.cells.map((c) => c.fold)).size).toBe(16);
  });

  it("predicts held-out pairs within 10% when the physics is right", () => {
    expect(pair.latency.mapePct).toBeLessThan(10);
    expect(pair.energy.mapePct).toBeLessThan(10);
  });

  it("beats the uncalibrated spec-sheet roofline by far", () => {
    expect(pair.baselines.rooflineUncalibrated.latency.mapePct).toBeGreaterThan(3 * pair.latency.mapePct);
  });

  it("draws its parity and residual figures: three panels of predictors, one box per model", () => {
    const parity = parityFigure(pair, "latency_s");
    expect(parity.name).toBe("model-parity-latency-loo-pair");
    const markers = parity.data.filter((d) => (d as { mode?: string }).mode === "markers");
    expect(markers).toHaveLength(3 * 4);
    const xs = markers.flatMap((d) => (d as { x: number[] }).x);
    expect(xs).toHaveLength(3 * 48);
    const residuals = residualFigure(pair, "energy_wh");
    expect(residuals.name).toBe("model-residuals-energy-loo-pair");
    expect(residuals.data).toHaveLength(4);
  });

  it("names a platform fold by device and backend", () => {
    expect(foldKey("loo-device", obs[0]!)).toBe("raspberry-pi-5/cpu");
    expect(foldKey("loo-model", obs[0]!)).toBe("tinyllama-1.1b");
    expect(foldKey("loo-pair", obs[0]!)).toBe("raspberry-pi-5/cpu/default × tinyllama-1.1b");
  });
});

describe("statistical baseline", () => {
  it("reproduces held-out cells exactly when the data are additive in log space", () => {
    const obs = syntheticStudy(0, 1);
    // ln y = (platform effect) + (model × benchmark effect), by construction
    const plat = (o: (typeof obs)[number]) => `${o.device}/${o.backend}`;
    const y = new Map(
      obs.map((o) => [
        o,
        Math.exp(0.3 * (o.model.length % 7) + 0.11 * o.benchmark.length + 0.5 * (plat(o).length % 3)),
      ]),
    );
    const data = obs.map((o) => ({ ...o, latencyS: y.get(o)! }));
    const test = data.find((o) => o.device === "jetson-nano" && o.model === "phi-3-mini" && o.benchmark === "mmlu")!;
    const train = data.filter((o) => !(o.device === test.device && o.model === test.model));
    const f = fitStatistical(train, (o) => o.latencyS);
    expect(predictStatistical(f, test).value / test.latencyS).toBeCloseTo(1, 6);
  });
});

describe("validate on the paper (the issue's benchmark figures)", () => {
  it("beats the statistical baseline leaving one pair out, for latency and energy", () => {
    const data = loadData(ROOT, { paper: true, runs: [] });
    const r = validate(data.observations, data.world, "loo-pair", { bootstrap: 10 });
    expect(r.latency.mapePct).toBeLessThan(r.baselines.statistical.latency.mapePct);
    expect(r.energy.mapePct).toBeLessThan(r.baselines.statistical.energy.mapePct);
    // the statistical baseline scores roughly 30% and 26% on this data, as the issue states
    expect(r.baselines.statistical.latency.mapePct).toBeGreaterThan(25);
    expect(r.baselines.statistical.latency.mapePct).toBeLessThan(35);
  }, 120_000);

  it("prints exactly the JSON fields the issue names", async () => {
    const r = await runCommand(validateCommand, ["--scheme", "loo-model", "--bootstrap", "2", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, 4)).toEqual(["scheme", "latency", "energy", "baselines"]);
    expect(j.scheme).toBe("loo-model");
    for (const part of [
      j.latency,
      j.energy,
      j.baselines.statistical.latency,
      j.baselines.roofline_uncalibrated.energy,
    ]) {
      expect(part).toHaveProperty("mape_pct");
      expect(part).toHaveProperty("median_ape_pct");
      expect(part).toHaveProperty("max_ape_pct");
      expect(part).toHaveProperty("coverage_pct");
      expect(Object.keys(part.by_benchmark)).toEqual(["mmlu", "hellaswag", "winogrande"]);
    }
    expect(j.baselines.roofline_uncalibrated.latency.coverage_pct).toBeNull();
    expect(j.cells).toHaveLength(48);
    expect(j.cells[0]).toMatchObject({
      fold: expect.any(String),
      latency_s: { measured: expect.any(Number), predicted: expect.any(Number) },
    });
  }, 120_000);

  it("refuses an unknown scheme with exit code 2", async () => {
    const r = await runCommand(validateCommand, ["--scheme", "loo-everything"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/loo-pair, loo-model, loo-device/);
  });
});
