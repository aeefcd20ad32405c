/**
 * The collector's run, as stages: plan (read the model's header, detect the sensors, build the
 * first manifest and run.json) → open the engine (before the bundle exists: a model llama.cpp
 * refuses leaves no folder) → record (bundle folder, samplers, idle window, warm-up, measured
 * inferences) → finalize (the closing manifest and run.json, whatever happened). The content of
 * each file is built by the pure functions of `collect/collect.ts`.
 */
import { machineIdentity } from "../../io/host-facts.js";
import { hostname, totalmem } from "node:os";
import { basename, resolve } from "node:path";
import {
  bundleManifest,
  checkCollectOptions,
  chooseSensor,
  finalNotes,
  inferenceRecord,
  predictEnergy,
  RateTally,
  runModel,
  runRecord,
  sensorNotice,
  type CollectOptions,
  type CollectSummary,
  type PredictedEnergy,
  type RunPlan,
  type RunStatus,
} from "../../collect/collect.js";
import { nowEpochS } from "../../collect/clock.js";
import type { InferenceEngine } from "../../collect/engine.js";
import type { SamplerHandle } from "../../collect/sensors.js";
import { readGgufHeader, tokenTraffic } from "../../gguf/index.js";
import { detectPowerSensors } from "../../io/sensors/detect.js";
import { assertFreshBundleDir, BundleWriter } from "./bundle-writer.js";

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
  return machineIdentity(totalmem());
}

/** Stage 1: what the run will write before the first inference, and the notice saying how power is measured. */
function planRun(o: CollectOptions): RunPlan {
  checkCollectOptions(o);
  const modelPath = resolve(o.modelPath);
  const header = readGgufHeader(modelPath);
  const model = runModel(modelPath, basename(modelPath), header, tokenTraffic(header));
  const detection = (o.detect ?? (() => detectPowerSensors()))();
  const sensor = chooseSensor(o.sensor, detection);
  (o.onNotice ?? (() => undefined))(sensorNotice(o.sensor, sensor, detection));
  const host = hostname();
  const startedAt = new Date().toISOString();
  return {
    model,
    detection,
    sensor,
    powerFiles: sensor ? sensor.channels.map((c) => c.fileName) : [],
    startedAt,
    host,
    manifest: bundleManifest(o, model, sensor, host, startedAt),
    run: runRecord(o, model, sensor, detection, machineInfo(), startedAt),
  };
}

/** What the recording stage leaves for the final one. */
interface RunState {
  writer: BundleWriter | null;
  samplers: SamplerHandle[];
  status: RunStatus;
  tally: RateTally;
  energyPredicted: PredictedEnergy | null;
}

const readings = (s: RunState): number => s.samplers.reduce((a, x) => a + x.readings(), 0);

/** The idle baseline: sample with the model loaded and nothing running; kept if it lasted over half its length. */
async function idleWindow(o: CollectOptions, plan: RunPlan): Promise<void> {
  const idleStart = nowEpochS();
  await sleep(o.idleS * 1000, o.signal);
  const idleEnd = nowEpochS();
  if (idleEnd - idleStart > 0.5 * o.idleS) {
    plan.manifest.files.idle = { start_s: idleStart, end_s: idleEnd };
    plan.run.idle_window = { start_s: idleStart, end_s: idleEnd };
  }
}

/** Stage 3: the bundle folder, the samplers, the idle window, warm-up and the measured inferences. */
async function record(o: CollectOptions, plan: RunPlan, engine: InferenceEngine, state: RunState): Promise<void> {
  const tokenized = o.prompts.map((p) => engine.tokenize(p.prompt));
  const longest = Math.max(...tokenized.map((t) => t.length));
  await engine.prepare(longest + o.genTokens + 2);
  const info = engine.info();
  plan.manifest.runtime = info.runtime;
  plan.run.engine = info;
  const w = BundleWriter.create(resolve(o.outDir), plan.manifest, plan.run);
  state.writer = w;
  if (plan.sensor)
    for (const ch of plan.sensor.channels)
      state.samplers.push(ch.start((text) => w.append(ch.fileName, text), o.sampleMs));
  if (plan.sensor && o.idleS > 0) await idleWindow(o, plan);
  for (let i = 0; i < o.warmup && !o.signal?.aborted; i++)
    await engine.infer(tokenized[i % tokenized.length]!, Math.min(o.genTokens, 8));

  o.onProgress?.(0, o.prompts.length, null);
  for (let i = 0; i < o.prompts.length; i++) {
    if (o.signal?.aborted) break;
    const t = await engine.infer(tokenized[i]!, o.genTokens);
    const rec = inferenceRecord(i, o.prompts[i]!.id, t);
    w.appendRecord(rec);
    state.tally.add(t);
    o.onProgress?.(state.tally.recorded, o.prompts.length, rec);
  }
}

/** Stage 4: the closing manifest and run.json (status, counts, readings, rates, a prediction without a sensor). */
function finalize(o: CollectOptions, plan: RunPlan, state: RunState, writer: BundleWriter): void {
  const { manifest, run } = plan;
  const tally = state.tally;
  const recorded = tally.recorded;
  const finishedAt = new Date().toISOString();
  manifest.notes = finalNotes(plan, finishedAt, state.status, recorded, o.prompts.length);
  run.status = state.status;
  run.finished_at = finishedAt;
  run.counts = { planned: o.prompts.length, recorded };
  run.power = { ...(run.power as object), readings: readings(state) };
  if (!plan.sensor && o.predictor && recorded > 0) {
    state.energyPredicted = predictEnergy(
      o.predictor,
      plan.model.header,
      tally.meanPromptTokens(),
      tally.meanGenTokens(),
      recorded,
      o.predictorSource ?? "a device spec",
    );
    run.energy_predicted = state.energyPredicted;
    manifest.notes += "; energy PREDICTED by the calibrated model in run.json (energy_predicted), not measured";
  }
  run.rates = {
    mean_prefill_tokens_per_s: tally.meanPrefillTokensPerS(),
    mean_decode_tokens_per_s: tally.meanDecodeTokensPerS(),
  };
  writer.writeManifest(manifest);
  writer.writeRun(run);
  writer.close();
}

function summary(o: CollectOptions, plan: RunPlan, state: RunState): CollectSummary {
  const { sensor } = plan;
  return {
    dir: resolve(o.outDir),
    status: state.status,
    records: state.tally.recorded,
    planned: o.prompts.length,
    sensor: sensor
      ? { kind: sensor.kind, format: sensor.format, files: plan.powerFiles, readings: readings(state) }
      : null,
    sensorChecks: plan.detection.checks,
    energyMeasured: sensor !== null,
    energyPredicted: state.energyPredicted,
    meanPrefillTokensPerS: state.tally.meanPrefillTokensPerS(),
    meanDecodeTokensPerS: state.tally.meanDecodeTokensPerS(),
    traffic: plan.model.traffic,
  };
}

/** Run the collector: measured inferences of a GGUF model on this machine, written as a run bundle. */
export async function collectRun(o: CollectOptions): Promise<CollectSummary> {
  const plan = planRun(o);
  assertFreshBundleDir(resolve(o.outDir));
  const openEngine = o.openEngine ?? (async (x) => (await import("../../io/llama/engine.js")).openLlamaEngine(x));
  const engine = await openEngine({
    modelPath: plan.model.path,
    ...(o.threads === undefined ? {} : { threads: o.threads }),
  });
  const state: RunState = {
    writer: null,
    samplers: [],
    status: "running",
    tally: new RateTally(),
    energyPredicted: null,
  };
  try {
    await record(o, plan, engine, state);
    state.status = o.signal?.aborted ? "interrupted" : "complete";
  } catch (e) {
    state.status = "failed";
    throw e;
  } finally {
    await Promise.all(state.samplers.map((s) => s.stop()));
    await engine.dispose().catch(() => undefined);
    if (state.writer) finalize(o, plan, state, state.writer);
  }
  return summary(o, plan, state);
}
