import type { Command, CommandContext } from "../command.js";
import { optNumber, optPath, optString } from "../command.js";
import { usageError } from "../../errors.js";
import { loadDeviceCatalog } from "../../io/catalog/devices.js";
import { METERS } from "../../measure/measure.js";
import { predictorOf } from "./collect.js";
import { measureRun, type MeasureSummary } from "../../pipeline/measure/run.js";

const usage = `Usage: slm-energy measure [--meter ${METERS.join("|")}]
                          [--interval-ms N] [--idle-s S] [--board ID] [--model M]
                          [--benchmark B] [--label L] --out DIR -- COMMAND [ARGS…]

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
Without a sensor the bundle holds timings only and says so: energy is NOT measured. Then, with
--model a GGUF file and a catalog board (--board or detected), run.json's "energy_predicted" holds
the calibrated model's prediction per llama-bench workload, labelled PREDICTED, as \`collect\` does.

Options:
  --meter M          auto (default: the first sensor found, none → timings only), tegrastats,
                     ina3221, pmic, rapl; a named meter that is not here is an error listing
                     what was probed (jtop, nvidia-smi, usb-meter:PATH are not sampled yet)
  --interval-ms N    sampling interval (default 100; 500 for pmic)
  --idle-s S         idle seconds before the command (default 5; 0 skips)
  --board ID         the catalog board this is (default: detected from /proc/device-tree/model);
                     one the host is not gives a warning and both go to run.json
  --model M          model name for the manifest
  --benchmark B      benchmark name for the manifest
  --label L          run id (default: the bundle folder's name)
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
  },
  async run(ctx) {
    const out = optPath(ctx, "out");
    if (!out) throw usageError("--out DIR is required", "slm-energy measure --out DIR -- COMMAND [ARGS…]");
    const [command, ...args] = ctx.positionals;
    if (command === undefined || command.trim() === "")
      throw usageError("no command to measure", "give it after --: slm-energy measure --out DIR -- llama-bench -m …");
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
        model: optString(ctx, "model") ?? null,
        benchmark: optString(ctx, "benchmark") ?? null,
        label: optString(ctx, "label") ?? null,
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
