import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { predictCommand } from "../../src/cli/commands/predict.js";
import { writeSyntheticGguf } from "../../src/io/gguf/writer.js";
import { readGgufHeader } from "../../src/io/gguf/reader.js";
import { modelFromGguf } from "../../src/model/gguf-model.js";
import { modelPhysics } from "../../src/model/physics.js";
import { memoryFit } from "../../src/model/predict.js";
import { ROOT, runCommand } from "./run-command.js";
import { runCli } from "../helpers.js";
import { loadCalibration } from "../../src/io/calibration.js";
import { loadDeviceCatalog, loadModelCatalog, loadQuantCatalog } from "../../src/io/catalog/index.js";
import { findModel } from "../../src/catalog/models.js";
import { whatIfGrid } from "../../src/model/what-if.js";
import { whatIfFigure } from "../../src/figures/specs/model-what-if.js";

let dir: string;
let ggufPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "slm-predict-"));
  ggufPath = join(dir, "tiny.gguf");
  await writeSyntheticGguf(
    {
      name: "Tiny Test 8L",
      layers: 8,
      hidden: 256,
      ffn: 704,
      heads: 8,
      kvHeads: 2,
      vocab: 1024,
      quant: "Q4_0",
      contextLength: 1024,
      seed: 3,
    },
    ggufPath,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const predict = async (...args: string[]) => {
  const r = await runCommand(predictCommand, [...args, "--json"]);
  return { ...r, json: r.code === 0 ? JSON.parse(r.out) : null };
};

describe("predict from catalog ids", () => {
  it("prints the issue's JSON fields, with a 90% interval around the estimate", async () => {
    const { code, json } = await predict(
      "--device",
      "jetson-orin-nano",
      "--backend",
      "gpu",
      "--model",
      "llama-3.2-1b",
      "--benchmark",
      "hellaswag",
    );
    expect(code).toBe(0);
    for (const k of [
      "latency_s",
      "prefill_s",
      "decode_s",
      "decode_tokens_per_s",
      "prefill_tokens_per_s",
      "power_w",
      "energy_wh",
      "energy_j_per_token",
      "edp_js",
    ]) {
      expect(json).toHaveProperty(k);
      expect(json.interval.low).toHaveProperty(k);
    }
    expect(json.interval.low.latency_s).toBeLessThanOrEqual(json.latency_s);
    expect(json.interval.high.latency_s).toBeGreaterThanOrEqual(json.latency_s);
    expect(json.edp_js).toBeCloseTo(json.energy_wh * 3600 * json.latency_s, 2);
    // in-sample: the paper measured 0.33 s per HellaSwag inference
    expect(json.latency_s).toBeGreaterThan(0.25);
    expect(json.latency_s).toBeLessThan(0.45);
    expect(json.transfers).toEqual([]);
  });

  it("splits energy into the idle board and the active part above it", async () => {
    const { json } = await predict(
      "--device",
      "raspberry-pi-5",
      "--backend",
      "cpu",
      "--model",
      "gemma-2-2b",
      "--benchmark",
      "winogrande",
    );
    expect(json.idle_power_w).toBe(2.7);
    expect(json.active_energy_wh).toBeCloseTo(json.energy_wh - (2.7 * json.latency_s) / 3600, 6);
    expect(json.interval.low.active_energy_wh).toBeLessThanOrEqual(json.interval.high.active_energy_wh);
  });

  it("borrows a calibrated mode's efficiencies for another power mode, and says so", async () => {
    const { json } = await predict(
      "--device",
      "jetson-orin-nano",
      "--backend",
      "cpu",
      "--power-mode",
      "15W",
      "--model",
      "tinyllama-1.1b",
      "--prompt-tokens",
      "100",
      "--gen-tokens",
      "50",
    );
    expect(json.inputs.power_mode).toBe("15W");
    expect(json.transfers[0].from).toBe("jetson-orin-nano/cpu/MAXN_SUPER");
    expect(json.transfers[0].reason).toMatch(/same board and backend/);
    const { json: maxn } = await predict(
      "--device",
      "jetson-orin-nano",
      "--backend",
      "cpu",
      "--model",
      "tinyllama-1.1b",
      "--prompt-tokens",
      "100",
      "--gen-tokens",
      "50",
    );
    expect(json.prefill_s).toBeGreaterThan(maxn.prefill_s); // 1.5 GHz instead of 1.7 GHz
  });

  it("warns when a model and its KV cache do not fit the board's RAM (Phi-3 at F16 on a 4 GB Nano)", async () => {
    const { code, json } = await predict(
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--model",
      "phi-3-mini",
      "--quant",
      "F16",
      "--prompt-tokens",
      "1000",
      "--gen-tokens",
      "100",
    );
    expect(code).toBe(0);
    expect(json.memory.fits).toBe(false);
    expect(json.warnings.join("\n")).toMatch(/does not fit/);
  });

  it("accounts the memory of weights, KV cache and runtime", () => {
    const m = memoryFit(2 * 1024 ** 3, 384 * 1024, 4096, 4);
    expect(m.kvCacheGib).toBeCloseTo(1.5, 9);
    expect(m.requiredGib).toBeCloseTo(2 + 1.5 + 0.3, 9);
    expect(m.fits).toBe(false);
  });
});

describe("predict from spec files", () => {
  it("predicts an unseen board from a spec file with the runtime-aware model, naming the priors it drew on", async () => {
    const spec = {
      id: "rock-5b",
      label: "Radxa Rock 5B",
      memory: { sizeGB: 16, type: "LPDDR4X", busWidthBits: 64 },
      cpu: { core: "Cortex-A76", isa: "armv8.2-a", cores: 4, fp32FlopsPerCyclePerCore: 16, int8DotProduct: true },
      gpu: null,
      supplyW: 24,
      defaultPowerMode: "default",
      powerModes: [
        {
          id: "default",
          label: "default",
          powerBudgetW: null,
          cpuCoresOnline: 4,
          cpuMaxClockGHz: 2.4,
          gpuMaxClockMHz: null,
          memoryDataRateMTs: 4224,
          memoryBandwidthGBps: 33.8,
          specPowerW: 12,
        },
      ],
    };
    const file = join(dir, "rock5b.json");
    writeFileSync(file, JSON.stringify(spec));
    const { code, json } = await predict(
      "--device-spec",
      file,
      "--backend",
      "cpu",
      "--model",
      "gemma-2-2b",
      "--benchmark",
      "winogrande",
    );
    expect(code).toBe(0);
    // A board the paper calibration lacks: llama.cpp on its hardware class, pooled from the corpus.
    expect(json.transfers).toEqual([]);
    expect(json.runtime_model.runtime).toBe("llama.cpp/cpu");
    expect(json.runtime_model.hardware_class).toBe("cpu:cortex-a76");
    // Winogrande scores log-likelihoods: prefill only.
    expect(json.runtime_model.decode).toBeNull();
    expect(json.runtime_model.prefill.unseen).toContain("board");
    expect(json.runtime_model.prefill.priors.map((p: { group: string }) => p.group)).toContain("classFamily");
    expect(json.runtime_model.notes.join("\n")).toMatch(/a board of this class it never saw/);
    expect(json.prefill_tokens_per_s).toBeLessThanOrEqual(json.runtime_model.prefill.ceiling_tokens_per_s);
  });

  it("warns when a model spec is far larger than anything calibrated (a 70B)", async () => {
    const spec = {
      id: "llama-3-70b",
      label: "Llama 3 70B",
      architecture: {
        layers: 80,
        hidden: 8192,
        ffn: 28672,
        heads: 64,
        kvHeads: 8,
        headDim: 128,
        vocab: 128256,
        tiedEmbeddings: false,
        contextLength: 8192,
        slidingWindow: null,
      },
      parameters: { nominalB: 70 },
    };
    const file = join(dir, "70b.json");
    writeFileSync(file, JSON.stringify(spec));
    const { code, json } = await predict(
      "--device",
      "jetson-orin-nano",
      "--backend",
      "gpu",
      "--model-spec",
      file,
      "--quant",
      "Q4_K_M",
      "--prompt-tokens",
      "50",
      "--gen-tokens",
      "10",
    );
    expect(code).toBe(0);
    const w = json.warnings.join("\n");
    expect(w).toMatch(/extrapolation: 70\.\d+ B parameters/);
    expect(w).toMatch(/k-quant/);
    expect(w).toMatch(/does not fit/);
  });
});

describe("predict from a GGUF header", () => {
  it("reads architecture and tensor types from the header without loading weights", () => {
    const g = modelFromGguf(readGgufHeader(ggufPath));
    expect(g.spec.architecture).toMatchObject({
      layers: 8,
      hidden: 256,
      ffn: 704,
      heads: 8,
      kvHeads: 2,
      headDim: 32,
      vocab: 1024,
      contextLength: 1024,
    });
    expect(g.inventory.quant).toBe("Q4_0");
    const p = modelPhysics(g.inventory, g.spec.architecture);
    // KV: 2 · 8 layers · 2 KV heads · 32 · 2 bytes
    expect(p.kvBytesPerContextToken).toBe(2048);
    const embd = g.inventory.tensors.find((t) => t.name === "token_embd.weight")!;
    expect(p.decodeWeightBytesPerToken).toBe(p.weightBytes - embd.bytes + embd.bytes / 1024);
  });

  it("predicts from the file and flags its size as far outside the calibration", async () => {
    const { code, json } = await predict(
      "--device",
      "raspberry-pi-5",
      "--backend",
      "cpu",
      "--gguf",
      ggufPath,
      "--prompt-tokens",
      "64",
      "--gen-tokens",
      "16",
    );
    expect(code).toBe(0);
    expect(json.inputs.quant).toBe("Q4_0");
    expect(json.decode_tokens_per_s).toBeGreaterThan(100);
    expect(json.warnings.join("\n")).toMatch(/far outside the calibrated models/);
  });
});

describe("predict refuses impossible input", () => {
  it.each([
    [
      ["--device", "raspberry-pi-5", "--backend", "gpu", "--model", "tinyllama-1.1b", "--benchmark", "mmlu"],
      /no GPU usable/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--prompt-tokens",
        "2000",
        "--gen-tokens",
        "100",
      ],
      /more than tinyllama-1.1b's 2048/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--device-spec",
        "x.json",
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--benchmark",
        "mmlu",
      ],
      /exactly one of --device/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--prompt-tokens",
        "12.5",
        "--gen-tokens",
        "1",
      ],
      /--prompt-tokens must be an integer ≥ 0 \(got "12.5"\)/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--prompt-tokens",
        "0",
        "--gen-tokens",
        "0",
      ],
      /nothing to compute/,
    ],
    [
      ["--device", "jetson-nano", "--backend", "cpu", "--model", "tinyllama-1.1b", "--benchmark", "gsm8k"],
      /no workload for benchmark "gsm8k"/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--quant",
        "Q3_XL",
        "--benchmark",
        "mmlu",
      ],
      /unknown quantization/,
    ],
    [
      [
        "--device",
        "jetson-nano",
        "--backend",
        "cpu",
        "--power-mode",
        "TURBO",
        "--model",
        "tinyllama-1.1b",
        "--benchmark",
        "mmlu",
      ],
      /no power mode "TURBO"/,
    ],
    [
      ["--device", "pi-4", "--backend", "cpu", "--model", "tinyllama-1.1b", "--benchmark", "mmlu"],
      /unknown device "pi-4"/,
    ],
  ])("refuses %j", async (args, message) => {
    const r = await runCommand(predictCommand, args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
  });

  it("refuses --quant with --gguf: the file's tensors carry their types", async () => {
    const r = await runCommand(predictCommand, [
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--gguf",
      ggufPath,
      "--quant",
      "Q8_0",
      "--benchmark",
      "mmlu",
    ]);
    expect(r.code).toBe(2);
  });

  it("refuses a file that is not GGUF, naming it", async () => {
    const bad = join(dir, "not.gguf");
    writeFileSync(bad, "hello world, not a model");
    const r = await runCommand(predictCommand, [
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--gguf",
      bad,
      "--benchmark",
      "mmlu",
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not.gguf");
  });
});

describe("predict through the CLI", () => {
  it("says a negative token count is out of range (not an ambiguous argument)", async () => {
    const r = await runCli([
      "predict",
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--model",
      "tinyllama-1.1b",
      "--prompt-tokens",
      "-5",
      "--gen-tokens",
      "1",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prompt-tokens must be an integer ≥ 0 \(got "-5"\)/);
  });

  it("names the options that give an explicit workload when a benchmark is not calibrated", async () => {
    const r = await runCli([
      "predict",
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--model",
      "tinyllama-1.1b",
      "--benchmark",
      "gsm8k",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/calibrated benchmarks: mmlu, hellaswag, winogrande; or give --prompt-tokens/);
  });
});

describe("what-if grid", () => {
  it("predicts one model on every board, backend and power mode, and draws them", () => {
    const cal = loadCalibration(join(ROOT, "models", "calibrated", "paper.json"));
    const devices = loadDeviceCatalog(ROOT);
    const quants = loadQuantCatalog(ROOT);
    const model = findModel(loadModelCatalog(ROOT), "llama-3.2-1b");
    const rows = whatIfGrid(cal, devices, quants, model, "Q4_0", { promptTokens: 100, genTokens: 50 });
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.report.latencyS).toBeGreaterThan(0);
      expect(r.report.interval.low.energyWh).toBeLessThanOrEqual(r.report.interval.high.energyWh);
    }
    const fig = whatIfFigure(
      rows.map((r) => ({ label: `${r.device} ${r.backend} ${r.powerMode}`, report: r.report })),
      "what if",
    );
    expect(fig.data).toHaveLength(rows.length);
  });
});
