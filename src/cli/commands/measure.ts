import type { Command, CommandContext } from "../command.js";
import { optNumber, optPath, optString } from "../command.js";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { notFoundError, usageError } from "../../errors.js";
import { parsePromptsJsonl } from "../../collect/prompts.js";
import { ollamaBaseUrl } from "../../measure/ollama.js";
import type { OllamaPlan } from "../../pipeline/measure/ollama.js";
import { GRID_OPTIONS, gridIntensityOption } from "../grid.js";
import { loadDeviceCatalog } from "../../io/catalog/devices.js";
import { METERS } from "../../measure/measure.js";
import { predictorOf } from "./collect.js";
import { measureRun, type MeasureSummary } from "../../pipeline/measure/run.js";

const usage = `Usage: slm-energy measure [--meter ${METERS.join("|")}]
                          [--interval-ms N] [--idle-s S] [--board ID] [--model M]
                          [--benchmark B] [--label L] [--grid-intensity G | --region CODE]
                          --out DIR -- COMMAND [ARGS…]
       slm-energy measure [options] --ollama MODEL --prompts FILE.jsonl [--ollama-url URL] --out DIR

Runs COMMAND (llama-bench, llama-cli, ollama run, anything) while sampling this machine's power
sensor, and writes a run bundle that \`slm-energy ingest DIR\` reads:
  manifest.json     the bundle manifest (sensor format, power files, idle window)
  inference.jsonl   the windows (slm-energy/inference@1): one per llama-bench test repetition
                    when COMMAND is llama-bench; one per inference for each llama.cpp timing
                    block (llama-cli, llama-server, llama_print_timings) or \`ollama run
                    --verbose\` figure block it prints; else the whole command as one window
  power-*.csv|log   the sensor's own log format, as \`ingest\` reads it from any recording
  command.log       COMMAND's stdout and stderr, byte for byte as printed (also shown live)
  command.stamps.tsv  when each piece of command.log arrived: offset_bytes, bytes, stream,
                    arrived_s (epoch s)
  run.json          the command line, its start/end (epoch s) and exit code, the board check,
                    host facts (device-tree model, L4T release, nvpmodel mode, CPU governors and
                    clocks, RAM), thermal-zone temperatures before and after, sensor probes

First S seconds of idle are sampled for the baseline (when a sensor exists). llama-bench without
-o gets \`-o jsonl\`: each test line is placed as a window ending when the line arrived. A timing
block becomes a window ending when the block arrived and starting its prompt eval + eval
durations earlier (prefill, then decode); run.json says where the windows came from
("window_source") and what the readers set aside ("window_notes").
With --ollama (no COMMAND), each prompt of FILE.jsonl ({"id": …, "prompt": "…"} a line) goes to
the local Ollama's /api/generate (stream false), one after another; each answer is a window:
decode (eval_duration) ending when the answer arrived, prefill (prompt_eval_duration) before it,
with eval_count / prompt_eval_count tokens; a model load (load_duration) before prefill is kept
apart in run.json. The answers are saved as received in ollama-responses.jsonl.
Without a sensor the bundle holds timings only and says so: energy is NOT measured. Then, with
--model a GGUF file and a catalog board (--board or detected), run.json's "energy_predicted" holds
the calibrated model's prediction per llama-bench workload, labelled PREDICTED, as \`collect\` does.

Options:
  --meter M          auto (default: the first sensor found, probing rapl, ina3221 (hwmon, iio),
                     tegrastats, jtop, pmic, nvidia-smi; none → timings only, each probe's
                     answer printed), or one of them; a named meter that is not here is an
                     error listing what was probed:
                       tegrastats   tegrastats --interval N, lines stamped with epoch s
                       jtop         jetson-stats' Python API, logged as its jtop_logger.py
                                    (CSV: time, …, Power TOT)
                       ina3221      the Jetson INA3221 input rail in /sys (hwmon or iio)
                       pmic         vcgencmd pmic_read_adc (Raspberry Pi 5)
                       rapl         /sys/class/powercap energy counters (CPU package)
                       nvidia-smi   nvidia-smi --query-gpu=index,timestamp,…,power.draw
                                    --format=csv -lms N, every GPU (summed by ingest)
                       usb-meter:PATH  a USB meter's log that its logger appends to (e.g.
                                    python3 fnirsi_logger.py > PATH, started first): its header
                                    and the lines appended during the run are copied; the
                                    logger must stamp lines with epoch s or ISO date-times
  --interval-ms N    sampling interval (default 100; 500 for pmic)
  --idle-s S         idle seconds before the command (default 5; 0 skips)
  --board ID         the catalog board this is (default: detected from /proc/device-tree/model);
                     one the host is not gives a warning and both go to run.json
  --model M          model name for the manifest
  --benchmark B      benchmark name for the manifest
  --label L          run id (default: the bundle folder's name)
  --grid-intensity G grid carbon intensity (gCO2e/kWh), recorded in the manifest: \`ingest\`
                     then adds CO2e columns without the flag (an ingest flag still wins)
  --region CODE      or a region of data/catalog/grid-intensity.json (DEU, US-CA…), recorded
                     with its year and source
  --ollama MODEL     send --prompts to the local Ollama instead of running a COMMAND
  --prompts FILE     JSONL prompts for --ollama (a bad line is an error naming it)
  --ollama-url URL   the Ollama to use: 127.0.0.1 only (default http://127.0.0.1:11434)
  --out DIR          the bundle folder (new or empty)

Ctrl-C stops COMMAND (SIGINT) and still leaves a valid bundle (status "interrupted").
Exit code: COMMAND's own; 2 for bad usage or a missing command.`;

function summaryText(s: MeasureSummary): string {
  const span = s.startS !== null && s.endS !== null ? `${(s.endS - s.startS).toFixed(2)} s` : "-";
  const energy = s.sensor
    ? `measured by ${s.sensor.kind} (${s.sensor.readings} readings in ${s.sensor.files.join(", ")})`
    : "NOT measured (no sensor): timings only";
  return (
    `${s.status}: command exit code ${s.exitCode ?? "-"}, ${span}, ${s.windows} window(s) → ${s.dir}\n` +
    `  board: ${s.board.device}${s.board.deviceTreeModel ? ` (${s.board.deviceTreeModel})` : ""}\n` +
    `  energy: ${energy}\n` +
    `  next: slm-energy ingest ${s.dir}\n`
  );
}

/** The --ollama run asked for, checked (prompt file read, address allowed), or null without --ollama. */
function ollamaPlan(ctx: CommandContext): OllamaPlan | null {
  const model = optString(ctx, "ollama");
  const promptsFile = optString(ctx, "prompts");
  const url = optString(ctx, "ollama-url");
  if (model === undefined) {
    if (promptsFile !== undefined || url !== undefined)
      throw usageError(
        "--prompts and --ollama-url go with --ollama MODEL",
        "slm-energy measure --ollama MODEL --prompts FILE.jsonl --out DIR",
      );
    return null;
  }
  if (model.trim() === "") throw usageError("--ollama needs a model name (as `ollama list` shows it)");
  if (ctx.positionals.length > 0)
    throw usageError(
      "--ollama sends prompts itself: give no COMMAND after --",
      "drop the -- COMMAND, or drop --ollama",
    );
  if (promptsFile === undefined)
    throw usageError("--ollama needs --prompts FILE.jsonl", 'one prompt a line: {"id": "q1", "prompt": "…"}');
  const path = resolve(promptsFile);
  if (!existsSync(path))
    throw notFoundError(`prompt file not found: ${promptsFile}`, { hint: "check the path after --prompts" });
  const prompts = parsePromptsJsonl(readFileSync(path, "utf8"), promptsFile);
  return { model, url: ollamaBaseUrl(url ?? null), prompts, promptsFile };
}

/** Ctrl-C once: stop the command and close the bundle; twice: quit now. */
function onInterrupt(ctx: CommandContext, controller: AbortController): () => void {
  let n = 0;
  return () => {
    if (++n > 1) process.exit(130);
    ctx.stderr("\ninterrupted: stopping the command and closing the bundle (Ctrl-C again to quit now)\n");
    controller.abort();
  };
}

export const measureCommand: Command = {
  name: "measure",
  summary: "run any command (llama-bench, llama-cli …) while sampling power, and write a run bundle",
  usage,
  allowPositionals: true,
  options: {
    meter: { type: "string" },
    "interval-ms": { type: "string" },
    "idle-s": { type: "string" },
    board: { type: "string" },
    model: { type: "string" },
    benchmark: { type: "string" },
    label: { type: "string" },
    out: { type: "string" },
    ollama: { type: "string" },
    prompts: { type: "string" },
    "ollama-url": { type: "string" },
    ...GRID_OPTIONS,
  },
  async run(ctx) {
    const out = optPath(ctx, "out");
    if (!out) throw usageError("--out DIR is required", "slm-energy measure --out DIR -- COMMAND [ARGS…]");
    const ollama = ollamaPlan(ctx);
    const [command, ...args] = ollama ? ["ollama"] : ctx.positionals;
    if (command === undefined || command.trim() === "")
      throw usageError("no command to measure", "give it after --: slm-energy measure --out DIR -- llama-bench -m …");
    const grid = gridIntensityOption(ctx);
    const meter = optString(ctx, "meter") ?? "auto";
    const controller = new AbortController();
    const onSigint = onInterrupt(ctx, controller);
    process.on("SIGINT", onSigint);
    try {
      const summary = await measureRun({
        command,
        args,
        outDir: out,
        meter,
        intervalMs: optNumber(ctx, "interval-ms", { min: 1 }) ?? (meter === "pmic" ? 500 : 100),
        idleS: optNumber(ctx, "idle-s", { min: 0 }) ?? 5,
        board: optString(ctx, "board") ?? null,
        model: optString(ctx, "model") ?? ollama?.model ?? null,
        benchmark: optString(ctx, "benchmark") ?? null,
        label: optString(ctx, "label") ?? null,
        grid,
        ...(ollama ? { ollama } : {}),
        catalogIds: loadDeviceCatalog(ctx.root).devices.map((d) => d.id),
        signal: controller.signal,
        predictorFor: (device) => predictorOf(ctx, device),
        onStdout: ctx.stdout,
        onStderr: ctx.stderr,
        onNotice: (t) => ctx.stderr(t + "\n"),
      });
      ctx.stderr(summaryText(summary));
      return summary.exitCode ?? 1;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
};
