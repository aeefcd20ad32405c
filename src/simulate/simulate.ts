/**
 * One simulated run, from the request to the bundle's files and its truth: the workload's truth
 * (paper means), the seeded timeline and true power trace, the meter's power log, the runtime's
 * inference log, optional damage, the manifest the ingester reads and `truth.json`.
 */
import { findDevice } from "../catalog/devices.js";
import { loadDeviceCatalog } from "../io/catalog/devices.js";
import { findModel } from "../catalog/models.js";
import { loadModelCatalog } from "../io/catalog/models.js";
import type { DeviceId } from "../domain/ids.js";
import { usageError } from "../errors.js";
import type { BundleManifestV1 } from "../ingest/types.js";
import { loadPaper } from "../paper/load.js";
import type { PaperData } from "../paper/types.js";
import {
  CLOCK_JUMP_S,
  duplicateBlock,
  insertGarbage,
  printedTimeWithJump,
  truncate,
  type DamageKind,
  type DamageRecord,
} from "./damage.js";
import { findMeter, type MeterOutput, type MeterId, type SensorModel } from "./meters/index.js";
import { Rng } from "./random.js";
import {
  findRuntime,
  writeLlamaBench,
  type RuntimeId,
  type RuntimeOutput,
  type TruthRecord,
} from "./runtimes/index.js";
import { buildTimeline, DEFAULT_SCHEDULE, itemJobs, type Job } from "./schedule.js";
import { energyToleranceJ } from "./tolerance.js";
import { modelWorkload } from "./model-workload.js";
import { paperWorkload, type WorkloadTruth } from "./workload.js";

export const TRUTH_FILE = "truth.json";
export const TRUTH_SOURCES = ["model", "paper"] as const;
export type TruthSource = (typeof TRUTH_SOURCES)[number];
export const TRUTH_SCHEMA = "slm-energy/sim-truth@1";
/** Host clock of every simulated run's start: 2025-06-01T12:00:00Z (epoch s). */
export const SIM_EPOCH_S = 1748779200;

export interface SimulateRequest {
  device: string;
  backend: string;
  powerMode?: string | null;
  model: string;
  quantization?: string | null;
  benchmark: string;
  /** Inferences (llama-bench: repetitions per test). */
  inferences?: number;
  meter: string;
  runtime?: string;
  sampleHz?: number;
  seed?: number;
  damage?: DamageKind[];
  /**
   * Where the truth comes from: the calibrated model (default: any power mode and quantization)
   * or the paper's measured means (its cells only; what data/raw uses, as it does not move when
   * the model is recalibrated).
   */
  truth?: TruthSource;
  /** Power-logger clock = host clock − offset; default: seeded, within ±3 s. */
  clockOffsetS?: number;
}

export interface SimulatedFile {
  name: string;
  text: string;
}

export interface TruthInference extends TruthRecord {
  /** Bound of |ingested − true| energy (J) the sensor model explains. */
  energyToleranceJ: number;
}

export interface SimulationTruth {
  schema: typeof TRUTH_SCHEMA;
  simulated: true;
  seed: number;
  request: Required<Omit<SimulateRequest, "clockOffsetS" | "powerMode" | "quantization">> & {
    powerMode: string;
    quantization: string;
  };
  workload: WorkloadTruth;
  meter: { id: MeterId; sensor: SensorModel; notes: string[]; hypothetical: boolean };
  runtime: RuntimeId;
  /** Power-logger clock = host clock − this (s); the manifest's clock_offset_s says the same for its log. */
  loggerClockOffsetS: number;
  idle: { start_s: number; end_s: number; power_w: number };
  inferences: TruthInference[];
  /**
   * Totals over the records; `span_*` from the first record's start to the last one's end, gaps
   * between inferences included (what `runs.csv` calls span_s and span_energy_wh).
   */
  totals: {
    inferences: number;
    latency_s: number;
    energy_j: number;
    energy_net_j: number;
    tokens: number;
    span_s: number;
    span_energy_j: number;
  };
  damage: DamageRecord[];
}

export interface SimulatedRun {
  manifest: BundleManifestV1;
  files: SimulatedFile[];
  truth: SimulationTruth;
}

export interface SimulationSources {
  root: string;
  paper?: PaperData;
}

/** Simulate a run: pure apart from reading the catalogs and the paper from `root`. */
export function simulateRun(req: SimulateRequest, src: SimulationSources): SimulatedRun {
  const seed = req.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0) throw usageError(`--seed ${seed}: a non-negative integer`);
  const meterSpec = findMeter(req.meter);
  const runtimeSpec = findRuntime(req.runtime ?? "llama.cpp");
  const devices = loadDeviceCatalog(src.root);
  const models = loadModelCatalog(src.root);
  const device = findDevice(devices, req.device);
  const model = findModel(models, req.model);
  const paper = src.paper ?? loadPaper(src.root);
  const truthSource = req.truth ?? "model";
  if (!(TRUTH_SOURCES as readonly string[]).includes(truthSource))
    throw usageError(`--truth ${truthSource}: use model or paper`);
  const wreq = {
    device: req.device,
    backend: req.backend,
    powerMode: req.powerMode ?? null,
    model: req.model,
    quantization: req.quantization ?? null,
    benchmark: req.benchmark,
  };
  const workload =
    truthSource === "paper" ? paperWorkload(paper, device, model, wreq) : modelWorkload(src.root, device, model, wreq);
  const n = req.inferences ?? (runtimeSpec.id === "llama-bench" ? 3 : 20);
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw usageError(`--inferences ${n}: a whole number from 1 to 100000`);
  const hz = req.sampleHz ?? meterSpec.defaultHz;
  if (!(hz > 0) || hz > meterSpec.maxHz)
    throw usageError(
      `--sample-hz ${hz}: ${meterSpec.id} samples at up to ${meterSpec.maxHz} Hz`,
      `use a rate in (0, ${meterSpec.maxHz}]`,
    );
  const damage = req.damage ?? [];

  // 1. Jobs and timeline.
  let jobs: Job[];
  let groupStarts: boolean[] | undefined;
  if (runtimeSpec.id === "llama-bench") {
    const rng = new Rng(seed, "bench");
    const tests: Job[] = [
      {
        promptTokens: Math.round(workload.promptTokens),
        genTokens: 0,
        prefillS: workload.prefillS,
        decodeS: 0,
        prefillPowerW: workload.prefillPowerW,
        decodePowerW: workload.decodePowerW,
      },
      {
        promptTokens: 0,
        genTokens: Math.max(16, workload.genTokens),
        prefillS: 0,
        decodeS: (workload.decodeS / Math.max(1, workload.genTokens)) * Math.max(16, workload.genTokens),
        prefillPowerW: workload.prefillPowerW,
        decodePowerW: workload.decodePowerW,
      },
    ];
    jobs = [];
    groupStarts = [];
    for (const t of tests) {
      for (let r = 0; r < n; r++) {
        jobs.push({ ...t, prefillS: t.prefillS * rng.factor(0.01), decodeS: t.decodeS * rng.factor(0.01) });
        groupStarts.push(r === 0);
      }
    }
  } else {
    jobs = itemJobs(workload, n, seed);
  }
  const gapS = runtimeSpec.placed ? 0.2 : DEFAULT_SCHEDULE.gapS;
  const timeline = buildTimeline(jobs, workload.idlePowerW, {
    ...DEFAULT_SCHEDULE,
    seed,
    startS: SIM_EPOCH_S,
    idleLeadS: Math.max(DEFAULT_SCHEDULE.idleLeadS, 1.5 + 3 / hz),
    idleGuardS: 2.5 / hz,
    idleTailS: Math.max(DEFAULT_SCHEDULE.idleTailS, 2 / hz + (meterSpec.id === "nvidia-smi" ? 1 : 0)),
    gapS,
    gapJitter: runtimeSpec.placed ? 0 : DEFAULT_SCHEDULE.gapJitter,
    wanderSdW: DEFAULT_SCHEDULE.wanderSdW * workload.idlePowerW,
    ...(groupStarts ? { groupStarts, groupGapS: 0 } : {}),
  });

  // 2. Inference log.
  const accuracyCell = paper.cells.find(
    (c) =>
      c.device === workload.device &&
      c.backend === workload.backend &&
      c.model === workload.model &&
      c.benchmark === workload.benchmark &&
      c.metric === "accuracy_pct",
  );
  const rctx = {
    jobs: timeline.jobs,
    model: workload.model,
    quantization: workload.quantization,
    benchmark: workload.benchmark,
    accuracy: (accuracyCell?.value ?? 50) / 100,
    rng: new Rng(seed, "runtime"),
    gapS,
  };
  const rt: RuntimeOutput =
    runtimeSpec.id === "llama-bench" ? writeLlamaBench({ ...rctx, repetitions: n }) : runtimeSpec.write(rctx);

  // 3. Power log.
  const clockRng = new Rng(seed, "clock");
  const loggerOffsetS = req.clockOffsetS ?? Math.round(clockRng.between(-3, 3) * 1e6) / 1e6;
  const needsTimes = damage.includes("clock-jump") || damage.includes("duplicate");
  const jumpAt = timeline.startS + (timeline.endS - timeline.startS) / 3 - loggerOffsetS;
  const meter: MeterOutput = meterSpec.write({
    trace: timeline.trace,
    startS: timeline.startS,
    endS: timeline.endS,
    sampleHz: hz,
    device: workload.device as DeviceId,
    rng: new Rng(seed, `meter:${meterSpec.id}`),
    clockOffsetS: loggerOffsetS,
    printedS: damage.includes("clock-jump") ? printedTimeWithJump(jumpAt) : (t) => t,
    allowTimeless: !needsTimes,
  });

  // 4. Damage.
  const damageRng = new Rng(seed, "damage");
  const records: DamageRecord[] = [];
  let powerLines = meter.lines;
  let powerStarts = meter.readingStarts;
  let powerText: string | null = null;
  let inferenceText = rt.text;
  if (damage.includes("clock-jump")) {
    records.push({
      kind: "clock-jump",
      file: meter.fileName,
      lines: [],
      readings: [],
      detail: `logger clock steps back ${CLOCK_JUMP_S} s at host time ${(jumpAt + loggerOffsetS).toFixed(3)}`,
    });
  }
  if (damage.includes("duplicate")) {
    const m = Math.max(2, Math.min(5, Math.floor(powerStarts.length / 10)));
    const d = duplicateBlock({ lines: powerLines, starts: powerStarts }, damageRng, m);
    records.push({
      kind: "duplicate",
      file: meter.fileName,
      lines: d.at,
      readings: d.readings,
      detail: `${m} readings written twice`,
    });
    powerLines = d.lines;
    powerStarts = recomputeStarts(powerLines, powerStarts, d.at);
  }
  if (damage.includes("garbage")) {
    const g = insertGarbage({ lines: powerLines, starts: powerStarts }, damageRng, 5);
    // Earlier damage moves down by the lines inserted above it.
    const shift1 = (xs: number[]) =>
      shiftStarts(
        xs.map((x) => x - 1),
        powerLines,
        g.at,
      ).map((x) => x + 1);
    for (const r of records)
      if (r.file === meter.fileName) Object.assign(r, { lines: shift1(r.lines), readings: shift1(r.readings) });
    records.push({
      kind: "garbage",
      file: meter.fileName,
      lines: g.at,
      readings: g.at,
      detail: `${g.at.length} garbage lines between readings`,
    });
    powerStarts = shiftStarts(powerStarts, powerLines, g.at);
    powerLines = g.lines;
    const il = inferenceText.replace(/\n$/, "").split("\n");
    const k = Math.min(il.length, rt.recordStarts[Math.floor(rt.recordStarts.length / 2)] ?? il.length);
    il.splice(k, 0, 'garbage {"index": oops');
    inferenceText = il.join("\n") + "\n";
    records.push({
      kind: "garbage",
      file: rt.fileName,
      lines: [k + 1],
      readings: [k + 1],
      detail: "one garbage line in the inference log",
    });
  }
  if (damage.includes("truncate")) {
    const t = truncate({ lines: powerLines, starts: powerStarts });
    powerText = t.text;
    // Damage beyond the cut is gone with it.
    for (const r of records)
      if (r.file === meter.fileName)
        Object.assign(r, { lines: r.lines.filter((x) => x < t.at), readings: r.readings.filter((x) => x < t.at) });
    records.push({
      kind: "truncate",
      file: meter.fileName,
      lines: [t.at],
      readings: [t.at],
      detail: `power log cut mid-line at line ${t.at}`,
    });
  }
  if (powerText === null) powerText = powerLines.join("\n") + "\n";

  // 5. Manifest and truth.
  const hypothetical = !meterSpec.realOn.includes(workload.device);
  const meterNotes = [
    ...meter.notes,
    ...(hypothetical
      ? [`${meterSpec.title} does not exist on ${workload.device}: a hypothetical meter on the same true power`]
      : []),
  ];
  const manifest: BundleManifestV1 = {
    schema: "slm-energy/bundle@1",
    device: workload.device,
    backend: workload.backend,
    power_mode: workload.powerMode,
    model: workload.model,
    quantization: workload.quantization,
    runtime: rt.runtimeLabel,
    benchmark: workload.benchmark,
    meter: meter.manifest.meter,
    clock_offset_s: meter.manifest.clock_offset_s,
    ...(meter.manifest.power_interval_ms !== undefined ? { power_interval_ms: meter.manifest.power_interval_ms } : {}),
    files: {
      power: [meter.fileName],
      inference: [rt.fileName],
      idle: { start_s: timeline.idle.startS, end_s: timeline.idle.endS },
    },
    notes:
      `SIMULATED by slm-energy simulate (seed ${seed}), not measured. ${meter.sensor.description}. ` +
      `${meterNotes.join("; ")}${meterNotes.length ? ". " : ""}Truth per inference in ${TRUTH_FILE}.` +
      (damage.length ? ` Damaged on purpose: ${damage.join(", ")}.` : ""),
    simulated: true,
    ...(meter.manifest.power_calibration ? { power_calibration: meter.manifest.power_calibration } : {}),
    ...(rt.manifest.inference_format ? { inference_format: rt.manifest.inference_format } : {}),
    ...(rt.manifest.placement ? { placement: rt.manifest.placement } : {}),
  };
  const spanStartS = Math.min(...rt.records.map((r) => r.startS));
  const spanEndS = Math.max(...rt.records.map((r) => r.endS));
  const inferences: TruthInference[] = rt.records.map((r) => ({
    ...r,
    energyToleranceJ: energyToleranceJ(r, meter.sensor, workload),
  }));
  const truth: SimulationTruth = {
    schema: TRUTH_SCHEMA,
    simulated: true,
    seed,
    request: {
      device: workload.device,
      backend: workload.backend,
      powerMode: workload.powerMode,
      model: workload.model,
      quantization: workload.quantization,
      benchmark: workload.benchmark,
      inferences: n,
      meter: meterSpec.id,
      runtime: runtimeSpec.id,
      sampleHz: hz,
      seed,
      damage,
      truth: truthSource,
    },
    workload,
    meter: { id: meterSpec.id, sensor: meter.sensor, notes: meterNotes, hypothetical },
    runtime: runtimeSpec.id,
    loggerClockOffsetS: loggerOffsetS,
    idle: { start_s: timeline.idle.startS, end_s: timeline.idle.endS, power_w: timeline.idle.powerW },
    inferences,
    totals: {
      inferences: inferences.length,
      latency_s: inferences.reduce((s, r) => s + r.latencyS, 0),
      energy_j: inferences.reduce((s, r) => s + r.energyJ, 0),
      energy_net_j: inferences.reduce((s, r) => s + r.energyNetJ, 0),
      tokens: inferences.reduce((s, r) => s + r.promptTokens + r.genTokens, 0),
      span_s: spanEndS - spanStartS,
      span_energy_j: timeline.trace.energyJ(spanStartS, spanEndS),
    },
    damage: records,
  };
  return {
    manifest,
    files: [
      { name: meter.fileName, text: powerText },
      { name: rt.fileName, text: inferenceText },
    ],
    truth,
  };
}

/** Reading starts after duplicating: the copy's readings start where the originals did, shifted. */
function recomputeStarts(lines: string[], old: number[], inserted: number[]): number[] {
  const at = inserted[0]! - 1;
  const len = inserted.length;
  const before = old.filter((s) => s < at);
  const block = old.filter((s) => s >= at - len && s < at).map((s) => s + len);
  const after = old.filter((s) => s >= at).map((s) => s + len);
  void lines;
  return [...before, ...block, ...after].sort((a, b) => a - b);
}

/** Reading starts after inserting lines at the given 1-based positions of the new file. */
function shiftStarts(old: number[], _lines: string[], insertedAt: number[]): number[] {
  const ins = [...insertedAt].sort((a, b) => a - b).map((x) => x - 1);
  return old.map((s) => {
    let shifted = s;
    for (const i of ins) if (i <= shifted) shifted++;
    return shifted;
  });
}
