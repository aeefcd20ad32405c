import { isAbsolute, join } from "node:path";
import { isBackend, type Backend } from "../../domain/ids.js";
import { isSlmError, usageError } from "../../errors.js";
import { findDevice, type DeviceSpec } from "../../catalog/devices.js";
import { loadDeviceCatalog, parseDeviceSpecFile } from "../../io/catalog/devices.js";
import { findModel, paperQuant, type ModelSpec } from "../../catalog/models.js";
import { loadModelCatalog, parseModelSpecFile } from "../../io/catalog/models.js";
import { loadQuantCatalog } from "../../io/catalog/quantization.js";
import { readTextFile, requireFile } from "../../io/files.js";
import { readGgufHeader } from "../../io/gguf/reader.js";
import { loadCalibration } from "../../io/calibration.js";
import { UNKNOWN_BENCHMARK_FIELD, type PredictionPoint, type PredictWorkload } from "../../model/predict-calibrated.js";
import type { PredictReport } from "../../model/predict.js";
import {
  choiceFromGguf,
  choiceFromSpec,
  predictQuery,
  type MeasuredUse,
  type ModelChoice,
  type PredictAnswer,
} from "../../model/predict-query.js";
import { QUERY_RUNTIMES } from "../../model/community/from-catalog.js";
import { fitCommunityPredictor } from "../../pipeline/model/community.js";
import { optFlag, optInt, optString, withOptionHint, type Command, type CommandContext } from "../command.js";
import { DEFAULT_CALIBRATION } from "./calibrate.js";
import { co2eText, GRID_OPTIONS, gridUsage, gridIntensityOption } from "../grid.js";
import { gridIntensityText, type GridIntensity } from "../../catalog/grid-intensity.js";

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

const measuredText = (m: MeasuredUse): string =>
  `measured: ${m.memoryBandwidthGBps} GB/s bandwidth (spec sheet ${m.specBandwidthGBps})` +
  (m.computeGflops === null
    ? ""
    : `, ${m.computeGflops} GFLOP/s compute (spec sheet ${m.specComputeGflops.toPrecision(4)})`) +
  ` used in place of the spec-sheet peaks — ${m.source}`;

function deviceFor(ctx: CommandContext): { device: DeviceSpec; backend: Backend; powerMode: string | null } {
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
  return { device, backend, powerMode: optString(ctx, "power-mode") ?? null };
}

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
    return choiceFromGguf(readGgufHeader(abs(gguf)));
  }
  const model: ModelSpec =
    modelId !== undefined
      ? findModel(loadModelCatalog(ctx.root), modelId)
      : parseModelSpecFile(readTextFile(abs(modelSpecFile as string), "model spec"), modelSpecFile as string);
  if (quantOpt === undefined && !model.paperProfile)
    throw usageError(`--quant is required for ${model.id}`, "e.g. --quant Q4_K_M");
  return choiceFromSpec(model, quantOpt ?? withQuantHint(() => paperQuant(model)), quants);
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
    const { device, backend, powerMode } = deviceFor(ctx);
    const choice = modelFor(ctx);
    const workload = workloadFor(ctx);
    const calibration = loadCalibration(abs(optString(ctx, "calibration") ?? join(ctx.root, DEFAULT_CALIBRATION)));
    const runtime = runtimeFor(ctx);
    const world = { quants: loadQuantCatalog(ctx.root), calibration, community: () => fitCommunityPredictor(ctx.root) };
    let answer: PredictAnswer;
    try {
      answer = predictQuery(world, { device, backend, powerMode, choice, workload, runtime, grid });
    } catch (e) {
      throw withOptionNames(e);
    }
    const { report, measured } = answer;
    const json = optFlag(ctx, "json");
    const out = json
      ? JSON.stringify(answer.json, null, 2)
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
