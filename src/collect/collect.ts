/**
 * `collect`: run inferences of a GGUF model on this machine's CPU and write a run bundle —
 * per-inference timings (CollectorRecordV1 JSONL), the raw power log of whatever sensor the
 * machine has, an idle window for the baseline, a manifest `slm-energy ingest` reads, and
 * `run.json` with what the collector knows besides (machine, sensor checks, model traffic, status).
 *
 * Without a sensor the bundle holds timings only and says so: energy is not measured. The
 * collector never writes an energy figure of its own; where a prediction is wanted, `run.json`
 * names the bytes per token and the measured rates a model needs, labelled as inputs.
 *
 * This module is the run's content, as pure functions: options, the sensor choice, the manifest
 * and run.json records, the per-inference record, the rates and the labelled prediction. The run
 * itself (engine, sensors, bundle on disk) is `pipeline/collect/run.ts`.
 */
import { SlmError, usageError } from "../errors.js";
import { metaValue, type GgufHeader, type TokenTraffic } from "../gguf/index.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../ingest/types.js";
import { msToS } from "../metrics/units.js";
import type { MachinePredictor } from "../probe/model-prediction.js";
import type { InferenceEngine, InferenceTiming } from "./engine.js";
import type { PromptItem } from "./prompts.js";
import { SENSOR_KINDS, isSensorKind, type PowerSensor, type SensorCheck, type SensorDetection } from "./sensors.js";
import type { SensorKind } from "./sensors.js";

export type SensorChoice = "auto" | "none" | SensorKind;

export const isSensorChoice = (s: string): s is SensorChoice => s === "auto" || s === "none" || isSensorKind(s);

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
  /** The --device given against the board this host is (run.json's board_check); absent: not checked. */
  boardCheck?: {
    given: string | null;
    detected: string | null;
    deviceTreeModel: string | null;
    warning: string | null;
  };
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

/** The run's settings checked before anything is opened. */
export function checkCollectOptions(o: Pick<CollectOptions, "genTokens" | "prompts">): void {
  if (!Number.isInteger(o.genTokens) || o.genTokens < 0)
    throw usageError(`generated tokens per inference must be an integer ≥ 0, got ${o.genTokens}`);
  if (o.prompts.length === 0) throw usageError("no prompts to run");
}

/** The sensor to sample: the first usable one (auto), none, or the named kind if it is usable here. */
export function chooseSensor(choice: SensorChoice, detection: SensorDetection): PowerSensor | null {
  if (choice === "none") return null;
  if (choice === "auto") return detection.sensors[0] ?? null;
  if (!isSensorKind(choice))
    throw usageError(`unknown sensor "${String(choice)}": expected auto, none or one of ${SENSOR_KINDS.join(", ")}`);
  const s = detection.sensors.find((x) => x.kind === choice);
  if (!s) {
    const why = detection.checks.find((c) => c.kind === choice)?.reason ?? "not found";
    throw new SlmError("E_ENV", `sensor ${choice} is not usable here: ${why}`, {
      hint: 'choose sensor "auto" to take whatever exists, or "none" for timings only',
    });
  }
  return s;
}

/** What the run will measure power with, in one line for the user. */
export function sensorNotice(choice: SensorChoice, sensor: PowerSensor | null, detection: SensorDetection): string {
  if (sensor) return `power: ${sensor.kind} — ${sensor.channels.map((c) => c.source).join("; ")} (${sensor.scope})`;
  const timingsOnly = "the bundle holds timings only, energy is not measured";
  if (choice === "none") return `power: not sampled (sensor: none); ${timingsOnly}`;
  const checks = detection.checks.map((c) => `${c.kind}: ${c.reason}`).join("; ");
  return `power: no sensor on this machine (${checks}); ${timingsOnly}`;
}

/** The model as the run describes it. */
export interface RunModel {
  path: string;
  name: string;
  /** Written by `slm-energy gguf synth`: real compute and memory traffic, meaningless text. */
  synthetic: boolean;
  header: GgufHeader;
  traffic: TokenTraffic;
}

/** The run's model from its GGUF header: name (general.name, else the file name) and whether it is synthetic. */
export function runModel(path: string, fileName: string, header: GgufHeader, traffic: TokenTraffic): RunModel {
  const description = metaValue(header, "general.description");
  return {
    path,
    name: (metaValue(header, "general.name") as string | undefined) ?? fileName,
    synthetic: typeof description === "string" && description.startsWith("synthetic model written by slm-energy"),
    header,
    traffic,
  };
}

/** Everything a run writes that is known before the first inference. */
export interface RunPlan {
  model: RunModel;
  detection: SensorDetection;
  sensor: PowerSensor | null;
  powerFiles: string[];
  startedAt: string;
  host: string;
  manifest: BundleManifestV1;
  run: Record<string, unknown>;
}

export const INFERENCE_FILE = "inference.jsonl";

export function bundleManifest(
  o: CollectOptions,
  model: RunModel,
  sensor: PowerSensor | null,
  host: string,
  startedAt: string,
): BundleManifestV1 {
  return {
    schema: "slm-energy/bundle@1",
    device: o.device,
    backend: "cpu",
    power_mode: o.powerMode,
    model: model.name,
    quantization: model.traffic.quantization,
    runtime: "node-llama-cpp",
    benchmark: o.benchmark,
    meter: sensor ? sensor.format : null,
    clock_offset_s: 0,
    files: { inference: [INFERENCE_FILE], ...(sensor ? { power: sensor.channels.map((c) => c.fileName) } : {}) },
    notes: `collected by slm-energy collect on ${host}, started ${startedAt}; status: running`,
    simulated: false,
  };
}

/** run.json's power section: the sensor sampled (or why none), every probe, the timings-only note. */
export function powerSection(sensor: PowerSensor | null, detection: SensorDetection): Record<string, unknown> {
  return {
    measured: sensor !== null,
    sensor: sensor
      ? {
          kind: sensor.kind,
          format: sensor.format,
          scope: sensor.scope,
          files: sensor.channels.map((c) => c.fileName),
          sources: sensor.channels.map((c) => c.source),
        }
      : null,
    checks: detection.checks,
    note: sensor
      ? null
      : "no power sensor sampled: this bundle holds timings only; " +
        "any energy figure derived from it is a prediction, not a measurement",
  };
}

/** run.json as first written (status running). */
export function runRecord(
  o: CollectOptions,
  model: RunModel,
  sensor: PowerSensor | null,
  detection: SensorDetection,
  machine: Record<string, unknown>,
  startedAt: string,
): Record<string, unknown> {
  const t = model.traffic;
  return {
    schema: "slm-energy/collect-run@1",
    status: "running",
    started_at: startedAt,
    finished_at: null,
    machine,
    ...(o.boardCheck
      ? {
          board_check: {
            given: o.boardCheck.given,
            detected: o.boardCheck.detected,
            device_tree_model: o.boardCheck.deviceTreeModel,
            warning: o.boardCheck.warning,
          },
        }
      : {}),
    model: {
      path: model.path,
      name: model.name,
      synthetic: model.synthetic,
      file_bytes: model.header.fileBytes,
      parameters: t.parameters,
      quantization: t.quantization,
      bits_per_weight: t.bitsPerWeight,
      weight_bytes_per_token: t.weightBytesPerToken,
      kv_bytes_per_context_token: t.kvBytesPerContextToken,
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
    power: powerSection(sensor, detection),
    idle_window: null,
    counts: { planned: o.prompts.length, recorded: 0 },
  };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** The bundle's line for one measured inference. */
export function inferenceRecord(index: number, itemId: string | null, t: InferenceTiming): CollectorRecordV1 {
  return {
    schema: "slm-energy/inference@1",
    index,
    item_id: itemId,
    start_s: round6(t.startS),
    end_s: round6(t.endS),
    prompt_tokens: t.promptTokens,
    gen_tokens: t.genTokens,
    prefill_ms: round3(t.prefillMs),
    decode_ms: round3(t.decodeMs),
    correct: null,
  };
}

/** Running sums over the measured inferences: counts, tokens and per-inference rates. */
export class RateTally {
  recorded = 0;
  private prefillRate = 0;
  private decodeRate = 0;
  private decodeN = 0;
  private promptSum = 0;
  private genSum = 0;

  add(t: InferenceTiming): void {
    this.recorded++;
    this.promptSum += t.promptTokens;
    this.genSum += t.genTokens;
    this.prefillRate += t.promptTokens / msToS(t.prefillMs);
    if (t.genTokens > 0 && t.decodeMs > 0) {
      this.decodeRate += t.genTokens / msToS(t.decodeMs);
      this.decodeN++;
    }
  }

  /** Mean over inferences of prompt tokens / prefill time (null before the first). */
  meanPrefillTokensPerS(): number | null {
    return this.recorded > 0 ? this.prefillRate / this.recorded : null;
  }

  /** Mean over inferences that decoded of generated tokens / decode time. */
  meanDecodeTokensPerS(): number | null {
    return this.decodeN > 0 ? this.decodeRate / this.decodeN : null;
  }

  meanPromptTokens(): number {
    return this.promptSum / this.recorded;
  }

  meanGenTokens(): number {
    return this.genSum / this.recorded;
  }
}

/** The manifest's closing note: when, how far, with what model and what power source. */
export function finalNotes(
  plan: Pick<RunPlan, "host" | "startedAt" | "sensor" | "model">,
  finishedAt: string,
  status: RunStatus,
  recorded: number,
  planned: number,
): string {
  return (
    `collected by slm-energy collect on ${plan.host}, ${plan.startedAt} – ${finishedAt}; status: ${status}` +
    (status !== "complete" ? ` after ${recorded} of ${planned} inferences` : "") +
    (plan.model.synthetic ? "; model: synthetic weights (real compute and memory traffic, meaningless text)" : "") +
    (plan.sensor
      ? `; power: ${plan.sensor.kind} (${plan.sensor.scope})`
      : "; power: not measured (no sensor), timings only")
  );
}

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

export function predictEnergy(
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
