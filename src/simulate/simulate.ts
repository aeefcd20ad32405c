/**
 * One simulated run, from the request to the bundle's files and its truth: the workload's truth
 * (paper means), the seeded timeline and true power trace, the meter's power log, the runtime's
 * inference log, optional damage, the manifest the ingester reads and `truth.json`.
 */
import { findDevice } from "../catalog/devices.js";
import { loadDeviceCatalog } from "../io/catalog/devices.js";
import { findModel } from "../catalog/models.js";
import { loadModelCatalog } from "../io/catalog/models.js";
import { requestError } from "./errors.js";
import type { BundleManifestV1 } from "../ingest/types.js";
import { loadPaper } from "../io/paper.js";
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
import { Rng } from "../stats/rng.js";
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

type MeterSpecOf = ReturnType<typeof findMeter>;
type RuntimeSpecOf = ReturnType<typeof findRuntime>;

/** A checked request: what to simulate, with every default filled in. */
interface RunPlan {
  seed: number;
  meterSpec: MeterSpecOf;
  runtimeSpec: RuntimeSpecOf;
  workload: WorkloadTruth;
  truthSource: TruthSource;
  /** Inferences (llama-bench: repetitions per test). */
  n: number;
  hz: number;
  damage: DamageKind[];
}

/** Check the request against the catalogs and the meter, and find the workload's truth. */
function planRun(req: SimulateRequest, src: SimulationSources): { plan: RunPlan; paper: PaperData } {
  const seed = req.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0) throw requestError("seed", seed, "a non-negative integer");
  const meterSpec = findMeter(req.meter);
  const runtimeSpec = findRuntime(req.runtime ?? "llama.cpp");
  const device = findDevice(loadDeviceCatalog(src.root), req.device);
  const model = findModel(loadModelCatalog(src.root), req.model);
  const paper = src.paper ?? loadPaper(src.root);
  const truthSource = req.truth ?? "model";
  if (!(TRUTH_SOURCES as readonly string[]).includes(truthSource))
    throw requestError("truth", truthSource, "use model or paper");
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
    throw requestError("inferences", n, "a whole number from 1 to 100000");
  const hz = req.sampleHz ?? meterSpec.defaultHz;
  if (!(hz > 0) || hz > meterSpec.maxHz)
    throw requestError(
      "sampleHz",
      hz,
      `${meterSpec.id} samples at up to ${meterSpec.maxHz} Hz`,
      `use a rate in (0, ${meterSpec.maxHz}]`,
    );
  return { plan: { seed, meterSpec, runtimeSpec, workload, truthSource, n, hz, damage: req.damage ?? [] }, paper };
}

/** llama-bench's two tests (prefill only, then decode only), each repeated `n` times with 1 % jitter. */
function benchJobs(workload: WorkloadTruth, n: number, seed: number): { jobs: Job[]; groupStarts: boolean[] } {
  const rng = Rng.stream(seed, "bench");
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
  const jobs: Job[] = [];
  const groupStarts: boolean[] = [];
  for (const t of tests) {
    for (let r = 0; r < n; r++) {
      jobs.push({ ...t, prefillS: t.prefillS * rng.factor(0.01), decodeS: t.decodeS * rng.factor(0.01) });
      groupStarts.push(r === 0);
    }
  }
  return { jobs, groupStarts };
}

/** 1. The jobs and the seeded timeline with its true power trace. */
function runTimeline(plan: RunPlan) {
  const { seed, workload, n, hz, meterSpec, runtimeSpec } = plan;
  const bench = runtimeSpec.id === "llama-bench" ? benchJobs(workload, n, seed) : undefined;
  const jobs = bench?.jobs ?? itemJobs(workload, n, seed);
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
    ...(bench ? { groupStarts: bench.groupStarts, groupGapS: 0 } : {}),
  });
  return { timeline, gapS };
}

type Timeline = ReturnType<typeof runTimeline>["timeline"];

/** 2. The runtime's inference log (accuracy from the paper's cell, else 50 %). */
function inferenceLog(plan: RunPlan, paper: PaperData, timeline: Timeline, gapS: number): RuntimeOutput {
  const { workload, runtimeSpec, seed, n } = plan;
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
    rng: Rng.stream(seed, "runtime"),
    gapS,
  };
  return runtimeSpec.id === "llama-bench" ? writeLlamaBench({ ...rctx, repetitions: n }) : runtimeSpec.write(rctx);
}

/** 3. The meter's power log, on a logger clock offset from the host's (seeded within ±3 s by default). */
function powerLog(plan: RunPlan, timeline: Timeline, clockOffsetS: number | undefined) {
  const { seed, damage, meterSpec, hz, workload } = plan;
  const clockRng = Rng.stream(seed, "clock");
  const loggerOffsetS = clockOffsetS ?? Math.round(clockRng.between(-3, 3) * 1e6) / 1e6;
  const needsTimes = damage.includes("clock-jump") || damage.includes("duplicate");
  const jumpAt = timeline.startS + (timeline.endS - timeline.startS) / 3 - loggerOffsetS;
  const meter: MeterOutput = meterSpec.write({
    trace: timeline.trace,
    startS: timeline.startS,
    endS: timeline.endS,
    sampleHz: hz,
    device: workload.device,
    rng: Rng.stream(seed, `meter:${meterSpec.id}`),
    clockOffsetS: loggerOffsetS,
    printedS: damage.includes("clock-jump") ? printedTimeWithJump(jumpAt) : (t) => t,
    allowTimeless: !needsTimes,
  });
  return { meter, loggerOffsetS, jumpAt };
}

/** The logs as damage rewrites them, and what it did. */
interface Damaged {
  powerLines: string[];
  powerStarts: number[];
  powerText: string | null;
  inferenceText: string;
  records: DamageRecord[];
}

/** Duplicated readings: a block of readings written twice. */
function duplicateReadings(d: Damaged, file: string, rng: Rng): void {
  const m = Math.max(2, Math.min(5, Math.floor(d.powerStarts.length / 10)));
  const dup = duplicateBlock({ lines: d.powerLines, starts: d.powerStarts }, rng, m);
  d.records.push({
    kind: "duplicate",
    file,
    lines: dup.at,
    readings: dup.readings,
    detail: `${m} readings written twice`,
  });
  d.powerLines = dup.lines;
  d.powerStarts = recomputeStarts(d.powerLines, d.powerStarts, dup.at);
}

/** Garbage lines between the power readings, and one in the inference log. */
function insertGarbageLines(d: Damaged, file: string, rt: RuntimeOutput, rng: Rng): void {
  const g = insertGarbage({ lines: d.powerLines, starts: d.powerStarts }, rng, 5);
  // Earlier damage moves down by the lines inserted above it.
  const shift1 = (xs: number[]) =>
    shiftStarts(
      xs.map((x) => x - 1),
      d.powerLines,
      g.at,
    ).map((x) => x + 1);
  for (const r of d.records)
    if (r.file === file) Object.assign(r, { lines: shift1(r.lines), readings: shift1(r.readings) });
  const detail = `${g.at.length} garbage lines between readings`;
  d.records.push({ kind: "garbage", file, lines: g.at, readings: g.at, detail });
  d.powerStarts = shiftStarts(d.powerStarts, d.powerLines, g.at);
  d.powerLines = g.lines;
  const il = d.inferenceText.replace(/\n$/, "").split("\n");
  const k = Math.min(il.length, rt.recordStarts[Math.floor(rt.recordStarts.length / 2)] ?? il.length);
  il.splice(k, 0, 'garbage {"index": oops');
  d.inferenceText = il.join("\n") + "\n";
  const inf = { kind: "garbage" as const, file: rt.fileName, lines: [k + 1], readings: [k + 1] };
  d.records.push({ ...inf, detail: "one garbage line in the inference log" });
}

/** The power log cut mid-line; damage beyond the cut is gone with it. */
function truncateLog(d: Damaged, file: string): void {
  const t = truncate({ lines: d.powerLines, starts: d.powerStarts });
  d.powerText = t.text;
  for (const r of d.records)
    if (r.file === file)
      Object.assign(r, { lines: r.lines.filter((x) => x < t.at), readings: r.readings.filter((x) => x < t.at) });
  const detail = `power log cut mid-line at line ${t.at}`;
  d.records.push({ kind: "truncate", file, lines: [t.at], readings: [t.at], detail });
}

/** 4. Damage on purpose, in a fixed order: clock jump, duplicate, garbage, truncate. */
function applyDamage(plan: RunPlan, meter: MeterOutput, rt: RuntimeOutput, hostJumpS: number) {
  const { damage, seed } = plan;
  const damageRng = Rng.stream(seed, "damage");
  const d: Damaged = {
    powerLines: meter.lines,
    powerStarts: meter.readingStarts,
    powerText: null,
    inferenceText: rt.text,
    records: [],
  };
  if (damage.includes("clock-jump")) {
    d.records.push({
      kind: "clock-jump",
      file: meter.fileName,
      lines: [],
      readings: [],
      detail: `logger clock steps back ${CLOCK_JUMP_S} s at host time ${hostJumpS.toFixed(3)}`,
    });
  }
  if (damage.includes("duplicate")) duplicateReadings(d, meter.fileName, damageRng);
  if (damage.includes("garbage")) insertGarbageLines(d, meter.fileName, rt, damageRng);
  if (damage.includes("truncate")) truncateLog(d, meter.fileName);
  return {
    powerText: d.powerText ?? d.powerLines.join("\n") + "\n",
    inferenceText: d.inferenceText,
    records: d.records,
  };
}

/** 5a. The manifest the ingester reads, and the meter's notes. */
function bundleManifest(plan: RunPlan, meter: MeterOutput, rt: RuntimeOutput, timeline: Timeline) {
  const { workload, meterSpec, seed, damage } = plan;
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
  return { manifest, meterNotes, hypothetical };
}

/** 5b. truth.json: the request, the workload, each inference's true energy with its bound, the totals. */
function runTruth(
  plan: RunPlan,
  parts: { meter: MeterOutput; rt: RuntimeOutput; timeline: Timeline; loggerOffsetS: number; records: DamageRecord[] },
  meterInfo: { meterNotes: string[]; hypothetical: boolean },
): SimulationTruth {
  const { workload, meterSpec, runtimeSpec, seed, n, hz, damage, truthSource } = plan;
  const { meter, rt, timeline } = parts;
  const spanStartS = Math.min(...rt.records.map((r) => r.startS));
  const spanEndS = Math.max(...rt.records.map((r) => r.endS));
  const inferences: TruthInference[] = rt.records.map((r) => ({
    ...r,
    energyToleranceJ: energyToleranceJ(r, meter.sensor, workload),
  }));
  const { device, backend, powerMode, model, quantization, benchmark } = workload;
  return {
    schema: TRUTH_SCHEMA,
    simulated: true,
    seed,
    request: {
      ...{ device, backend, powerMode, model, quantization, benchmark },
      ...{
        inferences: n,
        meter: meterSpec.id,
        runtime: runtimeSpec.id,
        sampleHz: hz,
        seed,
        damage,
        truth: truthSource,
      },
    },
    workload,
    meter: {
      id: meterSpec.id,
      sensor: meter.sensor,
      notes: meterInfo.meterNotes,
      hypothetical: meterInfo.hypothetical,
    },
    runtime: runtimeSpec.id,
    loggerClockOffsetS: parts.loggerOffsetS,
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
    damage: parts.records,
  };
}

/** Simulate a run: pure apart from reading the catalogs and the paper from `root`. */
export function simulateRun(req: SimulateRequest, src: SimulationSources): SimulatedRun {
  const { plan, paper } = planRun(req, src);
  const { timeline, gapS } = runTimeline(plan);
  const rt = inferenceLog(plan, paper, timeline, gapS);
  const { meter, loggerOffsetS, jumpAt } = powerLog(plan, timeline, req.clockOffsetS);
  const { powerText, inferenceText, records } = applyDamage(plan, meter, rt, jumpAt + loggerOffsetS);
  const { manifest, ...meterInfo } = bundleManifest(plan, meter, rt, timeline);
  const truth = runTruth(plan, { meter, rt, timeline, loggerOffsetS, records }, meterInfo);
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
