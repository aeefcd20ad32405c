import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const dir = mkdtempSync(join(tmpdir(), "slm-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("slm-energy sweep", () => {
  it("writes, runs and removes tiny synthetic models, and reports rates, predictions and fits", async () => {
    const out = join(dir, "out");
    let stdout = "";
    let stderr = "";
    const code = await main(
      [
        "sweep",
        "--scales",
        "0.001,0.004",
        "--quants",
        "Q4_0,Q8_0",
        "--n",
        "2",
        "--gen-tokens",
        "4",
        "--threads",
        "1",
        "--bandwidth-gbps",
        "10",
        "--fit-min-mib",
        "0.01",
        "--out",
        out,
      ],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    expect(stderr).toMatch(/running tinyllama-1.1b-x0.004-Q8_0/);
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(r.points.map((p: { model: string }) => p.model)).toEqual([
      "tinyllama-1.1b-x0.001-Q4_0",
      "tinyllama-1.1b-x0.001-Q8_0",
      "tinyllama-1.1b-x0.004-Q4_0",
      "tinyllama-1.1b-x0.004-Q8_0",
    ]);
    for (const p of r.points) {
      expect(p.decodeTokensPerS).toBeGreaterThan(0);
      expect(p.decodeTokensPerS).toBeGreaterThanOrEqual(p.decodeTokensPerSMedian);
      expect(p.predictedDecodeTokensPerS).toBeCloseTo(10e9 / p.bytesPerToken, 6);
      expect(p.bundle).toBeNull(); // models and bundles removed without --keep-models
    }
    // Q8_0 reads more bytes per token than Q4_0 of the same shape.
    expect(r.points[1].bytesPerToken).toBeGreaterThan(r.points[0].bytesPerToken);
    expect(r.fit.powerLaw.n).toBe(4);
    expect(r.prediction.bandwidthGBps).toBe(10);
    expect(r.contention.logical_cpus).toBeGreaterThan(0);
    expect(readFileSync(join(out, "sweep.csv"), "utf8").split("\n")[0]).toMatch(/^model,quant,scale,parameters,/);
    expect(stdout).toMatch(/log-log fit over 4 points beyond the cache: tokens\/s ∝ bytes\^/);
  }, 300_000);
});
