import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { isBackend } from "../../domain/ids.js";
import { notFoundError, usageError } from "../../errors.js";
import { findDevice, loadDeviceCatalog, parseDeviceSpecFile, type DeviceSpec } from "../../catalog/devices.js";
import { findModel, loadModelCatalog, paperQuant, parseModelSpecFile, type ModelSpec } from "../../catalog/models.js";
import { findFileType, loadQuantCatalog } from "../../catalog/quantization.js";
import { readGgufHeader } from "../../io/gguf/reader.js";
import { loadCalibration } from "../../model/calibration-file.js";
import type { PredictionPoint, PredictWorkload } from "../../model/calibration.js";
import { familyOfTensorType, modelFromGguf } from "../../model/gguf-model.js";
import { hardwareOf } from "../../model/hardware.js";
import { predictInference, type PredictReport } from "../../model/predict.js";
import { inventoryFromArchitecture, type TensorInventory } from "../../model/tensors.js";
import type { Scoring } from "../../model/physics.js";
import { optFlag, optString, type Command } from "../command.js";
import { DEFAULT_CALIBRATION } from "./calibrate.js";

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw notFoundError(`${what} not found`, { file: path, cause: e });
  }
}

function tokens(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw usageError(`--${name} must be a whole number ≥ 0, got "${v}"`);
  return n;
}

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6)));

function pointJson(p: PredictionPoint) {
  return {
    latency_s: round(p.latency_s),
    prefill_s: round(p.prefill_s),
    decode_s: round(p.decode_s),
    decode_tokens_per_s: round(p.decode_tokens_per_s),
    prefill_tokens_per_s: round(p.prefill_tokens_per_s),
    power_w: round(p.power_w),
    energy_wh: round(p.energy_wh),
    energy_j_per_token: round(p.energy_j_per_token),
    edp_js: round(p.edp_js),
    active_energy_wh: round(p.active_energy_wh),
  };
}

/** The JSON interface of `predict --json` (field names fixed by the issue). */
export function predictionJson(r: PredictReport) {
  return {
    ...pointJson(r),
    idle_power_w: r.idle_power_w,
    interval: { level: r.interval.level, low: pointJson(r.interval.low), high: pointJson(r.interval.high) },
    inputs: r.inputs,
    workload: {
      prompt_tokens: round(r.workload.promptTokens),
      gen_tokens: round(r.workload.genTokens),
      context_tokens: r.workload.contextTokens,
      scoring: r.workload.scoring,
    },
    bound: r.bound,
    memory: Object.fromEntries(Object.entries(r.memory).map(([k, v]) => [k, typeof v === "number" ? round(v) : v])),
    transfers: r.transfers,
    warnings: r.warnings,
  };
}

function predictionText(r: PredictReport): string {
  const f = (x: number | null, d = 3) => (x === null ? "—" : x >= 1000 ? x.toFixed(0) : x.toPrecision(d));
  const iv = (k: keyof PredictionPoint) => `[${f(r.interval.low[k])}, ${f(r.interval.high[k])}]`;
  const lines = [
    `${r.inputs.model} (${r.inputs.quant}, ${(r.inputs.parameters / 1e9).toFixed(2)} B) on ${r.inputs.device} ${r.inputs.backend} ${r.inputs.power_mode} — calibration "${r.inputs.calibration}"`,
    `workload: ${f(r.workload.promptTokens, 4)} prompt tokens (${r.workload.scoring}), ${f(r.workload.genTokens, 4)} generated`,
    "",
    `latency         ${f(r.latency_s)} s   ${iv("latency_s")} 90%`,
    `  prefill       ${f(r.prefill_s)} s   ${r.prefill_tokens_per_s === null ? "" : `${f(r.prefill_tokens_per_s)} tokens/s, `}${r.bound.prefill}-bound`,
    r.decode_tokens_per_s === null
      ? `  decode        —         nothing generated`
      : `  decode        ${f(r.decode_s)} s   ${f(r.decode_tokens_per_s)} tokens/s ${iv("decode_tokens_per_s")}, ${r.bound.decode}-bound`,
    `power           ${f(r.power_w)} W   ${iv("power_w")}`,
    `energy          ${f(r.energy_wh)} Wh  ${iv("energy_wh")}  (${f(r.energy_j_per_token)} J/token)`,
    `EDP             ${f(r.edp_js)} J·s ${iv("edp_js")}`,
    r.active_energy_wh === null
      ? "active energy   — (no idle power for this board)"
      : `active energy   ${f(r.active_energy_wh)} Wh  ${iv("active_energy_wh")}  (above ${r.idle_power_w} W idle, assumed)`,
    `memory          ${r.memory.required_gib.toFixed(2)} GiB needed of ${r.memory.available_gib.toFixed(2)} GiB: ${r.memory.fits ? "fits" : "DOES NOT FIT"}`,
  ];
  for (const t of r.transfers) lines.push(`transferred: ${t.parameter} from ${t.from} — ${t.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}

export const predictCommand: Command = {
  name: "predict",
  summary: "predict latency, power and energy of one inference for any model, quantization and board",
  usage: `Usage: slm-energy predict (--device ID | --device-spec FILE) --backend cpu|gpu [--power-mode M]
                         (--model ID | --model-spec FILE | --gguf FILE) [--quant Q]
                         (--benchmark B | --prompt-tokens N --gen-tokens M [--context-tokens C]
                          [--scoring generate|loglikelihood])
                         [--calibration FILE] [--json]

Predicts one inference with the calibrated analytical model: prefill and decode on a roofline with
the calibrated efficiencies of the platform, energy from its calibrated phase powers, and a 90%
prediction interval from the calibration's bootstrap replicates. A platform the calibration has not
seen (another power mode, a --device-spec board) borrows parameters from calibrated ones; the
output says which, from where and why. Warns when the prediction extrapolates far outside the
calibration data, and when the model plus its KV cache does not fit the board's RAM.

Options:
  --device ID           a catalog device: raspberry-pi-5, jetson-nano, jetson-orin-nano
  --device-spec FILE    a new board as JSON, same fields as a data/catalog/devices.json entry
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
  --calibration FILE    default ${DEFAULT_CALIBRATION}
  --json                {"latency_s", "prefill_s", "decode_s", "decode_tokens_per_s",
                        "prefill_tokens_per_s", "power_w", "energy_wh", "energy_j_per_token",
                        "edp_js", "active_energy_wh", "idle_power_w", "interval": {"level",
                        "low": {...}, "high": {...}}, "inputs",
                        "workload", "bound", "memory", "transfers", "warnings"}
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
    json: { type: "boolean" },
  },
  async run(ctx) {
    const abs = (p: string) => (isAbsolute(p) ? p : join(process.cwd(), p));
    // Device
    const deviceId = optString(ctx, "device");
    const deviceSpec = optString(ctx, "device-spec");
    if ((deviceId === undefined) === (deviceSpec === undefined))
      throw usageError("give exactly one of --device ID or --device-spec FILE");
    const device: DeviceSpec =
      deviceId !== undefined
        ? findDevice(loadDeviceCatalog(ctx.root), deviceId)
        : parseDeviceSpecFile(readText(abs(deviceSpec as string), "device spec"), deviceSpec as string);
    const backend = optString(ctx, "backend");
    if (backend === undefined || !isBackend(backend)) throw usageError("--backend cpu|gpu is required");
    const hardware = hardwareOf(device, backend, optString(ctx, "power-mode") ?? null);
    // Model
    const modelId = optString(ctx, "model");
    const modelSpecFile = optString(ctx, "model-spec");
    const gguf = optString(ctx, "gguf");
    if ([modelId, modelSpecFile, gguf].filter((x) => x !== undefined).length !== 1)
      throw usageError("give exactly one of --model ID, --model-spec FILE or --gguf FILE");
    const quants = loadQuantCatalog(ctx.root);
    let model: ModelSpec;
    let inventory: TensorInventory;
    let quant: string;
    let quantFamily: string;
    const quantOpt = optString(ctx, "quant");
    if (gguf !== undefined) {
      if (quantOpt !== undefined)
        throw usageError("--quant does not apply to --gguf: the file's tensors carry their types");
      const g = modelFromGguf(readGgufHeader(abs(gguf)));
      model = g.spec;
      inventory = g.inventory;
      quant = inventory.quant;
      quantFamily = familyOfTensorType(quant);
    } else {
      model =
        modelId !== undefined
          ? findModel(loadModelCatalog(ctx.root), modelId)
          : parseModelSpecFile(readText(abs(modelSpecFile as string), "model spec"), modelSpecFile as string);
      if (quantOpt === undefined && !model.paperProfile)
        throw usageError(`--quant is required for ${model.id}`, "e.g. --quant Q4_K_M");
      const ft = findFileType(quants, quantOpt ?? paperQuant(model));
      quant = ft.name;
      quantFamily = ft.family;
      inventory = inventoryFromArchitecture(model.architecture, quant, quants);
    }
    // Workload
    const benchmark = optString(ctx, "benchmark");
    const prompt = tokens(optString(ctx, "prompt-tokens"), "prompt-tokens");
    const gen = tokens(optString(ctx, "gen-tokens"), "gen-tokens");
    const context = tokens(optString(ctx, "context-tokens"), "context-tokens");
    const scoring = optString(ctx, "scoring");
    if (scoring !== undefined && scoring !== "generate" && scoring !== "loglikelihood")
      throw usageError(`--scoring must be generate or loglikelihood, got "${scoring}"`);
    let workload: PredictWorkload;
    if (benchmark !== undefined) {
      if (prompt !== undefined || gen !== undefined || context !== undefined || scoring !== undefined)
        throw usageError("--benchmark and --prompt-tokens/--gen-tokens/--context-tokens/--scoring exclude each other");
      workload = { benchmark };
    } else {
      if (prompt === undefined || gen === undefined)
        throw usageError("give --benchmark B, or both --prompt-tokens N and --gen-tokens M");
      workload = {
        promptTokens: prompt,
        genTokens: gen,
        contextTokens: context ?? 0,
        scoring: (scoring as Scoring | undefined) ?? "generate",
      };
    }
    const calibration = loadCalibration(abs(optString(ctx, "calibration") ?? join(ctx.root, DEFAULT_CALIBRATION)));
    const report = predictInference({ calibration, hardware, model, inventory, quant, quantFamily, workload });
    ctx.stdout(
      optFlag(ctx, "json") ? JSON.stringify(predictionJson(report), null, 2) + "\n" : predictionText(report) + "\n",
    );
    for (const w of optFlag(ctx, "json") ? report.warnings : []) ctx.stderr(`slm-energy predict: warning: ${w}\n`);
    return 0;
  },
};
