import { describe, expect, it } from "vitest";
import {
  buildDeviceSpec,
  effectiveDramGBps,
  ggufForwardCost,
  measureBandwidthPoint,
  ggufPrefillFlops,
  type BandwidthPoint,
} from "../../src/probe/index.js";
import { parseDeviceSpecFile } from "../../src/io/catalog/devices.js";
import { machineInfo } from "../../src/io/host/machine.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufHeader, writeSyntheticGguf } from "../../src/gguf/index.js";

describe("bandwidth probe", () => {
  it("measures a positive, finite read bandwidth with worker threads", async () => {
    const p = await measureBandwidthPoint("memchr", 1, 4 * 2 ** 20, 2, 32 * 2 ** 20);
    expect(p.bestGBps).toBeGreaterThan(0.1);
    expect(p.bestGBps).toBeLessThan(10_000);
    expect(p.bestGBps).toBeGreaterThanOrEqual(p.medianGBps);
  });

  it("takes the effective DRAM figure from the largest buffers beyond the cache", () => {
    const pt = (threads: number, mib: number, gbps: number): BandwidthPoint => ({
      method: "memchr",
      threads,
      bufferBytes: mib * 2 ** 20,
      bestGBps: gbps,
      medianGBps: gbps,
      trials: 1,
    });
    const pts = [pt(1, 4, 90), pt(1, 256, 25), pt(2, 256, 29), pt(2, 4, 100)];
    expect(effectiveDramGBps(pts, 128 * 2 ** 20)!.bestGBps).toBe(29);
    expect(effectiveDramGBps([pt(1, 4, 90)], 128 * 2 ** 20)).toBeNull();
  });
});

describe("device spec of this machine", () => {
  it("is a valid catalog device spec carrying the measured bandwidth and saying what is estimated", () => {
    const spec = buildDeviceSpec({
      id: "this-machine",
      machine: machineInfo(),
      measuredGBps: 23.4567,
      bandwidthMethod: "memchr",
      specPowerW: null,
    });
    const parsed = parseDeviceSpecFile(JSON.stringify({ schemaVersion: 1, device: spec }), "spec.json");
    expect(parsed.id).toBe("this-machine");
    expect(parsed.powerModes[0]!.memoryBandwidthGBps).toBe(23.46);
    expect(parsed.powerModes[0]!.source).toMatch(/MEASURED effective read bandwidth/);
    expect(parsed.powerModes[0]!.source).toMatch(/specPowerW ESTIMATED/);
  });
});

describe("forward-pass arithmetic from a GGUF header", () => {
  it("counts 2 FLOPs per matmul weight, skipping the untied input embedding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-probe-"));
    try {
      const path = join(dir, "m.gguf");
      await writeSyntheticGguf(
        { name: "m", layers: 2, hidden: 64, ffn: 128, heads: 4, kvHeads: 2, vocab: 500, quant: "Q8_0" },
        path,
      );
      const c = ggufForwardCost(readGgufHeader(path));
      const perLayer = 64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128; // q, o, k, v, gate, up, down
      expect(c.matmulFlopsPerToken).toBe(2 * (2 * perLayer + 64 * 500));
      expect(ggufPrefillFlops(c, 1)).toBe(c.matmulFlopsPerToken + 4 * 2 * 64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compute probe", () => {
  it("measures llama.cpp's prefill rate in GFLOP/s on a synthetic model and removes it", async () => {
    const { measureComputeRate } = await import("../../src/pipeline/probe/compute-probe.js");
    const { ROOT } = await import("../helpers.js");
    const { readdirSync } = await import("node:fs");
    const work = mkdtempSync(join(tmpdir(), "slm-compute-"));
    try {
      const pts = await measureComputeRate({
        root: ROOT,
        workDir: work,
        quants: ["Q8_0"],
        threads: 1,
        promptTokens: 48,
        trials: 1,
        scale: 0.002,
      });
      expect(pts).toHaveLength(1);
      expect(pts[0]).toMatchObject({ quant: "Q8_0", threads: 1, promptTokens: 48, trials: 1 });
      expect(pts[0]!.bestGflopsPerS).toBeGreaterThan(0.01);
      expect(pts[0]!.bestGflopsPerS).toBeLessThan(1e5);
      expect(readdirSync(work)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
