/**
 * `measure`'s run, as stages: plan (sensors, board check, host facts; a missing command or meter
 * fails before any folder exists) → record (bundle folder, samplers, idle window, the command with
 * its output shown live and saved, its windows) → finalize (the closing manifest and run.json,
 * whatever happened). The bundle is written as it goes (`BundleWriter`), so Ctrl-C or a crash
 * still leaves a valid one. The content of each file is built by `measure/measure.ts`.
 */
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { existsSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { nowEpochS } from "../../collect/clock.js";
import { powerSection, sensorNotice } from "../../collect/collect.js";
import type { PowerSensor, SamplerHandle, SensorDetection } from "../../collect/sensors.js";
import { notFoundError } from "../../errors.js";
import { hostFacts, temperatures } from "../../io/host-facts.js";
import { defaultCommandExists, detectPowerSensors } from "../../io/sensors/detect.js";
import { usbMeterSensor } from "../../io/sensors/usb-meter.js";
import {
  checkBoard,
  chooseMeter,
  COMMAND_LOG,
  commandArgs,
  commandRecord,
  isLlamaBench,
  llamaBenchWindows,
  measureManifest,
  measuredRuntime,
  measureNotes,
  predictWindows,
  usbMeterPath,
  type BoardCheck,
  type MeasureOptions,
  type MeasureStatus,
} from "../../measure/measure.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../../ingest/types.js";
import { createTextWindows, inStartOrder, windowsInStartOrder, type OutputStream } from "../../measure/windows.js";
import type { MachinePredictor } from "../../probe/model-prediction.js";
import { readGgufHeader } from "../../gguf/index.js";
import { assertFreshBundleDir, BundleWriter } from "../collect/bundle-writer.js";
import { gridIntensityRecord } from "../../catalog/grid-intensity.js";
import { OLLAMA_RESPONSES, runOllamaPrompts, type OllamaPlan } from "./ollama.js";

export interface MeasureRunOptions extends MeasureOptions {
  /** Ids of the catalog's boards (the board check matches the device tree against them). */
  catalogIds: readonly string[];
  /** Stops the command (SIGINT to it) when aborted; the bundle is still finalized. */
  signal?: AbortSignal;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  onNotice?: (text: string) => void;
  /**
   * The command's stdin: the terminal's (default; llama-cli and `ollama run` read prompts from it),
   * or none ("ignore": /dev/null, so an interactive command ends after its first answer).
   */
  stdin?: "inherit" | "ignore";
  /** Injected for tests: /proc, /sys and /etc are read under this root (default "/"). */
  root?: string;
  /** Injected for tests; default: this machine's sensors. */
  detect?: () => SensorDetection;
  /** `--ollama MODEL --prompts FILE`: the prompts sent to a local Ollama instead of a command. */
  ollama?: OllamaPlan;
  /**
   * Without a sensor, with `model` a GGUF file: the calibrated model's predictor for the board
   * (given or detected), as `collect` builds it; empty when there is none for it.
   */
  predictorFor?: (device: string) => { predictor?: MachinePredictor; predictorSource?: string };
}

export interface MeasureSummary {
  dir: string;
  status: MeasureStatus;
  exitCode: number | null;
  windows: number;
  sensor: { kind: string; format: string; files: string[]; readings: number } | null;
  board: BoardCheck;
  startS: number | null;
  endS: number | null;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((res) => {
    if (signal?.aborted) return res();
    const t = setTimeout(res, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), res()), { once: true });
  });

/** How long a sampler may take to print its first reading (importing jtop takes a second or two). */
const READY_TIMEOUT_MS = 15_000;

/**
 * Waits until sampler i has written `target(i)` readings, at most `timeoutMs` (then says which
 * did not, and goes on: the bundle says what it holds, ingest judges coverage).
 */
async function untilReadings(
  samplers: readonly SamplerHandle[],
  target: (i: number) => number,
  timeoutMs: number,
  signal?: AbortSignal,
  onNotice?: (text: string) => void,
): Promise<void> {
  const t0 = Date.now();
  const behind = () => samplers.filter((x, i) => x.readings() < target(i)).length;
  while (behind() > 0 && !signal?.aborted) {
    if (Date.now() - t0 > timeoutMs) {
      onNotice?.(`warning: the power sampler wrote no new reading within ${(timeoutMs / 1000).toFixed(1)} s`);
      return;
    }
    await sleep(10, signal);
  }
}

/** The command as the OS will find it, or a not-found error naming where it looked. */
function resolveCommand(command: string): string {
  const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
  if (command.includes("/")) {
    const p = isAbsolute(command) ? command : resolve(command);
    if (isFile(p)) return p;
    throw notFoundError(`command not found: ${command}`, { hint: "check the path after --" });
  }
  const dirs = (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  const hit = dirs.map((d) => join(d, command)).find(isFile);
  if (hit) return hit;
  throw notFoundError(`command not found on PATH: ${command}`, {
    hint: "install it, or give its path after -- (e.g. ./build/bin/llama-bench)",
  });
}

interface Plan {
  sensor: PowerSensor | null;
  detection: SensorDetection;
  board: BoardCheck;
  args: string[];
  host: string;
  startedAt: string;
  manifest: BundleManifestV1;
  run: Record<string, unknown>;
}

function plan(o: MeasureRunOptions): Plan {
  if (!o.ollama) resolveCommand(o.command);
  const root = o.root ?? "/";
  // A USB meter is named by its log: the other sensors are not probed for it.
  const detection: SensorDetection =
    usbMeterPath(o.meter) !== null
      ? { sensors: [], checks: [] }
      : (o.detect ?? (() => detectPowerSensors({ sysRoot: root })))();
  const sensor = chooseMeter(o.meter, detection, usbMeterSensor);
  o.onNotice?.(sensorNotice("auto", sensor, detection));
  const machine = hostFacts({ root, commandExists: defaultCommandExists });
  const board = checkBoard(o.board, (machine.device_tree_model as string | null) ?? null, o.catalogIds);
  if (board.warning) o.onNotice?.(`warning: ${board.warning}`);
  const host = hostname();
  const startedAt = new Date().toISOString();
  const args = commandArgs(o.command, o.args);
  const run: Record<string, unknown> = {
    schema: "slm-energy/measure-run@1",
    status: "running",
    started_at: startedAt,
    finished_at: null,
    command: o.ollama
      ? { argv: null, given: null, start_s: null, end_s: null, exit_code: null }
      : { argv: [o.command, ...args], given: [o.command, ...o.args], start_s: null, end_s: null, exit_code: null },
    ...(o.ollama ? { ollama: ollamaSection(o.ollama) } : {}),
    board: {
      given: board.given,
      detected: board.detected,
      device_tree_model: board.deviceTreeModel,
      warning: board.warning,
    },
    machine,
    temperatures: { before: temperatures(root), after: null },
    settings: {
      meter: o.meter,
      interval_ms: o.intervalMs,
      idle_s: o.idleS,
      model: o.model,
      benchmark: o.benchmark,
      label: o.label,
      grid_intensity: o.grid ? gridIntensityRecord(o.grid) : null,
    },
    power: powerSection(sensor, detection),
    idle_window: null,
    windows: 0,
  };
  return {
    sensor,
    detection,
    board,
    args,
    host,
    startedAt,
    manifest: measureManifest(o, board, sensor, host, startedAt),
    run,
  };
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** The side file stamping each piece of command.log with the stream it came from and when it arrived. */
export const STAMPS_FILE = "command.stamps.tsv";
const STAMPS_HEADER = "offset_bytes\tbytes\tstream\tarrived_s\n";

/** Where a command's output goes as it arrives: shown, saved byte for byte, stamped, and read line by line. */
interface OutputSink {
  show: (stream: OutputStream, text: string) => void;
  onLine: (stream: OutputStream, line: string, arrivedS: number) => void;
}

/** A stream's bytes → command.log (unchanged), a stamp per chunk, and its complete lines (UTF-8) to `sink`. */
function streamReader(w: BundleWriter, stream: OutputStream, sink: OutputSink, offset: { bytes: number }) {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  return {
    data(chunk: Buffer): void {
      const t = nowEpochS();
      w.append(COMMAND_LOG, chunk);
      w.append(STAMPS_FILE, `${offset.bytes}\t${chunk.length}\t${stream}\t${t.toFixed(6)}\n`);
      offset.bytes += chunk.length;
      const text = decoder.write(chunk);
      sink.show(stream, text);
      const lines = (rest + text).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) sink.onLine(stream, l.endsWith("\r") ? l.slice(0, -1) : l, t);
    },
    end(): void {
      rest += decoder.end();
      if (rest !== "") sink.onLine(stream, rest, nowEpochS());
      rest = "";
    },
  };
}

/** Runs the command, its output shown, saved and stamped; resolves with its exit code (128 + n for a signal). */
function runCommand(o: MeasureRunOptions, p: Plan, w: BundleWriter, sink: OutputSink): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(o.command, p.args, { stdio: [o.stdin ?? "inherit", "pipe", "pipe"] });
    const offset = { bytes: 0 };
    const out = streamReader(w, "stdout", sink, offset);
    const err = streamReader(w, "stderr", sink, offset);
    child.stdout.on("data", (chunk: Buffer) => out.data(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.data(chunk));
    const stop = (): void => void child.kill("SIGINT");
    o.signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (e) => rej(e));
    // 'close' waits for the pipes; a grandchild the command left running may hold them open, so the
    // exit counts and the pipes get a moment to drain.
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (done) return;
      done = true;
      o.signal?.removeEventListener("abort", stop);
      out.end();
      err.end();
      res(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 1) : 1));
    };
    child.on("close", finish);
    child.on("exit", (code, signal) => void setTimeout(() => finish(code, signal), 500).unref());
  });
}

/**
 * The command's windows as its output arrives: llama-bench's JSONL tests (stdout), else the
 * llama.cpp timing blocks and `ollama run --verbose` figures on either stream.
 */
function windowReader(o: MeasureRunOptions, w: BundleWriter) {
  const records: CollectorRecordV1[] = [];
  const bench = isLlamaBench(o.command);
  const text = createTextWindows();
  const keep = (recs: CollectorRecordV1[]): void => {
    for (const r of recs) w.appendRecord(r);
    records.push(...recs);
  };
  return {
    records,
    text,
    source: (): string =>
      bench && records.length > 0
        ? "llama-bench-jsonl"
        : text.formats.length > 0
          ? text.formats.join("+")
          : "whole-command",
    onLine(stream: OutputStream, line: string, arrivedS: number): void {
      if (bench) {
        if (stream === "stdout") keep(llamaBenchWindows(line, arrivedS, records.length) ?? []);
      } else keep(text.push(stream, line, arrivedS));
    },
    end(): void {
      if (!bench) keep(text.end());
    },
  };
}

/** run.json's account of an Ollama run, before the requests. */
const ollamaSection = (plan: OllamaPlan): Record<string, unknown> => ({
  model: plan.model,
  url: plan.url.origin,
  prompts_file: plan.promptsFile,
  prompts: plan.prompts.length,
  responses_file: OLLAMA_RESPONSES,
  answered: 0,
  requests: [],
});

/**
 * The prompts sent to Ollama, each answer a window (and its model load, in run.json); a line per
 * answer on stdout and in command.log. Resolves with 0 when every prompt was answered, 130 when
 * interrupted; a failed request throws (the bundle is still closed, status failed).
 */
async function runOllama(
  o: MeasureRunOptions,
  plan: OllamaPlan,
  p: Plan,
  w: BundleWriter,
  add: (recs: readonly CollectorRecordV1[]) => void,
): Promise<number> {
  const section = p.run.ollama as { answered: number; requests: unknown[] };
  w.append(OLLAMA_RESPONSES, "");
  const answered = await runOllamaPrompts(
    plan,
    {
      onResponse: (line) => w.append(OLLAMA_RESPONSES, line),
      onWindows: ({ record: r, load }, item) => {
        add([r]);
        section.answered++;
        section.requests.push({ line: item.line, item_id: r.item_id, load_window: load });
        const loadText = load ? `, load ${(load.end_s - load.start_s).toFixed(3)} s` : "";
        const text =
          `[${section.answered}/${plan.prompts.length}] ${r.item_id}: ${r.prompt_tokens} prompt + ` +
          `${r.gen_tokens} generated tokens, prefill ${(r.prefill_ms / 1000).toFixed(3)} s, ` +
          `decode ${(r.decode_ms / 1000).toFixed(3)} s${loadText}\n`;
        o.onStdout?.(text);
        w.append(COMMAND_LOG, text);
      },
    },
    o.signal,
  );
  return answered === plan.prompts.length ? 0 : 130;
}

/** The labelled prediction per workload, or null when nothing to predict from (no predictor, GGUF or tokens). */
function predicted(o: MeasureRunOptions, device: string, records: readonly CollectorRecordV1[]): unknown {
  if (!o.predictorFor || o.model === null || !o.model.endsWith(".gguf") || !existsSync(o.model)) return null;
  if (!records.some((r) => r.prompt_tokens + r.gen_tokens > 0)) return null;
  try {
    const { predictor, predictorSource } = o.predictorFor(device);
    if (!predictor) return null;
    const found = predictWindows(predictor, readGgufHeader(resolve(o.model)), records, predictorSource ?? device);
    return found.length > 0 ? found : null;
  } catch (e) {
    return { error: `no prediction: ${(e as Error).message}` };
  }
}

/** `--idle-s` seconds of idle, kept as the manifest's idle window unless cut short (Ctrl-C). */
async function recordIdle(o: MeasureRunOptions, p: Plan): Promise<void> {
  const idleStart = nowEpochS();
  await sleep(o.idleS * 1000, o.signal);
  const idleEnd = nowEpochS();
  if (idleEnd - idleStart > 0.5 * o.idleS) {
    p.manifest.files.idle = { start_s: idleStart, end_s: idleEnd };
    p.run.idle_window = { start_s: idleStart, end_s: idleEnd };
  }
}

/** The measured work: the prompts sent to Ollama, else the wrapped command; resolves with its exit code. */
async function runWorkload(
  o: MeasureRunOptions,
  p: Plan,
  w: BundleWriter,
  reader: ReturnType<typeof windowReader>,
): Promise<number> {
  if (o.ollama) {
    const add = (recs: readonly CollectorRecordV1[]): void => {
      for (const r of recs) w.appendRecord(r);
      reader.records.push(...recs);
    };
    return runOllama(o, o.ollama, p, w, add);
  }
  const show = (stream: OutputStream, t: string): void =>
    void (stream === "stdout" ? o.onStdout?.(t) : o.onStderr?.(t));
  const code = await runCommand(o, p, w, { show, onLine: (st, l, t) => reader.onLine(st, l, t) });
  reader.end();
  return code;
}

/** Measure a command: idle, sampler, the command, its windows; the bundle is finalized whatever happens. */
export async function measureRun(o: MeasureRunOptions): Promise<MeasureSummary> {
  const p = plan(o);
  const dir = resolve(o.outDir);
  assertFreshBundleDir(dir);
  const w = BundleWriter.create(dir, p.manifest, p.run);
  w.append(COMMAND_LOG, ""); // the command's log exists even when it prints nothing
  w.append(STAMPS_FILE, STAMPS_HEADER);
  const samplers: SamplerHandle[] = [];
  let status: MeasureStatus = "running";
  let exitCode: number | null = null;
  let windows = 0;
  const reader = windowReader(o, w);
  const records = reader.records;
  let startS: number | null = null;
  let endS: number | null = null;
  try {
    if (p.sensor)
      for (const ch of p.sensor.channels) samplers.push(ch.start((t) => w.append(ch.fileName, t), o.intervalMs));
    // A sampler that is a program (tegrastats, nvidia-smi, jtop's Python) prints its first reading
    // only once started: the idle window and the command begin after it, or the log would not
    // cover their start.
    await untilReadings(samplers, () => 1, READY_TIMEOUT_MS, o.signal, o.onNotice);
    if (p.sensor && o.idleS > 0) await recordIdle(o, p);
    startS = nowEpochS();
    if (!o.signal?.aborted) exitCode = await runWorkload(o, p, w, reader);
    endS = nowEpochS();
    windows = records.length;
    if (!inStartOrder(records)) w.rewriteRecords(windowsInStartOrder(records));
    // Two more intervals of readings, so the power log covers the command's last window to its end.
    if (p.sensor) {
      const after = samplers.map((x) => x.readings() + 2);
      await sleep(2 * o.intervalMs);
      await untilReadings(samplers, (i) => after[i]!, Math.max(2000, 20 * o.intervalMs), undefined, o.onNotice);
    }
    if (windows === 0) {
      w.appendRecord(commandRecord(startS, endS));
      windows = 1;
    }
    status = o.signal?.aborted ? "interrupted" : exitCode === 0 ? "complete" : "failed";
  } catch (e) {
    status = "failed";
    throw e;
  } finally {
    await Promise.all(samplers.map((s) => s.stop()));
    const finishedAt = new Date().toISOString();
    const readings = samplers.reduce((a, s) => a + s.readings(), 0);
    p.manifest.runtime = measuredRuntime(p.manifest.runtime, reader.text.formats);
    p.manifest.notes = measureNotes(p.host, p.startedAt, finishedAt, status, exitCode, p.sensor);
    Object.assign(p.run, {
      status,
      finished_at: finishedAt,
      windows,
      window_source: o.ollama ? "ollama-api" : reader.source(),
      window_notes: reader.text.notes,
    });
    p.run.command = { ...(p.run.command as object), start_s: startS, end_s: endS, exit_code: exitCode };
    p.run.temperatures = { ...(p.run.temperatures as object), after: temperatures(o.root ?? "/") };
    p.run.power = { ...(p.run.power as object), readings };
    if (!p.sensor) p.run.energy_predicted = predicted(o, p.board.device, records);
    if (!p.sensor && Array.isArray(p.run.energy_predicted) && p.run.energy_predicted.length > 0)
      p.manifest.notes += "; energy PREDICTED by the calibrated model in run.json (energy_predicted), not measured";
    w.writeManifest(p.manifest);
    w.writeRun(p.run);
    w.close();
  }
  const sensor = p.sensor
    ? {
        kind: p.sensor.kind,
        format: p.sensor.format,
        files: p.sensor.channels.map((c) => c.fileName),
        readings: samplers.reduce((a, s) => a + s.readings(), 0),
      }
    : null;
  return { dir, status, exitCode, windows, sensor, board: p.board, startS, endS };
}
