import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticGguf } from "../../src/gguf/index.js";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun } from "../../src/pipeline/measure/run.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import type { CollectorRecordV1 } from "../../src/ingest/types.js";
import { ROOT } from "../helpers.js";

// A real llama.cpp workload end to end: node-llama-cpp's own CLI (`complete`) on a small GGUF the
// project writes, wrapped by measure under a fake tegrastats (VDD_IN 7000 mW every 50 ms), then
// ingested. `--printTimings` makes it print llama.cpp's own `llama_perf_context_print` block.
const dir = mkdtempSync(join(tmpdir(), "slm-measure-nlc-"));
const bin = join(dir, "bin");
const model = join(dir, "tiny.gguf");
const nothing = join(dir, "nothing");
const savedPath = process.env.PATH;
const TEGRA_LINE = readFileSync(join(ROOT, "test/fixtures/power/tegrastats-orin.log"), "utf8").split("\n")[0]!;

beforeAll(async () => {
  mkdirSync(bin);
  writeFileSync(join(bin, "tegrastats"), `#!/bin/sh\nwhile true; do echo '${TEGRA_LINE}'; sleep 0.05; done\n`);
  chmodSync(join(bin, "tegrastats"), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
  await writeSyntheticGguf(
    { name: "tiny test model", layers: 2, hidden: 128, ffn: 256, heads: 4, kvHeads: 2, vocab: 1000, quant: "Q8_0" },
    model,
  );
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

const COMPLETE = ["--no-install", "node-llama-cpp", "complete", "-m", model, "--gpu", "false"];
const SETTINGS = ["--contextSize", "256", "--threads", "1", "--maxTokens", "8"];

describe("measure -- npx node-llama-cpp complete (a real llama.cpp run)", () => {
  it("turns its printed llama.cpp timings into a window with per-phase energy", async () => {
    const s = await measureRun({
      command: "npx",
      args: [...COMPLETE, "--text", "The quick brown fox", ...SETTINGS, "--printTimings"],
      outDir: join(dir, "bundle"),
      meter: "auto",
      intervalMs: 50,
      idleS: 0.2,
      board: null,
      model,
      benchmark: null,
      label: null,
      catalogIds: [],
      stdin: "ignore", // its prompt reads stdin after the answer: end there
      root: nothing,
      detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: (c) => existsSync(join(bin, c)) }),
    });
    const log = readFileSync(join(s.dir, "command.log"), "utf8");
    expect(s.exitCode, log).toBe(0);
    expect(log).toMatch(/llama_perf_context_print: prompt eval time =/);
    const run = JSON.parse(readFileSync(join(s.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run.window_source).toBe("llama.cpp");
    const manifest = JSON.parse(readFileSync(join(s.dir, "manifest.json"), "utf8")) as { runtime: string };
    expect(manifest.runtime).toBe("llama.cpp"); // not "npx", the launcher
    const recs = readFileSync(join(s.dir, "inference.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CollectorRecordV1);
    expect(recs).toHaveLength(1);
    const w = recs[0]!;
    expect(w.prompt_tokens).toBeGreaterThan(0);
    expect(w.gen_tokens).toBeGreaterThan(0);
    expect(w.gen_tokens).toBeLessThanOrEqual(8);
    expect(w.prefill_ms).toBeGreaterThan(0);
    expect(w.decode_ms).toBeGreaterThan(0);
    expect(w.start_s).toBeGreaterThanOrEqual(s.startS!);
    expect(w.end_s).toBeLessThanOrEqual(s.endS!);

    const r = await ingestBundle(s.dir);
    const row = r.inferences[0]!;
    expect(row.promptTokens).toBe(w.prompt_tokens);
    expect(row.energyPrefillJ).toBeCloseTo((7 * w.prefill_ms) / 1000, 3);
    expect(row.energyDecodeJ).toBeCloseTo((7 * w.decode_ms) / 1000, 3);
    expect(r.run.gross.energyWh).toBeGreaterThan(0);
  }, 120_000);

  it("without --printTimings it prints no timings: the whole command is one window", async () => {
    const s = await measureRun({
      command: "npx",
      args: [...COMPLETE, "--text", "Short.", ...SETTINGS],
      outDir: join(dir, "plain"),
      meter: "auto",
      intervalMs: 50,
      idleS: 0,
      board: null,
      model,
      benchmark: null,
      label: null,
      catalogIds: [],
      stdin: "ignore", // its prompt reads stdin after the answer: end there
      root: nothing,
      detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: (c) => existsSync(join(bin, c)) }),
    });
    expect(s.exitCode).toBe(0);
    const run = JSON.parse(readFileSync(join(s.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run.window_source).toBe("whole-command");
    const r = await ingestBundle(s.dir);
    expect(r.inferences).toHaveLength(1);
    expect(r.inferences[0]!.energyGrossJ, JSON.stringify([r.inferences[0]!.warnings, r.warnings])).toBeCloseTo(
      7 * (s.endS! - s.startS!),
      0,
    );
  }, 120_000);
});
