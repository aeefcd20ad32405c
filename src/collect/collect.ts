/**
 * `collect`: run inferences of a GGUF model on this machine's CPU and write a run bundle —
 * per-inference timings (CollectorRecordV1 JSONL), the raw power log of whatever sensor the
 * machine has, an idle window for the baseline, a manifest `slm-energy ingest` reads, and
 * `run.json` with what the collector knows besides (machine, sensor checks, model traffic, status).
 *
 * Without a sensor the bundle holds timings only and says so: energy is not measured. The
 * collector never writes an energy figure of its own; where a prediction is wanted, `run.json`
 * names the bytes per token and the measured rates a model needs, labelled as inputs.
 */
import { existsSync, readdirSync } from "node:fs";
import { cpus, hostname, platform, release, totalmem, arch } from "node:os";
import { basename, resolve } from "node:path";
import { SlmError, usageError } from "../errors.js";
import { metaValue, readGgufHeader, tokenTraffic, type TokenTraffic } from "../gguf/index.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../ingest/types.js";
import { BundleWriter, INFERENCE_FILE } from "./bundle-writer.js";
import { nowEpochS } from "./clock.js";
import type { InferenceEngine } from "./engine.js";
import type { PromptItem } from "./prompts.js";
import type { MachinePredictor } from "../probe/model-prediction.js";
import {
  SENSOR_KINDS,
  detectPowerSensors,
  type PowerSensor,
  type SamplerHandle,
  type SensorCheck,
  type SensorDetection,
  type SensorKind,
} from "./sensors.js";

export type SensorChoice = "auto" | "none" | SensorKind;

export interface CollectOptions {
  modelPath: string;
  prompts: PromptItem[];
  /** Where the prompts came from (a file path, or `benchmark-like:mmlu`). */
  promptSource: string;
  benchmark: string | null;
  genTokens: number;
  threads?: number;
  outDir: string;
  sensor: SensorChoice;
  sampleMs: number;
  /** Seconds of idle sampling before the run, with the model loaded (baseline). */
  idleS: number;
  /** Unrecorded inferences before the measured ones (page in the weights, warm caches). */
  warmup: number;
  device: string;
  powerMode: string | null;
  /** Stop after the inference in flight when aborted (Ctrl-C). */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, last: CollectorRecordV1 | null) => void;
  onNotice?: (text: string) => void;
  /** Injected for tests; default: node-llama-cpp. */
  openEngine?: (o: { modelPath: string; threads?: number }) => Promise<InferenceEngine>;
  /** Injected for tests; default: this machine's sensors. */
  detect?: () => SensorDetection;
  /**
   * Without a sensor: the calibrated model's prediction of one inference on this machine
   * (see `machinePredictor`), written to run.json as `energy_predicted`, labelled predicted.
   */
  predictor?: MachinePredictor;
  /** What the predictor describes the machine with (for the label). */
  predictorSource?: string;
}

export type RunStatus = "running" | "complete" | "interrupted" | "failed";

export interface CollectSummary {
  dir: string;
  status: RunStatus;
  records: number;
  planned: number;
  sensor: { kind: SensorKind; format: string; files: string[]; readings: number } | null;
  sensorChecks: SensorCheck[];
  energyMeasured: boolean;
  /** Present when no sensor measured energy and a predictor was given. */
  energyPredicted: PredictedEnergy | null;
  meanPrefillTokensPerS: number | null;
  meanDecodeTokensPerS: number | null;
  traffic: TokenTraffic;
}

function chooseSensor(choice: SensorChoice, detection: SensorDetection): PowerSensor | null {
  if (choice === "none") return null;
  if (choice === "auto") return detection.sensors[0] ?? null;
  if (!SENSOR_KINDS.includes(choice))
    throw usageError(`--sensor must be auto, none or one of ${SENSOR_KINDS.join(", ")}`);
  const s = detection.sensors.find((x) => x.kind === choice);
  if (!s) {
    const why = detection.checks.find((c) => c.kind === choice)?.reason ?? "not found";
    throw new SlmError("E_ENV", `sensor ${choice} is not usable here: ${why}`, {
      hint: "use --sensor auto to take whatever exists, or --sensor none for timings only",
    });
  }
  return s;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((res) => {
    if (signal?.aborted) return res();
    const t = setTimeout(res, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        res();
      },
      { once: true },
    );
  });

function machineInfo(): Record<string, unknown> {
  const c = cpus();
  return {
    hostname: hostname(),
    platform: platform(),
    release: release(),
    arch: arch(),
    cpu_model: c[0]?.model ?? null,
    logical_cpus: c.length,
    memory_bytes: totalmem(),
    node: process.version,
  };
}

export async function collectRun(o: CollectOptions): Promise<CollectSummary> {
  if (!Number.isInteger(o.genTokens) || o.genTokens < 0)
    throw usageError(`--gen-tokens must be an integer ≥ 0, got ${o.genTokens}`);
  if (o.prompts.length === 0) throw usageError("no prompts to run");
  const modelPath = resolve(o.modelPath);
  const header = readGgufHeader(modelPath);
  const traffic = tokenTraffic(header);
  const detection = (o.detect ?? (() => detectPowerSensors()))();
  const sensor = chooseSensor(o.sensor, detection);
  const notice = o.onNotice ?? (() => undefined);
  if (sensor) notice(`power: ${sensor.kind} — ${sensor.channels.map((c) => c.source).join("; ")} (${sensor.scope})`);
  else {
    notice(
      o.sensor === "none"
        ? "power: not sampled (--sensor none); the bundle holds timings only, energy is not measured"
        : `power: no sensor on this machine (${detection.checks.map((c) => `${c.kind}: ${c.reason}`).join("; ")}); the bundle holds timings only, energy is not measured`,
    );
  }

  const modelName = (metaValue(header, "general.name") as string | undefined) ?? basename(modelPath);
  const description = metaValue(header, "general.description");
  const synthetic = typeof description === "string" && description.startsWith("synthetic model written by slm-energy");
  const powerFiles = sensor ? sensor.channels.map((c) => c.fileName) : [];
  const startedAt = new Date().toISOString();
  const manifest: BundleManifestV1 = {
    schema: "slm-energy/bundle@1",
    device: o.device,
    backend: "cpu",
    power_mode: o.powerMode,
    model: modelName,
    quantization: traffic.quantization,
    runtime: "node-llama-cpp",
    benchmark: o.benchmark,
    meter: sensor ? sensor.format : null,
    clock_offset_s: 0,
    files: { inference: [INFERENCE_FILE], ...(sensor ? { power: powerFiles } : {}) },
    notes: `collected by slm-energy collect on ${hostname()}, started ${startedAt}; status: running`,
    simulated: false,
  };
  const run: Record<string, unknown> = {
    schema: "slm-energy/collect-run@1",
    status: "running" as RunStatus,
    started_at: startedAt,
    finished_at: null,
    machine: machineInfo(),
    model: {
      path: modelPath,
      name: modelName,
      synthetic,
      file_bytes: header.fileBytes,
      parameters: traffic.parameters,
      quantization: traffic.quantization,
      bits_per_weight: traffic.bitsPerWeight,
      weight_bytes_per_token: traffic.weightBytesPerToken,
      kv_bytes_per_context_token: traffic.kvBytesPerContextToken,
    },
    prompts: {
      source: o.promptSource,
      count: o.prompts.length,
      benchmark_like: o.benchmark !== null && o.promptSource.startsWith("benchmark-like:"),
    },
    settings: {
      gen_tokens: o.genTokens,
      threads: o.threads ?? null,
      warmup: o.warmup,
      idle_s: o.idleS,
      sample_ms: o.sampleMs,
    },
    power: {
      measured: sensor !== null,
      sensor: sensor
        ? {
            kind: sensor.kind,
            format: sensor.format,
            scope: sensor.scope,
            files: powerFiles,
            sources: sensor.channels.map((c) => c.source),
          }
        : null,
      checks: detection.checks,
      note: sensor
        ? null
        : "no power sensor sampled: this bundle holds timings only; any energy figure derived from it is a prediction, not a measurement",
    },
    idle_window: null,
    counts: { planned: o.prompts.length, recorded: 0 },
  };
  const outDir = resolve(o.outDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw usageError(
      `--out ${outDir} exists and is not empty`,
      "choose a new folder for the bundle (raw data are never overwritten)",
    );
  }
  const openEngine = o.openEngine ?? (async (x) => (await import("./engine.js")).openLlamaEngine(x));

  // The engine loads before the bundle is created: a model llama.cpp refuses leaves no folder.
  const engine = await openEngine({ modelPath, ...(o.threads === undefined ? {} : { threads: o.threads }) });
  let writer: BundleWriter | null = null;
  const samplers: SamplerHandle[] = [];
  let status: RunStatus = "running";
  let recorded = 0;
  let prefillRate = 0;
  let decodeRate = 0;
  let decodeN = 0;
  let promptSum = 0;
  let genSum = 0;
  let energyPredicted: PredictedEnergy | null = null;
  try {
    const tokenized = o.prompts.map((p) => engine.tokenize(p.prompt));
    const longest = Math.max(...tokenized.map((t) => t.length));
    await engine.prepare(longest + o.genTokens + 2);
    const info = engine.info();
    manifest.runtime = info.runtime;
    run.engine = info;
    writer = BundleWriter.create(outDir, manifest, run);
    const w = writer;

    if (sensor)
      for (const ch of sensor.channels) samplers.push(ch.start((text) => w.append(ch.fileName, text), o.sampleMs));
    if (sensor && o.idleS > 0) {
      const idleStart = nowEpochS();
      await sleep(o.idleS * 1000, o.signal);
      const idleEnd = nowEpochS();
      if (idleEnd - idleStart > 0.5 * o.idleS) {
        manifest.files.idle = { start_s: idleStart, end_s: idleEnd };
        run.idle_window = { start_s: idleStart, end_s: idleEnd };
      }
    }
    for (let i = 0; i < o.warmup && !o.signal?.aborted; i++)
      await engine.infer(tokenized[i % tokenized.length]!, Math.min(o.genTokens, 8));

    o.onProgress?.(0, o.prompts.length, null);
    for (let i = 0; i < o.prompts.length; i++) {
      if (o.signal?.aborted) break;
      const t = await engine.infer(tokenized[i]!, o.genTokens);
      const rec: CollectorRecordV1 = {
        schema: "slm-energy/inference@1",
        index: i,
        item_id: o.prompts[i]!.id,
        start_s: round6(t.startS),
        end_s: round6(t.endS),
        prompt_tokens: t.promptTokens,
        gen_tokens: t.genTokens,
        prefill_ms: round3(t.prefillMs),
        decode_ms: round3(t.decodeMs),
        correct: null,
      };
      w.appendRecord(rec);
      recorded++;
      promptSum += t.promptTokens;
      genSum += t.genTokens;
      prefillRate += t.promptTokens / (t.prefillMs / 1000);
      if (t.genTokens > 0 && t.decodeMs > 0) {
        decodeRate += t.genTokens / (t.decodeMs / 1000);
        decodeN++;
      }
      o.onProgress?.(recorded, o.prompts.length, rec);
    }
    status = o.signal?.aborted ? "interrupted" : "complete";
  } catch (e) {
    status = "failed";
    throw e;
  } finally {
    await Promise.all(samplers.map((s) => s.stop()));
    await engine.dispose().catch(() => undefined);
    if (writer) {
      const finishedAt = new Date().toISOString();
      manifest.notes =
        `collected by slm-energy collect on ${hostname()}, ${startedAt} – ${finishedAt}; status: ${status}` +
        (status !== "complete" ? ` after ${recorded} of ${o.prompts.length} inferences` : "") +
        (synthetic ? "; model: synthetic weights (real compute and memory traffic, meaningless text)" : "") +
        (sensor ? `; power: ${sensor.kind} (${sensor.scope})` : "; power: not measured (no sensor), timings only");
      run.status = status;
      run.finished_at = finishedAt;
      run.counts = { planned: o.prompts.length, recorded };
      run.power = { ...(run.power as object), readings: samplers.reduce((a, s) => a + s.readings(), 0) };
      if (!sensor && o.predictor && recorded > 0) {
        energyPredicted = predictEnergy(
          o.predictor,
          header,
          promptSum / recorded,
          genSum / recorded,
          recorded,
          o.predictorSource ?? "a device spec",
        );
        run.energy_predicted = energyPredicted;
        manifest.notes += "; energy PREDICTED by the calibrated model in run.json (energy_predicted), not measured";
      }
      run.rates = {
        mean_prefill_tokens_per_s: recorded > 0 ? prefillRate / recorded : null,
        mean_decode_tokens_per_s: decodeN > 0 ? decodeRate / decodeN : null,
      };
      writer.writeManifest(manifest);
      writer.writeRun(run);
      writer.close();
    }
  }
  return {
    dir: outDir,
    status,
    records: recorded,
    planned: o.prompts.length,
    sensor: sensor
      ? {
          kind: sensor.kind,
          format: sensor.format,
          files: powerFiles,
          readings: samplers.reduce((a, s) => a + s.readings(), 0),
        }
      : null,
    sensorChecks: detection.checks,
    energyMeasured: sensor !== null,
    energyPredicted,
    meanPrefillTokensPerS: recorded > 0 ? prefillRate / recorded : null,
    meanDecodeTokensPerS: decodeN > 0 ? decodeRate / decodeN : null,
    traffic,
  };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** The labelled prediction of a run's energy when nothing measured it. */
export interface PredictedEnergy {
  label: "PREDICTED by the calibrated model (slm-energy predict), not measured";
  machine: string;
  workload: { prompt_tokens: number; gen_tokens: number };
  per_inference: {
    energy_wh: number;
    power_w: number;
    latency_s: number;
    decode_tokens_per_s: number | null;
    energy_wh_interval: [number, number];
  } | null;
  inferences: number;
  run_energy_wh: number | null;
  warnings: string[];
  error: string | null;
}

function predictEnergy(
  predictor: MachinePredictor,
  header: Parameters<MachinePredictor>[0],
  promptTokens: number,
  genTokens: number,
  n: number,
  machine: string,
): PredictedEnergy {
  const base = {
    label: "PREDICTED by the calibrated model (slm-energy predict), not measured" as const,
    machine,
    workload: { prompt_tokens: promptTokens, gen_tokens: genTokens },
    inferences: n,
  };
  try {
    const r = predictor(header, { promptTokens, genTokens });
    return {
      ...base,
      per_inference: {
        energy_wh: r.energyWh,
        power_w: r.powerW,
        latency_s: r.latencyS,
        decode_tokens_per_s: r.decodeTokensPerS,
        energy_wh_interval: [r.interval.low.energyWh, r.interval.high.energyWh],
      },
      run_energy_wh: r.energyWh * n,
      warnings: r.warnings,
      error: null,
    };
  } catch (e) {
    return { ...base, per_inference: null, run_energy_wh: null, warnings: [], error: (e as Error).message };
  }
}
