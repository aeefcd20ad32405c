import { join, resolve } from "node:path";
import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt, optNumber, optString } from "../command.js";
import { ProgressBar } from "../progress.js";
import { isSlmError, usageError } from "../../errors.js";
import {
  benchmarkLikePrompts,
  isSensorChoice,
  parsePromptsJsonl,
  SENSOR_KINDS,
  type CollectOptions,
  type CollectSummary,
  type PromptItem,
  type SensorChoice,
} from "../../collect/index.js";
import type { CollectorRecordV1 } from "../../ingest/types.js";
import { findDevice, type DeviceSpec } from "../../catalog/devices.js";
import { checkBoard, type BoardCheck } from "../../measure/measure.js";
import { deviceTreeModel } from "../../io/host-facts.js";
import { loadDeviceCatalog, parseDeviceSpecFile } from "../../io/catalog/devices.js";
import { BENCHMARKS, isBenchmark, isDeviceId } from "../../domain/ids.js";
import { msToS, whToJ } from "../../metrics/units.js";
import { loadCalibration } from "../../io/calibration.js";
import { machinePredictor } from "../../probe/model-prediction.js";
import { readTextFile } from "../../io/files.js";
import { PATHS } from "../../pipeline/paths.js";
import { collectRun } from "../../pipeline/collect/run.js";

const usage = `Usage: slm-energy collect --model FILE.gguf
                          (--prompts FILE.jsonl | --benchmark-like mmlu|hellaswag|winogrande)
                          [--n N] [--gen-tokens M] [--threads T] --out DIR
                          [--sensor auto|none|rapl|ina3221-hwmon|ina3221-iio|tegrastats|jtop|pmic|nvidia-smi]
                          [--sample-ms MS] [--idle-s S] [--warmup W] [--device ID] [--power-mode M]
                          [--seed S] [--json]

Runs inferences of a GGUF model on this machine's CPU with llama.cpp (node-llama-cpp, offline) and
writes a run bundle that \`slm-energy ingest DIR\` reads:
  manifest.json     the bundle manifest (written first, finalized at the end)
  inference.jsonl   one line per inference (slm-energy/inference@1): start_s/end_s (epoch s),
                    prompt_tokens, gen_tokens, prefill_ms, decode_ms
  power-*.csv|log   the raw power log of the sensor, when the machine has one
  run.json          machine, model traffic (bytes per token), sensor checks, rates, status

Per inference: the KV cache is cleared; prefill evaluates the whole prompt in one batch and
samples the first token; decode runs --gen-tokens single-token forward passes (greedy; an
end-of-sequence token does not stop it, so every inference does the same work).

Power: sampled concurrently from the first sensor found (RAPL energy counters, Jetson INA3221
via hwmon or iio, tegrastats, jtop, Raspberry Pi 5 PMIC via vcgencmd, nvidia-smi). Without one the collector says
so and records timings only: energy is then not measured. Given a device spec (--device-spec,
or --device naming a catalog board) the calibrated model's prediction for the run's mean
workload goes to run.json as "energy_predicted", labelled PREDICTED, never as a measurement.
An idle window (--idle-s, model loaded, nothing running) is recorded for the baseline when a
sensor exists.

Options:
  --prompts FILE       JSONL, one {"id": …, "prompt": "…"} per line
  --benchmark-like B   synthetic prompts in the layout and length of benchmark B
  --n N                number of inferences (default: all prompts; 20 for --benchmark-like)
  --gen-tokens M       decode steps per inference (default 32)
  --threads T          llama.cpp CPU threads (default: the machine's math cores)
  --sensor S           auto (default), none, or a sensor kind (fails if it is not usable)
  --sample-ms MS       power sampling interval (default 100; 500 for pmic)
  --idle-s S           idle baseline seconds before the run (default 5 with a sensor)
  --warmup W           unrecorded warm-up inferences (default 1)
  --device ID          device id for the manifest (default "local")
  --device-spec FILE   this machine as a device spec (\`slm-energy probe --device-spec FILE\`); with
                       --device naming a catalog board, that board's entry is used instead
  --calibration FILE   calibrated model for the predicted energy (default ${PATHS.paperCalibration})
  --json               print the run summary as JSON

Ctrl-C stops after the inference in flight and leaves a valid partial bundle (status
"interrupted" in run.json and the manifest notes); a second Ctrl-C exits at once.
Exit codes: 0 complete, 1 failure or interrupted, 2 bad input or usage.`;

/** The prompts to run and where they came from: a JSONL file (cut to --n) or synthetic benchmark-like ones. */
function readPrompts(ctx: CommandContext): { prompts: PromptItem[]; source: string; benchmark: string | null } {
  const promptsFile = optString(ctx, "prompts");
  const like = optString(ctx, "benchmark-like");
  if ((promptsFile === undefined) === (like === undefined))
    throw usageError("give exactly one of --prompts FILE.jsonl or --benchmark-like B");
  const n = optInt(ctx, "n", { min: 1 });
  if (like !== undefined) {
    if (!isBenchmark(like))
      throw usageError(`--benchmark-like must be one of ${BENCHMARKS.join(", ")} (got "${like}")`);
    const prompts = benchmarkLikePrompts(like, n ?? 20, optInt(ctx, "seed", { min: 0 }) ?? 1);
    return { prompts, source: `benchmark-like:${like}`, benchmark: like };
  }
  const all = parsePromptsJsonl(readTextFile(promptsFile!, "prompt file"), promptsFile!);
  if (n !== undefined && n > all.length)
    ctx.stderr(`note: --n ${n} but ${promptsFile} holds ${all.length} prompts; running ${all.length}\n`);
  return { prompts: n === undefined ? all : all.slice(0, n), source: resolve(promptsFile!), benchmark: null };
}

/** This machine as a device: a spec file, or a catalog board named by --device; null when neither. */
function deviceForPrediction(
  ctx: CommandContext,
  deviceId: string | undefined,
): { device: DeviceSpec; source: string } | null {
  const specFile = optString(ctx, "device-spec");
  if (specFile !== undefined) {
    const device = parseDeviceSpecFile(readTextFile(specFile, "device spec"), specFile);
    return { device, source: `device spec ${specFile} (${device.id})` };
  }
  if (deviceId !== undefined && isDeviceId(deviceId))
    return { device: findDevice(loadDeviceCatalog(ctx.root), deviceId), source: `catalog device ${deviceId}` };
  return null;
}

/**
 * A predictor for the no-sensor case: this machine's spec and the calibrated model (a note when it
 * fails). The board is `--device` (collect) or the one `measure` was given or detected.
 */
export function predictorOf(
  ctx: CommandContext,
  deviceId: string | undefined = optString(ctx, "device"),
): Partial<Pick<CollectOptions, "predictor" | "predictorSource">> {
  const found = deviceForPrediction(ctx, deviceId);
  if (!found) return {};
  try {
    const calibration = loadCalibration(optString(ctx, "calibration") ?? join(ctx.root, PATHS.paperCalibration));
    const predictor = machinePredictor(calibration, found.device, optString(ctx, "power-mode") ?? null);
    return { predictor, predictorSource: found.source };
  } catch (e) {
    ctx.stderr(`note: no energy prediction: ${isSlmError(e) ? e.format() : (e as Error).message}\n`);
    return {};
  }
}

function sensorOption(ctx: CommandContext): SensorChoice {
  const sensor = optString(ctx, "sensor") ?? "auto";
  if (!isSensorChoice(sensor))
    throw usageError(`--sensor must be auto, none or one of ${SENSOR_KINDS.join(", ")} (got "${sensor}")`);
  return sensor;
}

/** Ctrl-C once: finish the inference in flight and close the bundle; twice: quit now. */
function onInterrupt(ctx: CommandContext, controller: AbortController): () => void {
  let interrupts = 0;
  return () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    ctx.stderr("\ninterrupted: finishing the inference in flight and closing the bundle (Ctrl-C again to quit now)\n");
    controller.abort();
  };
}

const tokensPerS = (tokens: number, ms: number): number => tokens / msToS(ms);

/** The bar's note after an inference: its prefill and decode rates. */
function rateNote(last: CollectorRecordV1 | null): string {
  if (!last) return "loading";
  const decode = last.decode_ms > 0 ? tokensPerS(last.gen_tokens, last.decode_ms).toFixed(1) : "-";
  return `prefill ${tokensPerS(last.prompt_tokens, last.prefill_ms).toFixed(0)} tok/s, decode ${decode} tok/s`;
}

function energyLines(s: CollectSummary): string {
  const measured = s.energyMeasured
    ? `measured by ${s.sensor!.kind} (${s.sensor!.readings} readings in ${s.sensor!.files.join(", ")})`
    : "NOT measured (no sensor): timings only";
  const p = s.energyPredicted;
  let predicted = "";
  if (p?.per_inference) {
    predicted =
      `  energy PREDICTED (calibrated model, ${p.machine}): ${whToJ(p.per_inference.energy_wh).toFixed(3)} J ` +
      `per inference, ${p.per_inference.power_w.toFixed(1)} W — a prediction, not a measurement\n`;
  } else if (!s.energyMeasured) {
    const why = p?.error ? `: ${p.error}` : ": pass --device-spec FILE (slm-energy probe --device-spec FILE)";
    predicted = `  energy not predicted either${why}\n`;
  }
  return `  energy: ${measured}\n${predicted}`;
}

function summaryText(s: CollectSummary): string {
  const prefill = s.meanPrefillTokensPerS?.toFixed(1) ?? "-";
  const decode = s.meanDecodeTokensPerS?.toFixed(2) ?? "-";
  return (
    `${s.status}: ${s.records}/${s.planned} inferences → ${s.dir}\n` +
    `  prefill ${prefill} tok/s, decode ${decode} tok/s (means over inferences)\n` +
    energyLines(s) +
    `  next: slm-energy ingest ${s.dir}\n`
  );
}

export const collectCommand: Command = {
  name: "collect",
  summary: "run a GGUF model on this machine's CPU, sampling power, and write a run bundle",
  usage,
  options: {
    model: { type: "string" },
    prompts: { type: "string" },
    "benchmark-like": { type: "string" },
    n: { type: "string" },
    "gen-tokens": { type: "string" },
    threads: { type: "string" },
    out: { type: "string" },
    sensor: { type: "string" },
    "sample-ms": { type: "string" },
    "idle-s": { type: "string" },
    warmup: { type: "string" },
    device: { type: "string" },
    "power-mode": { type: "string" },
    "device-spec": { type: "string" },
    calibration: { type: "string" },
    seed: { type: "string" },
    json: { type: "boolean" },
  },
  async run(ctx) {
    const model = optString(ctx, "model");
    const out = optString(ctx, "out");
    if (!model) throw usageError("--model FILE.gguf is required", "write one with `slm-energy gguf synth`");
    if (!out) throw usageError("--out DIR is required");
    const { prompts, source, benchmark } = readPrompts(ctx);
    const sensor = sensorOption(ctx);
    const threads = optInt(ctx, "threads", { min: 1 });
    const settings = {
      genTokens: optInt(ctx, "gen-tokens", { min: 0 }) ?? 32,
      sampleMs: optNumber(ctx, "sample-ms", { min: 1 }) ?? (sensor === "pmic" ? 500 : 100),
      idleS: optNumber(ctx, "idle-s", { min: 0 }) ?? 5,
      warmup: optInt(ctx, "warmup", { min: 0 }) ?? 1,
    };
    const boardCheck = checkCollectBoard(ctx);
    if (boardCheck?.warning) ctx.stderr(`warning: ${boardCheck.warning}\n`);
    const controller = new AbortController();
    const onSigint = onInterrupt(ctx, controller);
    process.on("SIGINT", onSigint);
    const bar = ProgressBar.onStderr(prompts.length, ctx.stderr);
    try {
      const summary = await collectRun({
        modelPath: model,
        prompts,
        promptSource: source,
        benchmark,
        ...settings,
        ...(threads === undefined ? {} : { threads }),
        outDir: out,
        sensor,
        device: optString(ctx, "device") ?? "local",
        ...(boardCheck ? { boardCheck } : {}),
        powerMode: optString(ctx, "power-mode") ?? null,
        signal: controller.signal,
        ...predictorOf(ctx),
        onNotice: (t) => ctx.stderr(t + "\n"),
        onProgress: (done, _total, last) => bar.update(done, rateNote(last)),
      });
      bar.finish();
      ctx.stdout(optFlag(ctx, "json") ? JSON.stringify(summary, null, 2) + "\n" : summaryText(summary));
      return summary.status === "complete" ? 0 : 1;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
};

/** `--device` naming a catalog board this host is not: warned, and both recorded in run.json. */
function checkCollectBoard(ctx: CommandContext): BoardCheck | null {
  const given = optString(ctx, "device");
  if (given === undefined || given === "local") return null;
  const ids = loadDeviceCatalog(ctx.root).devices.map((d) => d.id);
  // A device id outside the catalog names the user's own machine: nothing to check it against.
  return ids.includes(given) ? checkBoard(given, deviceTreeModel(), ids, "--device") : null;
}
