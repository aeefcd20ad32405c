import { describe, expect, it } from "vitest";
import { fitMixedModel, predictMixed } from "../../src/stats/mixed-model.js";
import { mulberry32 } from "../../src/stats/rng.js";

/** Simulated groups with known variances: EM must recover them and shrink small levels. */
function simulate(seed: number, levels: number, perLevel: number, tau: number, sigma: number) {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const y: number[] = [];
  const lv: string[] = [];
  const truth: number[] = [];
  for (let l = 0; l < levels; l++) {
    const u = tau * gauss();
    truth.push(u);
    for (let k = 0; k < perLevel; k++) {
      y.push(1.5 + u + sigma * gauss());
      lv.push(`L${l}`);
    }
  }
  return { y, lv, truth };
}

describe("fitMixedModel", () => {
  it("recovers the intercept and the variance components of a one-way random-effects model", () => {
    const { y, lv } = simulate(3, 60, 8, 0.5, 0.2);
    const fit = fitMixedModel({ y, fixed: y.map(() => [1]), groups: [{ name: "g", levels: lv }] });
    expect(fit.beta[0]).toBeCloseTo(1.5, 0);
    expect(Math.sqrt(fit.tau2.g as number)).toBeGreaterThan(0.38);
    expect(Math.sqrt(fit.tau2.g as number)).toBeLessThan(0.65);
    expect(Math.sqrt(fit.sigma2)).toBeGreaterThan(0.17);
    expect(Math.sqrt(fit.sigma2)).toBeLessThan(0.23);
  });

  it("shrinks a level seen once toward the centre, and an unseen level predicts the centre with τ² added", () => {
    const { y, lv } = simulate(5, 30, 6, 0.4, 0.3);
    y.push(10);
    lv.push("outlier-once");
    const fit = fitMixedModel({ y, fixed: y.map(() => [1]), groups: [{ name: "g", levels: lv }] });
    const once = fit.effects.g?.["outlier-once"];
    expect(once?.n).toBe(1);
    // Raw deviation ≈ 8.5; partial pooling keeps only a share τ²/(τ²+σ²) of it.
    const share = (fit.tau2.g as number) / ((fit.tau2.g as number) + fit.sigma2);
    expect((once?.mean ?? 0) / (10 - (fit.beta[0] as number))).toBeCloseTo(share, 1);
    const unseen = predictMixed(fit, [1], { g: "never" });
    expect(unseen.unseen).toEqual(["g"]);
    expect(unseen.mean).toBeCloseTo(fit.beta[0] as number, 10);
    const seen = predictMixed(fit, [1], { g: "L0" });
    expect(unseen.variance).toBeGreaterThan(seen.variance);
    expect(unseen.variance).toBeGreaterThan((fit.tau2.g as number) + fit.sigma2);
  });

  it("separates two crossed groups", () => {
    const rng = mulberry32(11);
    const a = [0.6, -0.3, 0, -0.3];
    const b = [-0.5, 0.5];
    const y: number[] = [];
    const la: string[] = [];
    const lb: string[] = [];
    for (let r = 0; r < 200; r++) {
      const i = Math.floor(rng() * 4);
      const j = Math.floor(rng() * 2);
      y.push((a[i] as number) + (b[j] as number) + 0.05 * (rng() - 0.5));
      la.push(`a${i}`);
      lb.push(`b${j}`);
    }
    const fit = fitMixedModel({
      y,
      fixed: y.map(() => [1]),
      groups: [
        { name: "a", levels: la },
        { name: "b", levels: lb },
      ],
    });
    const pa0 = predictMixed(fit, [1], { a: "a0", b: "b1" }).mean;
    expect(pa0).toBeCloseTo(0.6 + 0.5, 1);
  });
});
