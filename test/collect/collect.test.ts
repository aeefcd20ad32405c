import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePromptsJsonl, type CollectOptions } from "../../src/collect/index.js";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { collectRun } from "../../src/pipeline/collect/run.js";
import { writeSyntheticGguf } from "../../src/gguf/index.js";
import { validateCollectorRecord } from "../../src/ingest/inference/collector.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { main } from "../../src/cli/main.js";
import { fakeRapl } from "./fake-sys.js";

const dir = mkdtempSync(join(tmpdir(), "slm-collect-"));
const model = join(dir, "tiny.gguf");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await writeSyntheticGguf(
    { name: "tiny test model", layers: 2, hidden: 128, ffn: 256, heads: 4, kvHeads: 2, vocab: 1000, quant: "Q8_0" },
    model,
  );
});

const prompts = parsePromptsJsonl(
  [
    '{"id": "a", "prompt": "The quick brown fox jumps over the lazy dog."}',
    '{"id": "b", "prompt": "Energy per token is what we measure here."}',
    '{"id": "c", "prompt": "Short."}',
    '{"id": "d", "prompt": "A somewhat longer prompt, with punctuation; and numbers 1, 2, 3."}',
  ].join("\n"),
  "prompts.jsonl",
);

const base = (out: string, extra: Partial<CollectOptions> = {}): CollectOptions => ({
  modelPath: model,
  prompts,
  promptSource: "prompts.jsonl",
  benchmark: null,
  genTokens: 6,
  threads: 1,
  outDir: out,
  sensor: "auto",
  sampleMs: 20,
  idleS: 0.3,
  warmup: 1,
  device: "test-box",
  powerMode: null,
  ...extra,
});

describe("collect (node-llama-cpp on the CPU, offline)", () => {
  it("writes one valid record per inference, a RAPL power log and an idle window, and ingest reads the bundle", async () => {
    const rapl = fakeRapl(join(dir, "sys-rapl"), 15, { tickMs: 1 });
    const out = join(dir, "bundle-rapl");
    let summary;
    try {
      // Enough decode steps that the run spans many sampling intervals (a fake counter rewritten by a
      // timer is a few ms stale at each reading: over a ~0.1 s run that alone is a 10% error).
      // A 1 s idle window: a reading that is a few ms stale (a loaded machine delays the fake's timer)
      // then moves the idle power by well under the 10 % allowed.
      summary = await collectRun(
        base(out, {
          genTokens: 64,
          idleS: 1,
          detect: () => detectPowerSensors({ sysRoot: rapl.root, commandExists: () => false }),
        }),
      );
    } finally {
      rapl.stop();
    }
    expect(summary.status).toBe("complete");
    expect(summary.records).toBe(4);
    const lines = readFileSync(join(out, "inference.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((r) => r.item_id)).toEqual(["a", "b", "c", "d"]);
    for (const r of lines) {
      expect(validateCollectorRecord(r)).toEqual([]);
      expect(r.gen_tokens).toBe(64);
      expect(r.prompt_tokens).toBeGreaterThan(2);
      expect(r.prefill_ms).toBeGreaterThan(0);
      expect(r.decode_ms).toBeGreaterThan(0);
    }
    for (let i = 1; i < lines.length; i++) expect(lines[i].start_s).toBeGreaterThanOrEqual(lines[i - 1].end_s);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      device: "test-box",
      backend: "cpu",
      meter: "rapl",
      clock_offset_s: 0,
      quantization: "Q8_0",
      model: "tiny test model",
      files: { inference: ["inference.jsonl"], power: ["power-rapl.csv"] },
    });
    expect(manifest.files.idle.end_s - manifest.files.idle.start_s).toBeGreaterThan(0.25);
    expect(manifest.notes).toMatch(/status: complete/);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run).toMatchObject({ status: "complete", counts: { planned: 4, recorded: 4 }, power: { measured: true } });
    expect(run.model.weight_bytes_per_token).toBeGreaterThan(0);

    const ingested = await ingestBundle(out);
    expect(ingested.quarantined).toEqual([]);
    expect(ingested.inferences).toHaveLength(4);
    // The fake package draws 15 W throughout: idle and run power read 15 W.
    expect(ingested.run.idlePowerW!).toBeGreaterThan(15 * 0.9);
    expect(ingested.run.idlePowerW!).toBeLessThan(15 * 1.1);
    expect(ingested.run.spanEnergyJ! / ingested.run.spanS!).toBeGreaterThan(15 * 0.9);
    expect(ingested.run.spanEnergyJ! / ingested.run.spanS!).toBeLessThan(15 * 1.1);
  });

  it("survives a RAPL counter wrap-around mid-run", async () => {
    // max range 2 J: at 15 W the counter wraps every ~0.13 s, several times in the run.
    const rapl = fakeRapl(join(dir, "sys-wrap"), 15, { maxUj: 2_000_000, startUj: 1_900_000, tickMs: 1 });
    const out = join(dir, "bundle-wrap");
    try {
      await collectRun(
        base(out, {
          sampleMs: 10,
          genTokens: 64,
          detect: () => detectPowerSensors({ sysRoot: rapl.root, commandExists: () => false }),
        }),
      );
    } finally {
      rapl.stop();
    }
    const ingested = await ingestBundle(out);
    expect(ingested.quarantined).toEqual([]);
    expect(ingested.run.spanEnergyJ! / ingested.run.spanS!).toBeGreaterThan(15 * 0.85);
    expect(ingested.run.spanEnergyJ! / ingested.run.spanS!).toBeLessThan(15 * 1.15);
  });

  it("without a sensor records timings only and says energy was not measured", async () => {
    const out = join(dir, "bundle-none");
    const notices: string[] = [];
    const s = await collectRun(
      base(out, {
        prompts: prompts.slice(0, 2),
        detect: () => detectPowerSensors({ sysRoot: join(dir, "nothing"), commandExists: () => false }),
        onNotice: (t) => notices.push(t),
      }),
    );
    expect(s.energyMeasured).toBe(false);
    expect(notices.join("\n")).toMatch(/no sensor on this machine.*energy is not measured/s);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.meter).toBeNull();
    expect(manifest.files.power).toBeUndefined();
    expect(manifest.notes).toMatch(/not measured/);
    const ingested = await ingestBundle(out);
    expect(ingested.inferences).toHaveLength(2);
    expect(ingested.inferences.every((r) => r.energyGrossJ === null)).toBe(true);
  });

  it("without a sensor, a predictor's energy goes to run.json labelled PREDICTED, never into the measured tables", async () => {
    const out = join(dir, "bundle-predicted");
    const seen: { promptTokens: number; genTokens: number }[] = [];
    const point = {
      latencyS: 0.5,
      prefillS: 0.2,
      decodeS: 0.3,
      decodeTokensPerS: 20,
      prefillTokensPerS: 50,
      powerW: 8,
      energyWh: 0.001,
      energyJPerToken: 0.1,
      edpJs: 1.8,
    };
    const fakePredictor = ((_h: unknown, w: { promptTokens: number; genTokens: number }) => {
      seen.push(w);
      return {
        ...point,
        interval: { level: 0.9, low: { ...point, energyWh: 0.0008 }, high: { ...point, energyWh: 0.0013 } },
        warnings: ["extrapolation: test"],
      };
    }) as never;
    const s = await collectRun(
      base(out, {
        sensor: "none",
        prompts: prompts.slice(0, 2),
        predictor: fakePredictor,
        predictorSource: "test spec",
      }),
    );
    expect(s.energyMeasured).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.genTokens).toBe(6);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run.energy_predicted).toMatchObject({
      label: "PREDICTED by the calibrated model (slm-energy predict), not measured",
      machine: "test spec",
      per_inference: { energy_wh: 0.001, power_w: 8, energy_wh_interval: [0.0008, 0.0013] },
      inferences: 2,
      run_energy_wh: 0.002,
      warnings: ["extrapolation: test"],
    });
    expect(run.power.measured).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.meter).toBeNull();
    expect(manifest.notes).toMatch(/energy PREDICTED .* not measured/);
    const ingested = await ingestBundle(out);
    expect(ingested.inferences.every((r) => r.energyGrossJ === null)).toBe(true);
  });

  it("Ctrl-C (abort) leaves a valid partial bundle marked interrupted", async () => {
    const out = join(dir, "bundle-abort");
    const controller = new AbortController();
    const s = await collectRun(
      base(out, {
        sensor: "none",
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 2) controller.abort();
        },
      }),
    );
    expect(s.status).toBe("interrupted");
    expect(s.records).toBe(2);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run).toMatchObject({ status: "interrupted", counts: { planned: 4, recorded: 2 } });
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).notes).toMatch(
      /status: interrupted after 2 of 4/,
    );
    expect((await ingestBundle(out)).inferences).toHaveLength(2);
  });

  it("refuses a non-empty output folder before loading the model, and leaves it untouched", async () => {
    const out = join(dir, "occupied");
    mkdirSync(out);
    writeFileSync(join(out, "keep.txt"), "raw data");
    await expect(collectRun(base(out, { sensor: "none" }))).rejects.toThrow(/exists and is not empty/);
    expect(readFileSync(join(out, "keep.txt"), "utf8")).toBe("raw data");
    expect(existsSync(join(out, "manifest.json"))).toBe(false);
  });

  it("runs from the CLI with --benchmark-like", async () => {
    const out = join(dir, "cli-bundle");
    let stdout = "";
    let stderr = "";
    const code = await main(
      [
        "collect",
        "--model",
        model,
        "--benchmark-like",
        "winogrande",
        "--n",
        "3",
        "--gen-tokens",
        "4",
        "--threads",
        "1",
        "--sensor",
        "none",
        "--out",
        out,
        "--json",
      ],
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      },
    );
    expect(stderr).toMatch(/not sampled/);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ status: "complete", records: 3, energyMeasured: false });
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).benchmark).toBe("winogrande");
  });

  it("warns when --device names a catalog board this host is not, and records both in run.json", async () => {
    const out = join(dir, "cli-board");
    let stderr = "";
    const args = ["collect", "--model", model, "--benchmark-like", "winogrande", "--n", "1", "--gen-tokens", "1"];
    const code = await main(
      [...args, "--threads", "1", "--sensor", "none", "--device", "jetson-orin-nano", "--out", out],
      {
        stdout: () => {},
        stderr: (t) => (stderr += t),
      },
    );
    expect(code).toBe(0);
    // This test machine is no Jetson: it has no device-tree model, or another board's.
    expect(stderr).toMatch(/warning: --device jetson-orin-nano but this host is/);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run.board_check).toMatchObject({ given: "jetson-orin-nano" });
    expect(run.board_check.detected).not.toBe("jetson-orin-nano");
  });
});
