/**
 * `measure`: wrap any command (llama-bench, llama-cli, ollama run …) in a power measurement and
 * write a run bundle `slm-energy ingest` reads. This module is the run's content, as pure
 * functions: the meter choice, the board check, the command's inference windows, the manifest and
 * run.json records. The run itself (sensors, child process, bundle on disk) is
 * `pipeline/measure/run.ts`; the sensors and their log formats are the collector's (`collect/`).
 */
import { SlmError, usageError } from "../errors.js";
import { chooseSensor, predictEnergy, type PredictedEnergy } from "../collect/collect.js";
import type { MachinePredictor } from "../probe/model-prediction.js";
import type { PowerSensor, SensorDetection, SensorKind } from "../collect/sensors.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../ingest/types.js";
import { INFERENCE_FILE } from "../collect/collect.js";
import { nsToS } from "../metrics/units.js";
import { gridIntensityRecord, type GridIntensity } from "../catalog/grid-intensity.js";

/** The meters `--meter` names; each maps to the collector's sensor kinds that read it. */
export const METERS = [
  "auto",
  "tegrastats",
  "jtop",
  "ina3221",
  "pmic",
  "rapl",
  "nvidia-smi",
  "usb-meter:PATH",
] as const;

const METER_KINDS: Record<string, SensorKind[]> = {
  tegrastats: ["tegrastats"],
  jtop: ["jtop"],
  ina3221: ["ina3221-hwmon", "ina3221-iio"],
  pmic: ["pmic"],
  rapl: ["rapl"],
  "nvidia-smi": ["nvidia-smi"],
};

/** The log file `--meter usb-meter:PATH` names, or null when the meter is another. */
export function usbMeterPath(meter: string): string | null {
  if (!meter.startsWith("usb-meter")) return null;
  const path = meter.startsWith("usb-meter:") ? meter.slice("usb-meter:".length) : "";
  if (path.trim() === "")
    throw usageError(
      "usb-meter needs the file its logger writes: --meter usb-meter:PATH",
      "start the meter's logger into a file (e.g. python3 fnirsi_logger.py > fnb58.txt), " +
        "then --meter usb-meter:fnb58.txt",
    );
  return path;
}

export const COMMAND_LOG = "command.log";

/**
 * The sensor a `--meter` value names, among those detected: auto takes the first usable one (or
 * none); a named meter that is not here is an error listing every probe and its answer. A USB
 * meter is never probed: `usbMeter` opens the log its PATH names.
 */
export function chooseMeter(
  meter: string,
  detection: SensorDetection,
  usbMeter: (path: string) => PowerSensor = () => {
    throw usageError("usb-meter is not available here");
  },
): PowerSensor | null {
  if (meter === "auto") return chooseSensor("auto", detection);
  const usbPath = usbMeterPath(meter);
  if (usbPath !== null) return usbMeter(usbPath);
  const kinds = METER_KINDS[meter];
  if (kinds === undefined) throw usageError(`unknown meter "${meter}": expected one of ${METERS.join(", ")}`);
  const found = detection.sensors.find((s) => kinds.includes(s.kind));
  if (found) return found;
  const probed = detection.checks.map((c) => `${c.kind}: ${c.reason}`).join("; ");
  throw new SlmError("E_ENV", `meter ${meter} is not on this machine (probed ${probed})`, {
    hint: "use --meter auto to take whatever sensor exists (timings only when none does)",
  });
}

/** Device-tree model strings → catalog board ids (first match wins; more specific patterns first). */
const BOARD_PATTERNS: [RegExp, string][] = [
  [/Raspberry Pi 500/i, "raspberry-pi-500-plus"],
  [/Raspberry Pi 5\b/i, "raspberry-pi-5"],
  [/Raspberry Pi 4\b/i, "raspberry-pi-4"],
  [/Jetson AGX Orin/i, "jetson-agx-orin"],
  [/IGX Orin/i, "igx-orin"],
  [/Jetson Orin NX/i, "jetson-orin-nx"],
  [/Jetson Orin Nano.*Super/i, "jetson-orin-nano-super"],
  [/Jetson Orin Nano/i, "jetson-orin-nano"],
  [/Jetson TX2|quill/i, "jetson-tx2"],
  [/Jetson Nano/i, "jetson-nano"],
];

/** The catalog id a device-tree model string names, when one of `catalogIds` matches; else null. */
export function boardFromDeviceTree(model: string | null, catalogIds: readonly string[]): string | null {
  if (model === null) return null;
  const hit = BOARD_PATTERNS.find(([re]) => re.test(model));
  return hit && catalogIds.includes(hit[1]) ? hit[1] : null;
}

/** The board check: what was asked, what the host is, and a warning when they differ. */
export interface BoardCheck {
  given: string | null;
  detected: string | null;
  /** /proc/device-tree/model as read (null when the host has none). */
  deviceTreeModel: string | null;
  /** The id the bundle carries: the given one, else the detected one, else "local". */
  device: string;
  warning: string | null;
}

export function checkBoard(
  given: string | null,
  deviceTreeModel: string | null,
  catalogIds: readonly string[],
  /** The option that named the board, for the warning (collect says --device). */
  flag = "--board",
): BoardCheck {
  const detected = boardFromDeviceTree(deviceTreeModel, catalogIds);
  const host = deviceTreeModel === null ? "a host without /proc/device-tree/model" : `"${deviceTreeModel}"`;
  const warning =
    given !== null && given !== detected
      ? `${flag} ${given} but this host is ${detected ?? "not a catalog board"} (${host}); ` +
        "both are recorded in run.json"
      : null;
  return { given, detected, deviceTreeModel, device: given ?? detected ?? "local", warning };
}

/** Whether the command is llama-bench (any path to it). */
export const isLlamaBench = (command: string): boolean => /(^|\/)llama-bench(\.exe)?$/.test(command);

/** llama-bench without an output format gets `-o jsonl`, so each test can be placed as it finishes. */
export function commandArgs(command: string, args: readonly string[]): string[] {
  if (!isLlamaBench(command)) return [...args];
  const hasOutput = args.some((a) => a === "-o" || a === "--output" || a.startsWith("--output="));
  return hasOutput ? [...args] : [...args, "-o", "jsonl"];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** The whole command as one window (no tokens known): what ingest integrates when the command reports nothing. */
export function commandRecord(startS: number, endS: number): CollectorRecordV1 {
  return {
    schema: "slm-energy/inference@1",
    index: 0,
    item_id: "command",
    start_s: round6(startS),
    end_s: round6(endS),
    prompt_tokens: 0,
    gen_tokens: 0,
    prefill_ms: 0,
    decode_ms: 0,
    correct: null,
  };
}

const finiteNumbers = (v: unknown): number[] | null =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0)
    ? (v as number[])
    : null;

/**
 * One llama-bench JSONL line (one test with its repetitions) as windows, one per repetition,
 * back to back and ending when the line arrived: llama-bench prints a test when its last
 * repetition ends. A pp test's time is prefill, a tg test's decode (a pg test, both at once, is
 * counted as decode). Null when the line is not a llama-bench test.
 */
export function llamaBenchWindows(line: string, arrivedS: number, firstIndex: number): CollectorRecordV1[] | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const f = v as Record<string, unknown>;
  const nPrompt = f.n_prompt;
  const nGen = f.n_gen;
  if (typeof nPrompt !== "number" || typeof nGen !== "number") return null;
  const samples = finiteNumbers(f.samples_ns) ?? (typeof f.avg_ns === "number" ? [f.avg_ns] : null);
  if (samples === null) return null;
  const totalS = nsToS(samples.reduce((a, x) => a + x, 0));
  let t = arrivedS - totalS;
  return samples.map((ns, i) => {
    const ms = nsToS(ns) * 1000;
    const start = t;
    t += nsToS(ns);
    return {
      schema: "slm-energy/inference@1",
      index: firstIndex + i,
      item_id: `${nGen === 0 ? `pp${nPrompt}` : nPrompt === 0 ? `tg${nGen}` : `pp${nPrompt}+tg${nGen}`}#${i + 1}`,
      start_s: round6(start),
      end_s: round6(t),
      prompt_tokens: nPrompt,
      gen_tokens: nGen,
      prefill_ms: nGen === 0 ? round3(ms) : 0,
      decode_ms: nGen === 0 ? 0 : round3(ms),
      correct: null,
    };
  });
}

export interface MeasureOptions {
  command: string;
  args: string[];
  outDir: string;
  meter: string;
  intervalMs: number;
  idleS: number;
  board: string | null;
  model: string | null;
  benchmark: string | null;
  label: string | null;
  /** The grid intensity to record with the run (`--grid-intensity` / `--region`), or null. */
  grid: GridIntensity | null;
}

/** The manifest as first written: the sensor's format and files, the inference windows' file. */
export function measureManifest(
  o: MeasureOptions,
  board: BoardCheck,
  sensor: PowerSensor | null,
  host: string,
  startedAt: string,
): BundleManifestV1 {
  const runtime = o.command.split("/").pop() ?? o.command;
  return {
    schema: "slm-energy/bundle@1",
    device: board.device,
    backend: "cpu",
    power_mode: null,
    model: o.model ?? "unknown",
    quantization: null,
    runtime,
    benchmark: o.benchmark,
    meter: sensor ? sensor.format : null,
    clock_offset_s: 0,
    files: { inference: [INFERENCE_FILE], ...(sensor ? { power: sensor.channels.map((c) => c.fileName) } : {}) },
    notes: `measured by slm-energy measure on ${host}, started ${startedAt}; status: running`,
    simulated: false,
    ...(o.label === null ? {} : { run_id: o.label }),
    ...(o.grid ? { grid_intensity: gridIntensityRecord(o.grid) } : {}),
  };
}

/** Commands that only start another one (`npx node-llama-cpp …`, `nice llama-cli …`): not the runtime. */
const LAUNCHERS = new Set(["npx", "node", "env", "sh", "bash", "nice", "taskset", "numactl", "sudo", "time"]);

/**
 * The manifest's runtime once the windows are known: a launcher's name gives way to the runtime
 * whose output the windows were read from (llama.cpp timing blocks, ollama's figures).
 */
export function measuredRuntime(runtime: string, windowFormats: readonly string[]): string {
  if (!LAUNCHERS.has(runtime) || windowFormats.length !== 1) return runtime;
  return windowFormats[0] === "llama.cpp" ? "llama.cpp" : windowFormats[0] === "ollama-verbose" ? "ollama" : runtime;
}

export type MeasureStatus = "running" | "complete" | "interrupted" | "failed";

/** The manifest's closing note: when, how it ended, what power source. */
export function measureNotes(
  host: string,
  startedAt: string,
  finishedAt: string,
  status: MeasureStatus,
  exitCode: number | null,
  sensor: PowerSensor | null,
): string {
  return (
    `measured by slm-energy measure on ${host}, ${startedAt} – ${finishedAt}; status: ${status}` +
    (exitCode === null ? "" : `, command exit code ${exitCode}`) +
    (sensor ? `; power: ${sensor.kind} (${sensor.scope})` : "; power: not measured (no sensor), timings only")
  );
}

/**
 * Without a sensor: the calibrated model's prediction for each workload the windows ran (one per
 * distinct prompt/generated token pair, with its count), as `collect` labels it — PREDICTED, not
 * measured. Windows without tokens (a whole command) have nothing to predict from.
 */
export function predictWindows(
  predictor: MachinePredictor,
  header: Parameters<MachinePredictor>[0],
  records: readonly CollectorRecordV1[],
  machine: string,
): PredictedEnergy[] {
  const groups = new Map<string, { p: number; g: number; n: number }>();
  for (const r of records) {
    if (r.prompt_tokens + r.gen_tokens === 0) continue;
    const key = `${r.prompt_tokens}/${r.gen_tokens}`;
    const x = groups.get(key) ?? { p: r.prompt_tokens, g: r.gen_tokens, n: 0 };
    x.n++;
    groups.set(key, x);
  }
  return [...groups.values()].map((x) => predictEnergy(predictor, header, x.p, x.g, x.n, machine));
}
