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
  type BoardCheck,
  type MeasureOptions,
  type MeasureStatus,
} from "../../measure/measure.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../../ingest/types.js";
import { createTextWindows, inStartOrder, windowsInStartOrder, type OutputStream } from "../../measure/windows.js";
import type { MachinePredictor } from "../../probe/model-prediction.js";
import { readGgufHeader } from "../../gguf/index.js";
import { assertFreshBundleDir, BundleWriter } from "../collect/bundle-writer.js";

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
  resolveCommand(o.command);
  const root = o.root ?? "/";
  const detection = (o.detect ?? (() => detectPowerSensors({ sysRoot: root })))();
  const sensor = chooseMeter(o.meter, detection);
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
    command: { argv: [o.command, ...args], given: [o.command, ...o.args], start_s: null, end_s: null, exit_code: null },
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

/** The longest wait for a sampler's first reading (a tegrastats process starting on a busy board). */
const FIRST_READING_MAX_MS = 5000;

/**
 * Wait until every sampler has written a reading, so the power log covers the idle window and the
 * command from their first instant (a sampler process takes a moment to print its first line).
 */
async function firstReadings(samplers: readonly SamplerHandle[], signal?: AbortSignal): Promise<void> {
  const until = Date.now() + FIRST_READING_MAX_MS;
  while (!signal?.aborted && Date.now() < until && samplers.some((s) => s.readings() === 0)) await sleep(10, signal);
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
    await firstReadings(samplers, o.signal);
    if (p.sensor && o.idleS > 0) {
      const idleStart = nowEpochS();
      await sleep(o.idleS * 1000, o.signal);
      const idleEnd = nowEpochS();
      if (idleEnd - idleStart > 0.5 * o.idleS) {
        p.manifest.files.idle = { start_s: idleStart, end_s: idleEnd };
        p.run.idle_window = { start_s: idleStart, end_s: idleEnd };
      }
    }
    startS = nowEpochS();
    if (!o.signal?.aborted) {
      const show = (stream: OutputStream, t: string): void =>
        void (stream === "stdout" ? o.onStdout?.(t) : o.onStderr?.(t));
      exitCode = await runCommand(o, p, w, { show, onLine: (st, l, t) => reader.onLine(st, l, t) });
      reader.end();
    }
    endS = nowEpochS();
    windows = records.length;
    if (!inStartOrder(records)) w.rewriteRecords(windowsInStartOrder(records));
    // Two more intervals of readings, so the power log covers the command's last window to its end.
    if (p.sensor) await sleep(2 * o.intervalMs);
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
      window_source: reader.source(),
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
