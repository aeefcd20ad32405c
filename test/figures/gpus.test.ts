import { describe, expect, it } from "vitest";
import { loadGpuReferences, parseGpuReferences } from "../../src/io/figures/gpus.js";
import { isSlmError } from "../../src/errors.js";
import { ROOT } from "../helpers.js";

describe("the cited GPU table (figures/data/gpus.csv)", () => {
  const gpus = loadGpuReferences(ROOT);

  it("holds edge boards, desktop and datacenter GPUs, each with a source URL", () => {
    expect(new Set(gpus.map((g) => g.class))).toEqual(new Set(["edge-board", "desktop", "datacenter"]));
    for (const g of gpus) expect(g.source).toMatch(/^https:\/\//);
  });

  it("includes the study's two Jetson boards", () => {
    expect(gpus.find((g) => g.id === "jetson-nano")?.fp32Tflops).toBeCloseTo(0.236, 3);
    expect(gpus.some((g) => g.id.startsWith("jetson-orin-nano"))).toBe(true);
  });

  it("agrees with its own derivation: CUDA cores × clock × 2 FLOP per cycle, within 0.5 %", () => {
    let checked = 0;
    for (const g of gpus) {
      const m = /^(\d+) [A-Za-z ]*CUDA cores × ([\d.]+) MHz/.exec(g.fp32Derivation);
      if (!m) continue;
      const tflops = (Number(m[1]) * Number(m[2]) * 1e6 * 2) / 1e12;
      expect(Math.abs(g.fp32Tflops / tflops - 1), `${g.id} line ${g.line}`).toBeLessThan(0.005);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("rejects a row without a source, naming file, line and field", () => {
    const bad =
      "id,name,vendor,class,launch_year,fp32_tflops,tdp_w,launch_price_usd,fp32_derivation,source\n" +
      "x,X,V,desktop,2020,1,100,,datasheet,not a url\n";
    try {
      parseGpuReferences(bad, "gpus.csv");
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e)).toBe(true);
      if (isSlmError(e)) expect([e.file, e.line, e.field]).toEqual(["gpus.csv", 2, "source"]);
    }
  });

  it("rejects an unknown class with the allowed values", () => {
    const bad =
      "id,name,vendor,class,launch_year,fp32_tflops,tdp_w,launch_price_usd,fp32_derivation,source\n" +
      "x,X,V,phone,2020,1,100,,datasheet,https://example.org\n";
    expect(() => parseGpuReferences(bad, "gpus.csv")).toThrow(/edge-board, desktop, datacenter/);
  });

  it("reports every bad cell of every row at once", () => {
    const bad =
      "id,name,vendor,class,launch_year,fp32_tflops,tdp_w,launch_price_usd,fp32_derivation,source\n" +
      "x,X,V,desktop,1890,1,100,,datasheet,https://example.org\n" +
      "y,Y,V,desktop,2020,fast,100,0,datasheet,https://example.org\n";
    try {
      parseGpuReferences(bad, "gpus.csv");
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e)).toBe(true);
      if (!isSlmError(e)) return;
      expect([e.line, e.field, e.text]).toEqual([2, "launch_year", "1890"]);
      expect(e.issues?.map((i) => [i.line, i.field])).toEqual([
        [3, "fp32_tflops"],
        [3, "launch_price_usd"],
      ]);
    }
  });
});
