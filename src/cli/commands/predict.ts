import { isAbsolute, join } from "node:path";
import { isBackend } from "../../domain/ids.js";
import { isSlmError, usageError } from "../../errors.js";
import { findDevice, type DeviceSpec } from "../../catalog/devices.js";
import { loadDeviceCatalog, parseDeviceSpecFile } from "../../io/catalog/devices.js";
import { findModel, paperQuant, type ModelSpec } from "../../catalog/models.js";
import { loadModelCatalog, parseModelSpecFile } from "../../io/catalog/models.js";
import { findFileType } from "../../catalog/quantization.js";
import { loadQuantCatalog } from "../../io/catalog/quantization.js";
import { requireFile } from "../../io/files.js";
import { readGgufHeader } from "../../io/gguf/reader.js";
import { loadCalibration } from "../../io/calibration.js";
import { readTextFile } from "../../io/files.js";
import { UNKNOWN_BENCHMARK_FIELD, type PredictionPoint, type PredictWorkload } from "../../model/predict-calibrated.js";
import { familyOfTensorType, modelFromGguf } from "../../model/gguf-model.js";
import { hardwareOf, type Hardware } from "../../model/hardware.js";
import {
  predictInference,
  type PredictReport,
  type PredictRequest,
  type RuntimeModelReport,
} from "../../model/predict.js";
import type { RatePrediction } from "../../model/community/fit.js";
import { caseOf, powerCaseOf, QUERY_RUNTIMES, runtimeBackendOf } from "../../model/community/from-catalog.js";
import { modelPhysics } from "../../model/physics.js";
import { fitCommunityPredictor } from "../../pipeline/model/community.js";
import { inventoryFromArchitecture } from "../../model/tensors.js";
import { optFlag, optInt, optString, withOptionHint, type Command, type CommandContext } from "../command.js";
import { DEFAULT_CALIBRATION } from "./calibrate.js";
import { co2eJson, co2eText, GRID_OPTIONS, gridUsage, gridIntensityOption } from "../grid.js";
import { gridIntensityText, type GridIntensity } from "../../catalog/grid-intensity.js";

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6)));

/** One point of the `predict --json` document, under its wire names. */
function pointJson(p: PredictionPoint) {
  return {
    latency_s: round(p.latencyS),
    prefill_s: round(p.prefillS),
    decode_s: round(p.decodeS),
    decode_tokens_per_s: round(p.decodeTokensPerS),
    prefill_tokens_per_s: round(p.prefillTokensPerS),
    power_w: round(p.powerW),
    energy_wh: round(p.energyWh),
    energy_j_per_token: round(p.energyJPerToken),
    edp_js: round(p.edpJs),
    active_energy_wh: round(p.activeEnergyWh),
  };
}

/** The JSON interface of `predict --json` (field names fixed by the issue). */
export function predictionJson(r: PredictReport) {
  const { inputs: i, memory: m } = r;
  return {
    ...pointJson(r),
    idle_power_w: r.idlePowerW,
    interval: { level: r.interval.level, low: pointJson(r.interval.low), high: pointJson(r.interval.high) },
    inputs: {
      device: i.device,
      backend: i.backend,
      power_mode: i.powerMode,
      model: i.model,
      quant: i.quant,
      parameters: i.parameters,
      calibration: i.calibration,
    },
    workload: {
      prompt_tokens: round(r.workload.promptTokens),
      gen_tokens: round(r.workload.genTokens),
      context_tokens: r.workload.contextTokens,
      scoring: r.workload.scoring,
    },
    bound: r.bound,
    memory: {
      weights_gib: round(m.weightsGib),
      kv_cache_gib: round(m.kvCacheGib),
      runtime_gib: round(m.runtimeGib),
      required_gib: round(m.requiredGib),
      available_gib: round(m.availableGib),
      fits: m.fits,
    },
    transfers: r.transfers,
    warnings: r.warnings,
    runtime_model: r.runtimeModel === null ? null : runtimeModelJson(r.runtimeModel),
  };
}

function rateJson(r: RatePrediction | null) {
  return r === null
    ? null
    : {
        tokens_per_s: round(r.tokensPerS),
        low: round(r.low),
        high: round(r.high),
        efficiency: round(r.efficiency),
        ceiling_tokens_per_s: round(r.ceilingTokensPerS),
        capped: r.capped,
        unseen: r.unseen,
        priors: r.priors.map((p) => ({ group: p.group, level: p.level, factor: round(p.factor), n: p.n })),
      };
}

function runtimeModelJson(m: RuntimeModelReport) {
  return {
    runtime: m.runtime,
    hardware_class: m.hardwareClass,
    class_family: m.classFamily,
    decode: rateJson(m.decode),
    prefill: rateJson(m.prefill),
    power_transferred: m.powerTransferred,
    notes: m.notes,
  };
}

function predictionText(r: PredictReport): string {
  const f = (x: number | null, d = 3) => (x === null ? "—" : x >= 1000 ? x.toFixed(0) : x.toPrecision(d));
  const iv = (k: keyof PredictionPoint) => `[${f(r.interval.low[k])}, ${f(r.interval.high[k])}]`;
  const { inputs: i, workload: w } = r;
  const lines = [
    `${i.model} (${i.quant}, ${(i.parameters / 1e9).toFixed(2)} B) on ${i.device} ${i.backend} ${i.powerMode} — ` +
      `calibration "${i.calibration}"`,
    `workload: ${f(w.promptTokens, 4)} prompt tokens (${w.scoring}), ${f(w.genTokens, 4)} generated`,
    "",
    `latency         ${f(r.latencyS)} s   ${iv("latencyS")} 90%`,
    `  prefill       ${f(r.prefillS)} s   ` +
      `${r.prefillTokensPerS === null ? "" : `${f(r.prefillTokensPerS)} tokens/s, `}${r.bound.prefill}-bound`,
    r.decodeTokensPerS === null
      ? `  decode        —         nothing generated`
      : `  decode        ${f(r.decodeS)} s   ${f(r.decodeTokensPerS)} tokens/s ${iv("decodeTokensPerS")}, ` +
        `${r.bound.decode}-bound`,
    `power           ${f(r.powerW)} W   ${iv("powerW")}`,
    `energy          ${f(r.energyWh)} Wh  ${iv("energyWh")}  (${f(r.energyJPerToken)} J/token)`,
    `EDP             ${f(r.edpJs)} J·s ${iv("edpJs")}`,
    r.activeEnergyWh === null
      ? "active energy   — (no idle power for this board)"
      : `active energy   ${f(r.activeEnergyWh)} Wh  ${iv("activeEnergyWh")}  (above ${r.idlePowerW} W idle, assumed)`,
    `memory          ${r.memory.requiredGib.toFixed(2)} GiB needed of ${r.memory.availableGib.toFixed(2)} GiB: ` +
      `${r.memory.fits ? "fits" : "DOES NOT FIT"}`,
  ];
  for (const t of r.transfers) lines.push(`transferred: ${t.parameter} from ${t.from} — ${t.reason}`);
  if (r.runtimeModel !== null) {
    const m = r.runtimeModel;
    lines.push(`runtime model: ${m.runtime} on ${m.hardwareClass} (${m.classFamily})`);
    for (const n of m.notes) lines.push(`  ${n}`);
  }
  for (const x of r.warnings) lines.push(`warning: ${x}`);
  return lines.join("\n");
}

const abs = (p: string) => (isAbsolute(p) ? p : join(process.cwd(), p));

/** What `probe` measured on a --device-spec board, and the spec-sheet figures it replaces. */
interface MeasuredUse {
  memoryBandwidthGBps: number;
  computeGflops: number | null;
  source: string;
  specBandwidthGBps: number;
  specComputeGflops: number;
}

/** Measured bandwidth and compute (from `probe --device-spec`) over the spec sheet's. */
function withMeasured(hardware: Hardware, device: DeviceSpec): { hardware: Hardware; measured: MeasuredUse | null } {
  const m = device.measured;
  if (m === null) return { hardware, measured: null };
  const measured = {
    ...m,
    specBandwidthGBps: hardware.peakBandwidthGBps,
    specComputeGflops: hardware.peakComputeGflops,
  };
  return {
    hardware: {
      ...hardware,
      peakBandwidthGBps: m.memoryBandwidthGBps,
      peakComputeGflops: m.computeGflops ?? hardware.peakComputeGflops,
    },
    measured,
  };
}

const measuredText = (m: MeasuredUse): string =>
  `measured: ${m.memoryBandwidthGBps} GB/s bandwidth (spec sheet ${m.specBandwidthGBps})` +
  (m.computeGflops === null
    ? ""
    : `, ${m.computeGflops} GFLOP/s compute (spec sheet ${m.specComputeGflops.toPrecision(4)})`) +
  ` used in place of the spec-sheet peaks — ${m.source}`;

const measuredJson = (m: MeasuredUse) => ({
  memory_bandwidth_gbps: m.memoryBandwidthGBps,
  compute_gflops: m.computeGflops,
  spec_memory_bandwidth_gbps: m.specBandwidthGBps,
  spec_compute_gflops: round(m.specComputeGflops),
  source: m.source,
});

function hardwareFor(ctx: CommandContext): { hardware: Hardware; measured: MeasuredUse | null; device: DeviceSpec } {
  const deviceId = optString(ctx, "device");
  const deviceSpec = optString(ctx, "device-spec");
  if ((deviceId === undefined) === (deviceSpec === undefined))
    throw usageError("give exactly one of --device ID or --device-spec FILE");
  const device: DeviceSpec =
    deviceId !== undefined
      ? findDevice(loadDeviceCatalog(ctx.root), deviceId)
      : parseDeviceSpecFile(readTextFile(abs(deviceSpec as string), "device spec"), deviceSpec as string);
  const backend = optString(ctx, "backend");
  if (backend === undefined || !isBackend(backend)) throw usageError("--backend cpu|gpu is required");
  return { ...withMeasured(hardwareOf(device, backend, optString(ctx, "power-mode") ?? null), device), device };
}

type ModelChoice = Pick<PredictRequest, "model" | "inventory" | "quant" | "quantFamily">;

function modelFor(ctx: CommandContext): ModelChoice {
  const modelId = optString(ctx, "model");
  const modelSpecFile = optString(ctx, "model-spec");
  const gguf = optString(ctx, "gguf");
  if ([modelId, modelSpecFile, gguf].filter((x) => x !== undefined).length !== 1)
    throw usageError("give exactly one of --model ID, --model-spec FILE or --gguf FILE");
  const quants = loadQuantCatalog(ctx.root);
  const quantOpt = optString(ctx, "quant");
  if (gguf !== undefined) {
    if (quantOpt !== undefined)
      throw usageError("--quant does not apply to --gguf: the file's tensors carry their types");
    requireFile(abs(gguf), "model file");
    const g = modelFromGguf(readGgufHeader(abs(gguf)));
    return {
      model: g.spec,
      inventory: g.inventory,
      quant: g.inventory.quant,
      quantFamily: familyOfTensorType(g.inventory.quant),
    };
  }
  const model: ModelSpec =
    modelId !== undefined
      ? findModel(loadModelCatalog(ctx.root), modelId)
      : parseModelSpecFile(readTextFile(abs(modelSpecFile as string), "model spec"), modelSpecFile as string);
  if (quantOpt === undefined && !model.paperProfile)
    throw usageError(`--quant is required for ${model.id}`, "e.g. --quant Q4_K_M");
  const ft = findFileType(quants, quantOpt ?? withQuantHint(() => paperQuant(model)));
  return {
    model,
    inventory: inventoryFromArchitecture(model.architecture, ft.name, quants),
    quant: ft.name,
    quantFamily: ft.family,
  };
}

function workloadFor(ctx: CommandContext): PredictWorkload {
  const benchmark = optString(ctx, "benchmark");
  const prompt = optInt(ctx, "prompt-tokens", { min: 0 });
  const gen = optInt(ctx, "gen-tokens", { min: 0 });
  const context = optInt(ctx, "context-tokens", { min: 0 });
  const scoring = optString(ctx, "scoring");
  if (scoring !== undefined && scoring !== "generate" && scoring !== "loglikelihood")
    throw usageError(`--scoring must be generate or loglikelihood, got "${scoring}"`);
  if (benchmark !== undefined) {
    if (prompt !== undefined || gen !== undefined || context !== undefined || scoring !== undefined)
      throw usageError("--benchmark and --prompt-tokens/--gen-tokens/--context-tokens/--scoring exclude each other");
    return { benchmark };
  }
  if (prompt === undefined || gen === undefined)
    throw usageError("give --benchmark B, or both --prompt-tokens N and --gen-tokens M");
  if (prompt + gen === 0)
    throw usageError(
      "nothing to compute: prompt and generated tokens are both 0",
      "give --prompt-tokens N and/or --gen-tokens M",
    );
  return {
    promptTokens: prompt,
    genTokens: gen,
    contextTokens: context ?? 0,
    scoring: scoring ?? "generate",
  };
}

/** The model's errors in domain words, with the options that set what they name. */
function withOptionNames(e: unknown): unknown {
  if (isSlmError(e) && e.field === UNKNOWN_BENCHMARK_FIELD)
    return usageError(e.message, `${e.hint ?? ""}; or give --prompt-tokens and --gen-tokens`);
  return e;
}

export const predictCommand: Command = {
  name: "predict",
  summary: "predict latency, power and energy of one inference for any model, quantization and board",
  usage: `Usage: slm-energy predict (--device ID | --device-spec FILE) --backend cpu|gpu [--power-mode M]
                         (--model ID | --model-spec FILE | --gguf FILE) [--quant Q]
                         (--benchmark B | --prompt-tokens N --gen-tokens M [--context-tokens C]
                          [--scoring generate|loglikelihood])
                         [--runtime llama.cpp|ollama|mlc] [--calibration FILE]
                         [--grid-intensity G | --region CODE] [--json]

Predicts one inference with the calibrated analytical model: prefill and decode on a roofline with
the calibrated efficiencies of the platform, energy from its calibrated phase powers, and a 90%
prediction interval from the calibration's bootstrap replicates. A platform the calibration has not
seen (another power mode, a --device-spec board) borrows parameters from calibrated ones; the
output says which, from where and why. Warns when the prediction extrapolates far outside the
calibration data, and when the model plus its KV cache does not fit the board's RAM.

With --runtime, or for any platform the calibration has not seen, the runtime-aware model predicts
instead: decode and prefill rates as a share of the board's bandwidth roofline and matmul peak,
pooled over its hardware class, the runtime and its build era, the quantization kernel and the
model (fitted on data/community/corpus.csv), and average power as a share of the board's power
envelope; the output names the priors it drew on and why its interval is as wide as it is.

Options:
  --device ID           a catalog device (data/catalog/devices.json: the paper's raspberry-pi-5,
                        jetson-nano, jetson-orin-nano and every community-corpus board)
  --device-spec FILE    a new board as JSON, same fields as a data/catalog/devices.json entry
                        (e.g. data/catalog/examples/rock-5b.json); a "measured" block written
                        by probe --device-spec replaces the spec-sheet bandwidth and compute
  --backend cpu|gpu     (required)
  --power-mode M        a power mode of the device (default: the device's default mode)
  --model ID            a catalog model (tinyllama-1.1b, llama-3.2-1b, gemma-2-2b, phi-3-mini)
  --model-spec FILE     a model as JSON, same fields as a data/catalog/models.json entry
  --gguf FILE           a GGUF model file: architecture and every tensor's type from its header
                        (no weights are read)
  --quant Q             GGUF file type for --model/--model-spec (F16, Q8_0, Q4_0, Q4_1, Q5_0,
                        Q5_1, Q4_K_M, Q5_K_M, Q6_K; default: the paper profile's for catalog models)
  --benchmark B         a calibrated benchmark's workload (mmlu, hellaswag, winogrande)
  --prompt-tokens N     or an explicit workload: prompt tokens per inference,
  --gen-tokens M        generated tokens per inference,
  --context-tokens C    tokens already in the KV cache (default 0),
  --scoring S           generate (logits for the last prompt token only; default) or loglikelihood
  --runtime R           llama.cpp (default for boards the paper calibration lacks), ollama or mlc
  --calibration FILE    default ${DEFAULT_CALIBRATION}
${gridUsage(24)}
                        adds CO2e per inference: "co2e_g", "co2e_interval": {"level",
                        "low_g", "high_g"} (the energy interval at that intensity),
                        "grid_intensity_g_per_kwh", "grid_region", "grid_year",
                        "grid_source" in --json
  --json                {"latency_s", "prefill_s", "decode_s", "decode_tokens_per_s",
                        "prefill_tokens_per_s", "power_w", "energy_wh", "energy_j_per_token",
                        "edp_js", "active_energy_wh", "idle_power_w", "interval": {"level",
                        "low": {...}, "high": {...}}, "inputs",
                        "workload", "bound", "memory", "transfers", "warnings",
                        "runtime_model": null | {"runtime", "hardware_class", "class_family",
                        "decode", "prefill", "power_transferred", "notes"}}
  -h, --help            this help

Per inference: latency_s = prefill_s + decode_s + overhead; energy_wh and power_w are board totals;
edp_js = energy (J) × latency (s). Exit codes: 0 ok, 1 failure, 2 bad input or usage.`,
  options: {
    device: { type: "string" },
    "device-spec": { type: "string" },
    backend: { type: "string" },
    "power-mode": { type: "string" },
    model: { type: "string" },
    "model-spec": { type: "string" },
    gguf: { type: "string" },
    quant: { type: "string" },
    benchmark: { type: "string" },
    "prompt-tokens": { type: "string" },
    "gen-tokens": { type: "string" },
    "context-tokens": { type: "string" },
    scoring: { type: "string" },
    calibration: { type: "string" },
    runtime: { type: "string" },
    json: { type: "boolean" },
    ...GRID_OPTIONS,
  },
  run(ctx) {
    const grid = gridIntensityOption(ctx);
    const { hardware, measured, device } = hardwareFor(ctx);
    const choice = modelFor(ctx);
    const workload = workloadFor(ctx);
    const calibration = loadCalibration(abs(optString(ctx, "calibration") ?? join(ctx.root, DEFAULT_CALIBRATION)));
    const runtime = runtimeFor(ctx);
    // The paper calibration keeps its boards (any power mode: same silicon, same runtime); the
    // runtime-aware model takes every other board, and any board when a runtime is named.
    const calibrated = Object.values(calibration.platforms).some(
      (p) => p.hardware.device === hardware.device && p.hardware.backend === hardware.backend,
    );
    const community =
      runtime !== undefined || !calibrated
        ? communityFor(ctx, { device, hardware, runtime: runtime ?? "llama.cpp", choice })
        : undefined;
    let report: PredictReport;
    try {
      report = predictInference({ calibration, hardware, ...choice, workload, ...(community ? { community } : {}) });
    } catch (e) {
      throw withOptionNames(e);
    }
    const json = optFlag(ctx, "json");
    const out = json
      ? JSON.stringify(
          {
            ...predictionJson(report),
            ...(measured ? { measured: measuredJson(measured) } : {}),
            ...(grid ? co2eWithInterval(report, grid) : {}),
          },
          null,
          2,
        )
      : predictionText(report) + (measured ? `\n${measuredText(measured)}` : "") + (grid ? co2eLine(report, grid) : "");
    ctx.stdout(out + "\n");
    for (const w of json ? report.warnings : []) ctx.stderr(`slm-energy predict: warning: ${w}\n`);
    return Promise.resolve(0);
  },
};

/**
 * The CO2e fields of `predict --json`: the inference's CO2e, its interval (the energy interval's
 * ends at the same intensity: the intensity is taken as exact) and the intensity with its source.
 */
function co2eWithInterval(r: PredictReport, g: GridIntensity) {
  const at = (energyWh: number) => co2eJson(energyWh, g).co2e_g;
  return {
    ...co2eJson(r.energyWh, g),
    co2e_interval: {
      level: r.interval.level,
      low_g: at(r.interval.low.energyWh),
      high_g: at(r.interval.high.energyWh),
    },
  };
}

/** The CO2e of one predicted inference (gross energy, with its interval) at grid intensity `g`. */
function co2eLine(r: PredictReport, g: GridIntensity): string {
  const iv = `[${co2eText(r.interval.low.energyWh, g)}, ${co2eText(r.interval.high.energyWh, g)}]`;
  return `\nCO2e            ${co2eText(r.energyWh, g)} per inference ${iv}\n  at ${gridIntensityText(g)}`;
}

/** The paper profile's quantization, or the core's error with the option that gives one. */
function withQuantHint(quant: () => string): string {
  try {
    return quant();
  } catch (e) {
    throw withOptionHint(e, { quantization: "--quant Q" });
  }
}

function runtimeFor(ctx: CommandContext): string | undefined {
  const r = optString(ctx, "runtime");
  if (r !== undefined && !(QUERY_RUNTIMES as readonly string[]).includes(r))
    throw usageError(`unknown runtime "${r}"`, `use one of ${QUERY_RUNTIMES.join(", ")}`);
  return r;
}

/** The runtime-aware model, fitted on the corpus, and this query as one of its cases. */
function communityFor(
  ctx: CommandContext,
  q: { device: DeviceSpec; hardware: Hardware; runtime: string; choice: ModelChoice },
): NonNullable<PredictRequest["community"]> {
  const fitted = fitCommunityPredictor(ctx.root);
  const setting = {
    device: q.device,
    powerMode: q.hardware.powerMode,
    backend: q.hardware.backend,
    runtimeBackend: runtimeBackendOf(q.device, q.hardware.backend),
    runtime: q.runtime,
    runtimeVersion: null,
    model: q.choice.model,
    quant: q.choice.quant,
  };
  const measured = {
    id: "query",
    source: "query",
    threads: null,
    gpuLayers: null,
    promptTokens: null,
    prefillTokensPerS: null,
    genTokens: null,
    decodeTokensPerS: null,
  };
  const physics = modelPhysics(q.choice.inventory, q.choice.model.architecture);
  return {
    model: fitted.model,
    power: fitted.power,
    query: caseOf(setting, measured, loadQuantCatalog(ctx.root), physics, q.choice.quantFamily),
    powerQuery: powerCaseOf(setting, "query", "query", { powerW: null, kind: null }),
  };
}
