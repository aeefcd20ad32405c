import { describe, expect, it } from "vitest";
import type { CommunityCase } from "../../../src/model/community/case.js";
import {
  buildNumberOf,
  decodeRooflineTokensPerS,
  gpuLayerShareOf,
  runtimeEraOf,
  threadShareOf,
} from "../../../src/model/community/case.js";
import { fitCommunityModel, logEfficiency, predictRate } from "../../../src/model/community/fit.js";
import type { ModelPhysics } from "../../../src/model/physics.js";
import { mulberry32 } from "../../../src/stats/rng.js";

const physics = (gb: number): ModelPhysics => ({
  parameters: gb * 2e9,
  weightBytes: gb * 1e9,
  decodeWeightBytesPerToken: gb * 1e9,
  kvBytesPerContextToken: 32768,
  bodyFlopsPerToken: 4 * gb * 1e9,
  headFlopsPerToken: 1e8,
  attentionFlopsPerContextToken: 65536,
  slidingWindow: null,
  contextLength: 8192,
});

/** Synthetic boards: efficiency = class × board × runtime, with known values; rates from the roofline. */
function synthetic(seed: number): CommunityCase[] {
  const rng = mulberry32(seed);
  const classes = { "cpu:a": 0.5, "cpu:b": 0.3 } as const;
  const runtimes = { "llama.cpp": 1, ollama: 0.8 } as const;
  const out: CommunityCase[] = [];
  let k = 0;
  for (const [cls, ce] of Object.entries(classes))
    for (let b = 0; b < 4; b++) {
      const be = 0.8 + 0.4 * rng();
      const bw = 10 + 40 * rng();
      for (const [rt, re] of Object.entries(runtimes))
        for (const gb of [0.5, 1, 2]) {
          const c: CommunityCase = {
            id: `r${k++}`,
            board: `${cls}-board${b}`,
            powerMode: "default",
            backend: "cpu",
            runtimeBackend: "cpu",
            classId: cls,
            classFamily: "cpu:arm",
            runtime: rt,
            runtimeEra: null,
            source: `src${b % 3}`,
            model: `m${gb}`,
            quant: "Q4_K_M",
            quantFamily: "k-quant",
            peaks: { bandwidthGBps: bw, fp32Gflops: 500, matmulGflops: 500 },
            int8Dot: true,
            physics: physics(gb),
            threadShare: 1,
            gpuLayerShare: null,
            promptTokens: 512,
            prefillTokensPerS: null,
            genTokens: 128,
            decodeTokensPerS: null,
          };
          c.decodeTokensPerS = decodeRooflineTokensPerS(c) * ce * be * re * Math.exp(0.03 * (rng() - 0.5));
          out.push(c);
        }
    }
  return out;
}

describe("runtime-aware model", () => {
  it("reads llama.cpp build numbers and eras from printed versions", () => {
    expect(buildNumberOf("b5058")).toBe(5058);
    expect(buildNumberOf("f40a2e5f1 (7036)")).toBe(7036);
    expect(buildNumberOf(null)).toBeNull();
    expect(runtimeEraOf("llama.cpp", "81bc9214 (1618)")).toBe("b<2000");
    expect(runtimeEraOf("ollama", "0.6.4")).toBeNull();
  });

  it("reads GPU layer shares and thread shares as printed", () => {
    expect(gpuLayerShareOf("29/29", 40)).toBe(1);
    expect(gpuLayerShareOf("10", 20)).toBe(0.5);
    expect(gpuLayerShareOf("10000", 22)).toBe(1);
    expect(gpuLayerShareOf(null, 22)).toBe(1);
    expect(threadShareOf(2, 4)).toBe(0.5);
    expect(threadShareOf(11, 4)).toBe(1);
    expect(threadShareOf(null, 4)).toBe(1);
  });

  it("predicts a held-out board of a seen class within the spread of its class", () => {
    const cases = synthetic(1);
    const held = cases.filter((c) => c.board === "cpu:a-board0");
    const model = fitCommunityModel(cases.filter((c) => c.board !== "cpu:a-board0"));
    for (const c of held) {
      const p = predictRate(model, c, "decode");
      expect(p).not.toBeNull();
      const ratio = (p?.tokensPerS ?? 0) / (c.decodeTokensPerS as number);
      // Class a × runtime is known; the board's own factor (0.8–1.2) is not.
      expect(ratio).toBeGreaterThan(0.75);
      expect(ratio).toBeLessThan(1.35);
      expect(p?.unseen).toContain("board");
      expect(p?.low).toBeLessThan(c.decodeTokensPerS as number);
      expect(p?.high).toBeGreaterThan(c.decodeTokensPerS as number);
    }
  });

  it("separates runtimes: Ollama's factor is recovered against llama.cpp's", () => {
    const model = fitCommunityModel(synthetic(2));
    const c = synthetic(2)[0] as CommunityCase;
    const a = predictRate(model, { ...c, runtime: "llama.cpp" }, "decode")?.tokensPerS ?? 0;
    const b = predictRate(model, { ...c, runtime: "ollama" }, "decode")?.tokensPerS ?? 0;
    expect(b / a).toBeGreaterThan(0.72);
    expect(b / a).toBeLessThan(0.88);
  });

  it("never predicts above the bandwidth roofline, even when every measurement sits at it", () => {
    const cases = synthetic(3).map((c) => ({ ...c, decodeTokensPerS: decodeRooflineTokensPerS(c) * 0.99 }));
    const model = fitCommunityModel(cases);
    for (const c of cases) {
      const p = predictRate(model, { ...c, board: "never-seen", classId: "cpu:new" }, "decode");
      expect(p?.high).toBeLessThanOrEqual(decodeRooflineTokensPerS(c) * (1 + 1e-12));
      expect(p?.tokensPerS).toBeLessThanOrEqual(decodeRooflineTokensPerS(c) * (1 + 1e-12));
    }
  });

  it("widens the interval for a class it never saw", () => {
    const cases = synthetic(4);
    const model = fitCommunityModel(cases);
    const c = cases[0] as CommunityCase;
    const seen = predictRate(model, c, "decode");
    const unseen = predictRate(model, { ...c, board: "x", classId: "cpu:unknown" }, "decode");
    const width = (p: typeof seen) => Math.log((p?.high ?? 1) / (p?.low ?? 1));
    expect(width(unseen)).toBeGreaterThan(width(seen));
    expect(unseen?.unseen).toEqual(expect.arrayContaining(["board", "class"]));
  });

  it("leaves out what was not measured", () => {
    const c = synthetic(5)[0] as CommunityCase;
    expect(logEfficiency({ ...c, decodeTokensPerS: null }, "decode")).toBeNull();
    expect(logEfficiency(c, "prefill")).toBeNull();
  });
});
