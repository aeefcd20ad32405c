import { resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optInt, optList, optNumber, optPath, optString } from "../command.js";
import { isSlmError, SlmError, usageError } from "../../errors.js";
import type { RequestField } from "../../simulate/errors.js";
import { parseDamage, DAMAGE_KINDS } from "../../simulate/damage.js";
import { METER_IDS } from "../../simulate/meters/types.js";
import { RUNTIME_IDS } from "../../simulate/runtimes/types.js";
import { simulateRun, TRUTH_FILE } from "../../simulate/simulate.js";
import { writeSimulatedBundle } from "../../pipeline/simulated-bundle.js";

const usage = `Usage: slm-energy simulate --device D --backend cpu|gpu [--power-mode M] --model M [--quant Q]
                           --benchmark mmlu|hellaswag|winogrande [--inferences N]
                           --meter ${METER_IDS.join("|")}
                           [--runtime ${RUNTIME_IDS.join("|")}] [--sample-hz F] [--seed S]
                           [--damage ${DAMAGE_KINDS.join(",")}] [--truth model|paper] [--force] [--json]
                           --out DIR

Writes a SIMULATED run bundle that \`slm-energy ingest DIR\` reads, in the formats real devices and
tools print, with the truth kept aside:
  manifest.json   the bundle manifest ("simulated": true; clock offset, idle window, placement,
                  PMIC calibration as a user would give them)
  <power log>     tegrastats.log | jtop.csv | pmic.log | fnirsi.txt | usb-meter.csv |
                  rapl-energy_uj.log | nvidia-smi.csv
  <inference log> llama-server.log (llama.cpp) | ollama-responses.ndjson | llama-bench.json |
                  inferences.jsonl (collector)
  truth.json      per inference: exact energy (integral of the true power over the inference),
                  net energy, latency, tokens, and the error bound the sensor model explains

Truth (--truth): "model" (default) predicts each inference with the calibrated analytical model
(models/calibrated/paper.json): any power mode and quantization of the catalog boards and models.
"paper" takes the paper's measured means for the cell (latency, energy over the derived N, tokens
per inference from the audit): the paper's power mode and quantization only. Either way the truth
varies per item (prompt length, 3 % timing and power jitter), with an idle segment first.
Meters that do not exist on the device (RAPL and
nvidia-smi on every board, tegrastats on the Pi, the PMIC on a Jetson) are simulated as
hypothetical meters on the same true power, and the notes say so.

Options:
  --inferences N   inferences (default 20); for llama-bench the repetitions per test (default 3)
  --runtime R      inference log format (default llama.cpp: llama-server timing lines)
  --sample-hz F    meter sampling rate (defaults: tegrastats/jtop/pmic 1, fnirsi 100,
                   usb-csv/rapl/nvidia-smi 10)
  --seed S         seed (default 1): the same seed and options give byte-identical files
  --damage K,...   write damaged logs on purpose: truncate, clock-jump, garbage, duplicate
                   (truth.json lists the damaged lines)
  --truth T        model (default) or paper (see above)
  --force          rewrite DIR even if it is not empty
  --json           print a summary as JSON

Exit codes: 0 written, 2 bad input or usage.`;

/** The flag of each request field, for errors the simulator reports in its own words. */
const FLAGS: Record<RequestField, string> = {
  device: "device",
  backend: "backend",
  powerMode: "power-mode",
  model: "model",
  quantization: "quant",
  benchmark: "benchmark",
  inferences: "inferences",
  meter: "meter",
  runtime: "runtime",
  sampleHz: "sample-hz",
  seed: "seed",
  damage: "damage",
  truth: "truth",
};

/** A simulator error about a request field, said with the flag that set it: `--sample-hz 100: …`. */
function withFlag(e: unknown): unknown {
  if (!isSlmError(e) || e.field === undefined || !Object.hasOwn(FLAGS, e.field)) return e;
  const flag = `--${FLAGS[e.field as RequestField]}${e.text === undefined ? "" : ` ${e.text}`}`;
  return new SlmError(e.code, `${flag}: ${e.message}`, e.hint === undefined ? {} : { hint: e.hint });
}

/** Runs `f`, saying its request errors with flags. */
function flagged<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw withFlag(e);
  }
}

/** " (lines 3, 7, …)": the first eight damaged lines, or nothing. */
const damagedLines = (lines: readonly number[]): string =>
  lines.length ? ` (lines ${lines.slice(0, 8).join(", ")}${lines.length > 8 ? ", …" : ""})` : "";

export const simulateCommand: Command = {
  name: "simulate",
  summary: "write a simulated run bundle (real log formats, true energy in truth.json)",
  usage,
  options: {
    device: { type: "string" },
    backend: { type: "string" },
    "power-mode": { type: "string" },
    model: { type: "string" },
    quant: { type: "string" },
    benchmark: { type: "string" },
    inferences: { type: "string" },
    meter: { type: "string" },
    runtime: { type: "string" },
    "sample-hz": { type: "string" },
    seed: { type: "string" },
    damage: { type: "string", multiple: true },
    truth: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    out: { type: "string" },
  },
  run(ctx) {
    const need = (name: string): string => {
      const v = optString(ctx, name);
      if (v === undefined) throw usageError(`--${name} is required`, "see slm-energy simulate --help");
      return v;
    };
    const out = resolve(optPath(ctx, "out") ?? need("out"));
    const inferences = optInt(ctx, "inferences", { min: 1, max: 100000 });
    const sampleHz = optNumber(ctx, "sample-hz", { min: 0, exclusiveMin: true });
    const seed = optInt(ctx, "seed", { min: 0 });
    const run = flagged(() =>
      simulateRun(
        {
          device: need("device"),
          backend: need("backend"),
          powerMode: optString(ctx, "power-mode") ?? null,
          model: need("model"),
          quantization: optString(ctx, "quant") ?? null,
          benchmark: need("benchmark"),
          meter: need("meter"),
          ...(optString(ctx, "runtime") ? { runtime: optString(ctx, "runtime")! } : {}),
          ...(inferences !== undefined ? { inferences } : {}),
          ...(sampleHz !== undefined ? { sampleHz } : {}),
          ...(seed !== undefined ? { seed } : {}),
          damage: parseDamage(optList(ctx, "damage") ?? []),
          ...(optString(ctx, "truth") ? { truth: optString(ctx, "truth") as "model" | "paper" } : {}),
        },
        { root: ctx.root },
      ),
    );
    const written = writeSimulatedBundle(out, run, { overwrite: optFlag(ctx, "force") });
    const t = run.truth;
    if (optFlag(ctx, "json")) {
      ctx.stdout(
        JSON.stringify(
          {
            out,
            files: written.map((w) => w.path),
            simulated: true,
            meter: t.meter.id,
            runtime: t.runtime,
            inferences: t.totals.inferences,
            energy_j: t.totals.energy_j,
            latency_s: t.totals.latency_s,
            damage: t.damage,
          },
          null,
          2,
        ) + "\n",
      );
    } else {
      ctx.stdout(
        `simulated ${t.request.device}/${t.request.backend} ${t.request.model} ${t.request.benchmark}: ` +
          `${t.totals.inferences} record(s), ` +
          `${t.meter.id} at ${t.request.sampleHz} Hz, ${t.runtime} log, seed ${t.seed}\n` +
          `true energy ${t.totals.energy_j.toFixed(3)} J over ${t.totals.latency_s.toFixed(3)} s of inference\n` +
          (t.meter.notes.length ? t.meter.notes.map((n) => `note: ${n}\n`).join("") : "") +
          t.damage.map((d) => `damage: ${d.kind} in ${d.file}: ${d.detail}${damagedLines(d.lines)}\n`).join("") +
          `wrote ${out} (${written.length} files; truth in ${TRUTH_FILE})\n`,
      );
    }
    return Promise.resolve(0);
  },
};
