import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { findModel } from "../../src/catalog/index.js";
import { loadModelCatalog, loadQuantCatalog } from "../../src/io/catalog/index.js";
import { inventoryFromArchitecture } from "../../src/model/tensors.js";
import { decodeBytesPerToken, modelPhysics } from "../../src/model/physics.js";
import { predictEnergy, predictTiming, type PlatformParams } from "../../src/model/roofline.js";
import type { Hardware } from "../../src/model/hardware.js";
import { levenbergMarquardt } from "../../src/model/optimize.js";

const root = join(import.meta.dirname, "..", "..");
const models = loadModelCatalog(root);
const quants = loadQuantCatalog(root);
const tiny = findModel(models, "tinyllama-1.1b");
const phys = modelPhysics(inventoryFromArchitecture(tiny.architecture, "Q4_0", quants), tiny.architecture);

const board = (peakComputeGflops: number, peakBandwidthGBps: number): Hardware => ({
  id: "test/cpu/default",
  device: "test",
  backend: "cpu",
  powerMode: "default",
  peakComputeGflops,
  peakBandwidthGBps,
  memoryGB: 8,
  specPowerW: 10,
  idlePowerW: null,
  supplyW: null,
  computeUnit: "cpu:test",
  int8DotProduct: true,
});
const ideal: PlatformParams = { etaCompute: 1, etaMemory: 1, overheadS: 0, prefillPowerW: 10, decodePowerW: 5 };

describe("roofline latency", () => {
  it("decodes at bandwidth / bytes per token when memory-bound (TinyLlama Q4_0 at 100 GB/s)", () => {
    const t = predictTiming(phys, board(1e6, 100), ideal, {
      promptTokens: 0,
      genTokens: 1,
      contextTokens: 0,
      scoring: "generate",
      ubatch: 512,
    });
    expect(t.decodeBound).toBe("memory");
    expect(t.decodeS).toBeCloseTo(decodeBytesPerToken(phys, 0) / 100e9, 12);
    // ≈ 0.61 GB per token → about 164 tokens/s at 100 GB/s
    expect(1 / t.decodeS).toBeGreaterThan(150);
    expect(1 / t.decodeS).toBeLessThan(170);
  });

  it("turns compute-bound when the cores are too slow (a Cortex-A57-like 10 GFLOP/s)", () => {
    const t = predictTiming(phys, board(10, 100), ideal, {
      promptTokens: 0,
      genTokens: 10,
      contextTokens: 0,
      scoring: "generate",
      ubatch: 512,
    });
    expect(t.decodeBound).toBe("compute");
    expect(t.decodeS).toBeCloseTo(
      (10 * (phys.bodyFlopsPerToken + phys.headFlopsPerToken + 4.5 * phys.attentionFlopsPerContextToken)) / 10e9,
      9,
    );
  });

  it("prefills a long prompt compute-bound and halves its time when η_c doubles", () => {
    const w = { promptTokens: 400, genTokens: 0, contextTokens: 0, scoring: "loglikelihood" as const, ubatch: 512 };
    const a = predictTiming(phys, board(100, 100), { ...ideal, etaCompute: 0.2 }, w);
    const b = predictTiming(phys, board(100, 100), { ...ideal, etaCompute: 0.4 }, w);
    expect(a.prefillBound).toBe("compute");
    expect(a.prefillS / b.prefillS).toBeCloseTo(2, 12);
  });

  it("charges prefill power for prefill and decode power for decode and overhead", () => {
    const pp = { ...ideal, overheadS: 0.5 };
    const t = predictTiming(phys, board(100, 50), pp, {
      promptTokens: 100,
      genTokens: 20,
      contextTokens: 0,
      scoring: "generate",
      ubatch: 512,
    });
    const e = predictEnergy(t, pp);
    expect(e.energyJ).toBeCloseTo(10 * t.prefillS + 5 * (t.decodeS + 0.5), 12);
    expect(e.energyWh).toBeCloseTo(e.energyJ / 3600, 15);
    expect(e.powerW).toBeCloseTo(e.energyJ / t.latencyS, 12);
  });
});

describe("bounded Levenberg–Marquardt", () => {
  it("recovers an exponential decay's rate and amplitude", () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const ys = xs.map((x) => 3 * Math.exp(-0.7 * x));
    const r = levenbergMarquardt(
      (p) => xs.map((x, i) => (p[0] as number) * Math.exp(-(p[1] as number) * x) - (ys[i] as number)),
      [1, 0.1],
      [0, 0],
      [10, 5],
    );
    expect(r.x[0]).toBeCloseTo(3, 6);
    expect(r.x[1]).toBeCloseTo(0.7, 6);
  });

  it("stops at a bound the data push against (an efficiency cannot exceed 1)", () => {
    const r = levenbergMarquardt((p) => [(p[0] as number) - 2], [0.5], [0], [1]);
    expect(r.x[0]).toBe(1);
  });
});
