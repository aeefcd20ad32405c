import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { predictCommand } from "../../src/cli/commands/predict.js";
import { buildDeviceSpec } from "../../src/probe/device-spec.js";
import type { MachineInfo } from "../../src/probe/machine.js";
import { ROOT, runCommand } from "../model/run-command.js";

const example = join(ROOT, "data", "catalog", "examples", "rock-5b.json");
const model = ["--model", "llama-3.2-1b", "--quant", "Q4_0", "--prompt-tokens", "64", "--gen-tokens", "32"];
let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "slm-devspec-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("predict --device-spec", () => {
  it("predicts for the example device spec of a board outside the catalog", async () => {
    const r = await runCommand(predictCommand, ["--device-spec", example, "--backend", "cpu", ...model, "--json"]);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown> & { inputs: { device: string } };
    expect(json.inputs.device).toBe("rock-5b");
    expect(json.decode_tokens_per_s).toBeGreaterThan(0);
    expect(json).not.toHaveProperty("measured");
  });

  it("keeps a catalog device's output free of any measured block", async () => {
    const r = await runCommand(predictCommand, ["--device", "raspberry-pi-5", "--backend", "cpu", ...model]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/measured/);
  });

  it("uses a probed spec's measured bandwidth and compute over the spec sheet's, and says so", async () => {
    const spec = JSON.parse(readFileSync(example, "utf8")) as { device: Record<string, unknown> };
    spec.device.measured = { memoryBandwidthGBps: 12.5, computeGflops: 40, source: "slm-energy probe on test-host" };
    const file = join(dir, "measured.json");
    writeFileSync(file, JSON.stringify(spec));
    const plain = await runCommand(predictCommand, ["--device-spec", example, "--backend", "cpu", ...model, "--json"]);
    const probed = await runCommand(predictCommand, ["--device-spec", file, "--backend", "cpu", ...model, "--json"]);
    expect(probed.code, probed.err).toBe(0);
    const p = JSON.parse(probed.out) as { measured: Record<string, unknown>; decode_tokens_per_s: number };
    expect(p.measured).toMatchObject({
      memory_bandwidth_gbps: 12.5,
      compute_gflops: 40,
      spec_memory_bandwidth_gbps: 33.79,
    });
    expect(p.decode_tokens_per_s).toBeLessThan(
      (JSON.parse(plain.out) as { decode_tokens_per_s: number }).decode_tokens_per_s,
    );
    const text = await runCommand(predictCommand, ["--device-spec", file, "--backend", "cpu", ...model]);
    expect(text.out).toMatch(
      /measured: 12\.5 GB\/s bandwidth \(spec sheet 33\.79\), 40 GFLOP\/s compute .*slm-energy probe/,
    );
  });

  it("has probe's device spec record what it measured", () => {
    const machine = {
      hostname: "h",
      cpuModel: "Test CPU",
      arch: "x64",
      logicalCpus: 4,
      features: ["avx2", "fma"],
      memoryBytes: 8e9,
      clockGHz: 3,
      clockSource: "test",
      virtualized: false,
      llcBytes: 8 * 2 ** 20,
    } as unknown as MachineInfo;
    const spec = buildDeviceSpec({
      id: "this-machine",
      machine,
      measuredGBps: 21.234,
      bandwidthMethod: "memchr",
      specPowerW: null,
      compute: { gflops: 37.51, method: "llama.cpp prefill" },
    });
    expect(spec.measured).toEqual({
      memoryBandwidthGBps: 21.23,
      computeGflops: 37.5,
      source: "slm-energy probe on h: bandwidth by memchr; compute by llama.cpp prefill",
    });
  });
});
