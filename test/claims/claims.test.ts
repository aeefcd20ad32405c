import { describe, expect, it } from "vitest";
import { claimInputs, evaluateClaims } from "../../src/claims/evaluate.js";
import { bestAccuracyPerEnergy } from "../../src/claims/checks/best-accuracy-per-energy.js";
import { bestEdpPlatform } from "../../src/claims/checks/best-edp-platform.js";
import { gpuSpeedup } from "../../src/claims/checks/gpu-speedup.js";
import { hardwareFactors } from "../../src/claims/checks/hardware-factors.js";
import { phi3Cost } from "../../src/claims/checks/phi3-cost.js";
import { phi3Headline } from "../../src/claims/checks/phi3-headline.js";
import { thirtyThreeTimes } from "../../src/claims/checks/thirty-three-times.js";
import { tokensPerWhChampion } from "../../src/claims/checks/tokens-per-wh-champion.js";
import { worstEdp } from "../../src/claims/checks/worst-edp.js";
import { paper, reprinted } from "./helpers.js";

const inputs = claimInputs(paper());

describe("the paper's claims against its own data", () => {
  it("evaluates every claim once, with a verdict, a source line and numbers", () => {
    const claims = evaluateClaims(inputs);
    expect(claims.map((c) => c.id)).toEqual([
      "phi3-headline",
      "tokens-per-wh-champion",
      "worst-edp",
      "gpu-vs-cpu-speedup",
      "thirty-three-times-faster",
      "best-accuracy-per-energy-model",
      "best-edp-platform",
      "phi3-accuracy-at-impractical-cost",
      "gpu-and-bandwidth-dominate",
    ]);
    for (const c of claims) {
      expect(c.evidence.length).toBeGreaterThan(0);
      expect(c.source.line).toBeGreaterThan(0);
    }
  });

  it('"~33× faster": 19.2 s / 0.57 s = 33.68×, rounding allows 19.195/0.575 … 19.205/0.565', () => {
    const c = thirtyThreeTimes(inputs);
    expect(c.verdict).toBe("supported");
    const e = c.evidence[0]!;
    expect(e.value).toBeCloseTo(19.2 / 0.57, 10);
    expect(e.lo).toBeCloseTo(19.195 / 0.575, 10); // printed "19.20" in the consolidated table
    expect(e.hi).toBeCloseTo(19.205 / 0.565, 10);
    // HellaSwag for the same pair: 38.46 / 0.33.
    expect(c.evidence[1]!.value).toBeCloseTo(38.46 / 0.33, 10);
  });

  it('"~33×" fails when the Jetson Nano latency had been 17 s (29.8×, outside 33 ± 5 %)', () => {
    const p = reprinted(
      paper(),
      { device: "jetson-nano", backend: "cpu", model: "llama-3.2-1b", benchmark: "mmlu", metric: "latency_s" },
      "17.00",
    );
    expect(thirtyThreeTimes(claimInputs(p)).verdict).toBe("not supported");
  });

  it("Orin Nano GPU has the lowest EDP per inference in all 12 (model, benchmark) cells, and the lowest Wh/B for all 4 models", () => {
    const c = bestEdpPlatform(inputs);
    expect(c.verdict).toBe("supported");
    expect(c.evidence[0]!.value).toBe(12);
    expect(c.evidence[1]!.value).toBe(12);
    expect(c.evidence[4]!.value).toBe(4);
    // The published EDP column of the GPU rows is riddled with J/Wh slips; the verdict does not rest on it.
    expect(c.restsOnDiscrepant.length).toBeGreaterThan(0);
  });

  it("the EDP verdict drops when the GPU's Phi-3 MMLU latency is 100× worse", () => {
    const p = reprinted(
      paper(),
      { device: "jetson-orin-nano", backend: "gpu", model: "phi-3-mini", benchmark: "mmlu", metric: "latency_s" },
      "243",
    );
    expect(bestEdpPlatform(claimInputs(p)).verdict).toBe("partly supported");
  });

  it("Llama 3.2 has the most correct answers per Wh in all 12 (platform, benchmark) cells", () => {
    const c = bestAccuracyPerEnergy(inputs);
    expect(c.verdict).toBe("supported");
    // By hand, Pi 5 MMLU: Llama 0.394/0.00907 = 43.4 correct/Wh; TinyLlama 0.190/0.0109 = 17.4.
    expect(c.evidence[0]!.value).toBe(12);
  });

  it("… and is only partly supported if Llama 3.2 had used 10× the energy on the Raspberry Pi 5", () => {
    let p = paper();
    for (const [b, e] of [
      ["mmlu", "90.7"],
      ["hellaswag", "103.4"],
      ["winogrande", "20.5"],
    ] as const) {
      p = reprinted(
        p,
        { device: "raspberry-pi-5", backend: "cpu", model: "llama-3.2-1b", benchmark: b, metric: "energy_wh" },
        e,
      );
    }
    const c = bestAccuracyPerEnergy(claimInputs(p));
    expect(c.verdict).toBe("partly supported");
    expect(c.finding).toMatch(/It loses in/);
  });

  it("Phi-3: most accurate everywhere, significantly so only on MMLU; 4× Llama's energy; yet cheaper on the GPU than any CPU choice", () => {
    const c = phi3Cost(inputs);
    expect(c.verdict).toBe("partly supported");
    expect(c.evidence[0]!.value).toBe(12);
    expect(c.evidence[1]!.value).toBe(4);
    expect(c.evidence[2]!.value).toBeGreaterThan(3);
    expect(c.evidence[4]!.value).toBe(3);
  });

  it("GPU vs CPU: one order of magnitude on the same board, not several: partly supported", () => {
    const c = gpuSpeedup(inputs);
    expect(c.verdict).toBe("partly supported");
    const sameBoardLatency = c.evidence[0]!;
    expect(sameBoardLatency.value).toBeGreaterThan(10);
    expect(sameBoardLatency.value).toBeLessThan(100);
    // All 12 pairs favour the GPU: the exact Wilcoxon p is 2/2^12.
    expect(sameBoardLatency.note).toMatch(/p = 4\.9e-4/);
  });

  it("power draw: the Orin GPU draws more average power than its CPU, so 'minimize power draw' fails", () => {
    const c = hardwareFactors(inputs);
    expect(c.verdict).toBe("partly supported");
    expect(c.evidence[1]!.value).toBeGreaterThan(1);
    expect(c.finding).toMatch(/does not hold/);
  });

  it("worst EDP is Phi-3 MMLU on the Jetson Nano, but its printed 1.83e10 is a typo the claim inherits", () => {
    const c = worstEdp(inputs);
    expect(c.verdict).toBe("supported");
    // 274.62 Wh / 1000 × 3600 × 184.63 s = 182 531 J·s per inference.
    expect(c.evidence[0]!.value).toBeCloseTo((274.62 / 1000) * 3600 * 184.63, 6);
    expect(c.restsOnDiscrepant).toEqual([expect.stringMatching(/1\.83e10: typo/)]);
  });

  it("TinyLlama's 175,690 tokens/Wh is the largest token-efficiency cell", () => {
    const c = tokensPerWhChampion(inputs);
    expect(c.verdict).toBe("supported");
    expect(c.evidence[0]!.value).toBeCloseTo(175690.16, 6);
  });

  it("headline: 64.8 % and 274.62 Wh are what the tables print; 64.8 % is the best of four overlapping runs", () => {
    const c = phi3Headline(inputs);
    expect(c.verdict).toBe("supported");
    expect(c.evidence[0]!.value).toBe(64.8);
    expect(c.evidence[1]!.value).toBe(62.3);
    // 648/1000 and 623/1000: the Wilson intervals overlap.
    expect(c.evidence[0]!.lo!).toBeLessThan(c.evidence[1]!.hi!);
    expect(c.finding).toMatch(/run-to-run noise/);
    // 274.62 / 6.56 = 41.9× less energy on the Orin GPU.
    expect(c.finding).toMatch(/41\.9× less/);
  });
});
