import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optString } from "../command.js";
import { isSlmError, notFoundError, usageError } from "../../errors.js";
import {
  ProgressBar,
  benchmarkLikePrompts,
  collectRun,
  parsePromptsJsonl,
  type SensorChoice,
} from "../../collect/index.js";
import { findDevice, loadDeviceCatalog, parseDeviceSpecFile, type DeviceSpec } from "../../catalog/devices.js";
import { isDeviceId } from "../../domain/ids.js";
import { loadCalibration } from "../../io/calibration.js";
import { machinePredictor, type MachinePredictor } from "../../probe/model-prediction.js";
import { DEFAULT_CALIBRATION } from "./calibrate.js";
import { join } from "node:path";

const usage = `Usage: slm-energy collect --model FILE.gguf (--prompts FILE.jsonl | --benchmark-like mmlu|hellaswag|winogrande)
                          [--n N] [--gen-tokens M] [--threads T] --out DIR
                          [--sensor auto|none|rapl|ina3221-hwmon|ina3221-iio|tegrastats|pmic]
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
via hwmon or iio, tegrastats, Raspberry Pi 5 PMIC via vcgencmd). Without one the collector says
so and records timings only: energy is then not measured. Given a device spec (--device-spec,
or --device naming a catalog board) the calibrated model's prediction for the run's mean
workload goes to run.json as "energy_predicted", labelled PREDICTED, never as a measurement. An idle window (--idle-s, model loaded, nothing running) is recorded
for the baseline when a sensor exists.

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
  --calibration FILE   calibrated model for the predicted energy (default models/calibrated/paper.json)
  --json               print the run summary as JSON

Ctrl-C stops after the inference in flight and leaves a valid partial bundle (status
"interrupted" in run.json and the manifest notes); a second Ctrl-C exits at once.
Exit codes: 0 complete, 1 failure or interrupted, 2 bad input or usage.`;

function intOpt(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

function numOpt(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw usageError(`--${name} must be a number ≥ ${min}, got "${v}"`);
  return n;
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
    const promptsFile = optString(ctx, "prompts");
    const like = optString(ctx, "benchmark-like");
    if (!model) throw usageError("--model FILE.gguf is required", "write one with `slm-energy gguf synth`");
    if (!out) throw usageError("--out DIR is required");
    if ((promptsFile === undefined) === (like === undefined))
      throw usageError("give exactly one of --prompts FILE.jsonl or --benchmark-like B");
    const n = intOpt(optString(ctx, "n"), "n", 1);
    let prompts;
    let source: string;
    if (promptsFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(promptsFile, "utf8");
      } catch (e) {
        throw notFoundError(`cannot read the prompt file`, { file: promptsFile, cause: e });
      }
      prompts = parsePromptsJsonl(text, promptsFile);
      if (n !== undefined && n > prompts.length)
        ctx.stderr(`note: --n ${n} but ${promptsFile} holds ${prompts.length} prompts; running ${prompts.length}\n`);
      if (n !== undefined) prompts = prompts.slice(0, n);
      source = resolve(promptsFile);
    } else {
      prompts = benchmarkLikePrompts(like!, n ?? 20, intOpt(optString(ctx, "seed"), "seed", 0) ?? 1);
      source = `benchmark-like:${like}`;
    }
    const sensor = (optString(ctx, "sensor") ?? "auto") as SensorChoice;
    const threads = intOpt(optString(ctx, "threads"), "threads", 1);
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts === 1) {
        ctx.stderr(
          "\ninterrupted: finishing the inference in flight and closing the bundle (Ctrl-C again to quit now)\n",
        );
        controller.abort();
      } else process.exit(130);
    };
    process.on("SIGINT", onSigint);
    // A predictor for the no-sensor case: this machine's spec and the calibrated model.
    let predictor: MachinePredictor | undefined;
    let predictorSource: string | undefined;
    const specFile = optString(ctx, "device-spec");
    const deviceId = optString(ctx, "device");
    let device: DeviceSpec | null = null;
    if (specFile !== undefined) {
      let specText: string;
      try {
        specText = readFileSync(specFile, "utf8");
      } catch (e) {
        throw notFoundError("cannot read the device spec", {
          file: specFile,
          cause: e,
          hint: "write one with `slm-energy probe --device-spec FILE`",
        });
      }
      device = parseDeviceSpecFile(specText, specFile);
      predictorSource = `device spec ${specFile} (${device.id})`;
    } else if (deviceId !== undefined && isDeviceId(deviceId)) {
      device = findDevice(loadDeviceCatalog(ctx.root), deviceId);
      predictorSource = `catalog device ${deviceId}`;
    }
    if (device) {
      try {
        predictor = machinePredictor(
          loadCalibration(optString(ctx, "calibration") ?? join(ctx.root, DEFAULT_CALIBRATION)),
          device,
          optString(ctx, "power-mode") ?? null,
        );
      } catch (e) {
        ctx.stderr(`note: no energy prediction: ${isSlmError(e) ? e.format() : (e as Error).message}\n`);
      }
    }
    const bar = new ProgressBar(prompts.length, ctx.stderr, process.stderr.isTTY === true);
    try {
      const summary = await collectRun({
        modelPath: model,
        prompts,
        promptSource: source,
        benchmark: like ?? null,
        genTokens: intOpt(optString(ctx, "gen-tokens"), "gen-tokens", 0) ?? 32,
        ...(threads === undefined ? {} : { threads }),
        outDir: out,
        sensor,
        sampleMs: numOpt(optString(ctx, "sample-ms"), "sample-ms", 1) ?? (sensor === "pmic" ? 500 : 100),
        idleS: numOpt(optString(ctx, "idle-s"), "idle-s", 0) ?? 5,
        warmup: intOpt(optString(ctx, "warmup"), "warmup", 0) ?? 1,
        device: optString(ctx, "device") ?? "local",
        powerMode: optString(ctx, "power-mode") ?? null,
        signal: controller.signal,
        ...(predictor ? { predictor, predictorSource: predictorSource! } : {}),
        onNotice: (t) => ctx.stderr(t + "\n"),
        onProgress: (done, _total, last) =>
          bar.update(
            done,
            last
              ? `prefill ${(last.prompt_tokens / (last.prefill_ms / 1000)).toFixed(0)} tok/s, decode ${last.decode_ms > 0 ? (last.gen_tokens / (last.decode_ms / 1000)).toFixed(1) : "-"} tok/s`
              : "loading",
          ),
      });
      bar.finish();
      if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(summary, null, 2) + "\n");
      else {
        ctx.stdout(
          `${summary.status}: ${summary.records}/${summary.planned} inferences → ${summary.dir}\n` +
            `  prefill ${summary.meanPrefillTokensPerS?.toFixed(1) ?? "-"} tok/s, decode ${summary.meanDecodeTokensPerS?.toFixed(2) ?? "-"} tok/s (means over inferences)\n` +
            `  energy: ${summary.energyMeasured ? `measured by ${summary.sensor!.kind} (${summary.sensor!.readings} readings in ${summary.sensor!.files.join(", ")})` : "NOT measured (no sensor): timings only"}\n` +
            (summary.energyPredicted?.per_inference
              ? `  energy PREDICTED (calibrated model, ${summary.energyPredicted.machine}): ${(summary.energyPredicted.per_inference.energy_wh * 3600).toFixed(3)} J per inference, ${summary.energyPredicted.per_inference.power_w.toFixed(1)} W — a prediction, not a measurement\n`
              : !summary.energyMeasured
                ? `  energy not predicted either${summary.energyPredicted?.error ? `: ${summary.energyPredicted.error}` : ": pass --device-spec FILE (slm-energy probe --device-spec FILE)"}\n`
                : "") +
            `  next: slm-energy ingest ${summary.dir}\n`,
        );
      }
      return summary.status === "complete" ? 0 : 1;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
};
