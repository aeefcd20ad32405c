import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt, optList, optNumber, optString } from "../command.js";
import { isSlmError, usageError } from "../../errors.js";
import { parseDeviceSpecFile, type DeviceSpec } from "../../io/catalog/devices.js";
import type { SensorChoice } from "../../collect/index.js";
import { WRITABLE_QUANTS, type WritableQuant } from "../../gguf/types.js";
import { machineInfo } from "../../io/host/machine.js";
import { readProbeFile, sweepDocumentToWire, type SweepDocument } from "../../io/probe/files.js";
import { loadCalibration } from "../../io/calibration.js";
import { runProbe } from "../../pipeline/probe/probe.js";
import { runSweep } from "../../pipeline/probe/sweep.js";
import { writeSweepOutputs } from "../../pipeline/probe/write.js";
import { buildDeviceSpec } from "../../probe/device-spec.js";
import { machinePredictor, type MachinePredictor } from "../../probe/model-prediction.js";
import { ASSUMED_LLC_BYTES, type ProbeResult } from "../../probe/probe.js";
import type { SweepResult } from "../../probe/sweep.js";
import { optNumberList } from "./probe.js";
import { DEFAULT_CALIBRATION } from "./calibrate.js";

const usage = `Usage: slm-energy sweep [--like tinyllama-1.1b] [--scales 0.01,0.03,0.1,0.25] [--quants Q4_0,Q8_0,F16]
                        [--n 5] [--gen-tokens 16] [--threads T] [--prompts-like B]
                        [--probe probe.json | --bandwidth-gbps B]
                        [--fit-min-mib M] [--sensor none|auto|…] [--out DIR] [--keep-models] [--json]
                        [--device-spec FILE] [--calibration FILE]

Tests the bandwidth-bound model of decode on this machine. For each scale × quantization it
writes a synthetic GGUF shaped like --like (layers and heads kept, widths × √scale, so about
scale × the parameters), runs --n inferences (--prompts-like B prompts, default winogrande:
short, since the sweep is about decode; --gen-tokens decode steps; one warm-up) through the
collector, and compares the median decode rate with

    predicted tokens/s = B_eff / bytes per token

where bytes per token = weights read per decoded token (from the GGUF header) + the KV cache at
the mean context, and B_eff is the probe's effective read bandwidth (measured first unless
--probe FILE or --bandwidth-gbps is given). It fits log(tokens/s) against log(bytes/token)
(exponent −1 = bandwidth-bound) and the effective bandwidth with the exponent fixed at −1,
over the points beyond the cache (bytes/token ≥ --fit-min-mib, default 2 × LLC). The measured
decode rate per model is the best of its --n inferences (the least disturbed, as the probe's
best-of bandwidth); the median is listed beside it.

It also asks the project's calibrated model (\`slm-energy predict\`, --calibration, default
models/calibrated/paper.json) for each file on this machine, described by --device-spec or by a
spec built from the probe: "model tok/s" and "model err %" in the table.

Default grid: 12 models from ~6 MB to ~550 MB; a few minutes on 2 cores.
With --out DIR it writes DIR/sweep.json, DIR/sweep.csv and DIR/probe.json. Models and their
bundles live in a temporary folder, each deleted after use, unless --keep-models keeps them in
DIR/models.
Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

export function formatSweepTable(r: SweepResult): string {
  const head = [
    "model",
    "params M",
    "MiB/token",
    "decode tok/s (best)",
    "median",
    "B/bytes tok/s",
    "error %",
    "model tok/s",
    "model err %",
    "GB/s achieved",
    "prefill tok/s",
    "prefill GFLOP/s",
    "fit",
  ];
  const rows = r.points.map((p) => [
    p.model,
    (p.parameters / 1e6).toFixed(1),
    (p.bytesPerToken / 2 ** 20).toFixed(1),
    p.decodeTokensPerS.toFixed(1),
    p.decodeTokensPerSMedian.toFixed(1),
    p.predictedDecodeTokensPerS.toFixed(1),
    p.errorPct.toFixed(0),
    p.modelDecodeTokensPerS === null ? "-" : p.modelDecodeTokensPerS.toFixed(1),
    p.modelErrorPct === null ? "-" : p.modelErrorPct.toFixed(0),
    p.achievedGBps.toFixed(2),
    p.prefillTokensPerS.toFixed(0),
    p.prefillGflopsPerS.toFixed(1),
    p.fitted ? "yes" : "cache",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const f = r.fit;
  return [
    line(head),
    ...rows.map(line),
    "",
    f.powerLaw
      ? `log-log fit over ${f.powerLaw.n} points beyond the cache: tokens/s ∝ bytes^` +
        `${f.powerLaw.exponent.toFixed(3)} (R² ${f.powerLaw.rSquared.toFixed(3)}; −1 = bandwidth-bound)`
      : "log-log fit: fewer than 2 points beyond the cache",
    f.effectiveBandwidthGBps !== null
      ? `fitted effective bandwidth (exponent −1): ${f.effectiveBandwidthGBps.toFixed(2)} GB/s ` +
        `(rms log error ${f.rmsLogError!.toFixed(3)})`
      : "",
    ...Object.entries(f.byQuant).map(
      ([q, v]) => `  ${q}: ${v.effectiveBandwidthGBps.toFixed(2)} GB/s over ${v.n} point(s)`,
    ),
    `prediction B/bytes with the probe's ${r.prediction.bandwidthGBps.toFixed(2)} GB/s: mean |error| ` +
      `${r.prediction.meanAbsErrorPct?.toFixed(1) ?? "-"}%; with the fitted bandwidth: ` +
      `${r.prediction.meanAbsErrorPctWithFittedBandwidth?.toFixed(1) ?? "-"}% (points beyond the cache)`,
    `calibrated model (slm-energy predict, this machine's probed spec): mean |error| ` +
      `${r.prediction.modelMeanAbsErrorPct?.toFixed(1) ?? "-"}%`,
  ].join("\n");
}

const MIB = 2 ** 20;

/** The grid of models: scales in (0, 1] and writable quantizations. */
function gridOptions(ctx: CommandContext): { scales: number[]; quants: WritableQuant[] } {
  const scales = optNumberList(ctx, "scales", { min: 0, exclusiveMin: true, max: 1 }) ?? [0.01, 0.03, 0.1, 0.25];
  const quants = (optList(ctx, "quants") ?? ["Q4_0", "Q8_0", "F16"]).map((q) => {
    const u = q.toUpperCase();
    if (!(WRITABLE_QUANTS as readonly string[]).includes(u))
      throw usageError(`--quants: "${q}" is not one of ${WRITABLE_QUANTS.join(", ")}`);
    return u as WritableQuant;
  });
  return { scales, quants };
}

/** The bandwidth the prediction uses: --bandwidth-gbps, a --probe file, or a quick probe now. */
async function bandwidthFor(
  ctx: CommandContext,
  threads: number | undefined,
  say: (t: string) => void,
): Promise<{ bytesPerS: number; probe: ProbeResult | null }> {
  const given = optNumber(ctx, "bandwidth-gbps", { min: 0, exclusiveMin: true });
  if (given !== undefined) return { bytesPerS: given * 1e9, probe: null };
  const probeFile = optString(ctx, "probe");
  if (probeFile !== undefined) {
    const probe = readProbeFile(probeFile);
    if (!probe.effective) {
      throw usageError("the probe file has no effective (DRAM) bandwidth", "probe again with a larger --sizes-mib");
    }
    return { bytesPerS: probe.effective.gbps * 1e9, probe };
  }
  const llamaThreads = threads ?? cpus().length;
  say(`probing memory bandwidth (memchr, ${llamaThreads} thread(s), 256 MiB per thread)…`);
  const probe = await runProbe({ sizesBytes: [64 * MIB, 256 * MIB], threads: [llamaThreads], methods: ["memchr"] });
  if (!probe.effective) throw usageError("the probe found no DRAM bandwidth figure");
  say(`effective read bandwidth: ${probe.effective.gbps.toFixed(2)} GB/s`);
  return { bytesPerS: probe.effective.gbps * 1e9, probe };
}

/** The calibrated model's prediction for this machine: its device spec from --device-spec or the probe. */
function modelFor(
  ctx: CommandContext,
  bytesPerS: number,
  probed: boolean,
  say: (t: string) => void,
): { predictor?: MachinePredictor; device: DeviceSpec | null } {
  let device: DeviceSpec | null = null;
  const specFile = optString(ctx, "device-spec");
  try {
    device = specFile
      ? parseDeviceSpecFile(readFileSync(specFile, "utf8"), specFile)
      : buildDeviceSpec({
          id: "this-machine",
          machine: machineInfo(),
          measuredGBps: bytesPerS / 1e9,
          bandwidthMethod: probed ? "memchr streaming read (probe)" : "--bandwidth-gbps",
          specPowerW: null,
        });
    const calFile = optString(ctx, "calibration") ?? join(ctx.root, DEFAULT_CALIBRATION);
    return { predictor: machinePredictor(loadCalibration(calFile), device), device };
  } catch (e) {
    say(`calibrated model not compared: ${isSlmError(e) ? e.format() : (e as Error).message}`);
    return { device };
  }
}

const rounded = (xs: number[]): number[] => xs.map((x) => Math.round(x * 100) / 100);

/** sweep.json: the result with the load average around it, the probe, the device spec and the machine. */
function sweepDocument(
  result: SweepResult,
  load: { start: number[]; end: number[] },
  probe: ProbeResult | null,
  device: DeviceSpec | null,
): SweepDocument {
  return {
    ...result,
    contention: {
      logical_cpus: cpus().length,
      load_average_start: rounded(load.start),
      load_average_end: rounded(load.end),
      note:
        "1-, 5- and 15-minute load averages; above the CPU count, " +
        "other processes competed for the cores during the sweep",
    },
    probe,
    device_spec: device,
    measured_at: new Date().toISOString(),
    machine: machineInfo(),
  };
}

export const sweepCommand: Command = {
  name: "sweep",
  summary: "synthetic models across sizes and quantizations: measured decode rate vs bandwidth-bound prediction",
  usage,
  options: {
    like: { type: "string" },
    scales: { type: "string" },
    quants: { type: "string" },
    n: { type: "string" },
    "gen-tokens": { type: "string" },
    threads: { type: "string" },
    probe: { type: "string" },
    "bandwidth-gbps": { type: "string" },
    "fit-min-mib": { type: "string" },
    "prompts-like": { type: "string" },
    "device-spec": { type: "string" },
    calibration: { type: "string" },
    sensor: { type: "string" },
    out: { type: "string" },
    "keep-models": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(ctx) {
    const { scales, quants } = gridOptions(ctx);
    const threads = optInt(ctx, "threads", { min: 1 });
    const n = optInt(ctx, "n", { min: 1 }) ?? 5;
    const genTokens = optInt(ctx, "gen-tokens", { min: 1 }) ?? 16;
    const fitMinMib = optNumber(ctx, "fit-min-mib", { min: 0, exclusiveMin: true });
    const outOpt = optString(ctx, "out");
    const keep = optFlag(ctx, "keep-models");
    if (keep && !outOpt) throw usageError("--keep-models needs --out DIR (models and bundles go to DIR/models)");
    // Results go to --out; models and bundles to a temporary folder (or DIR/models with --keep-models).
    const resultsDir = outOpt ? resolve(outOpt) : null;
    const workDir = keep ? join(resultsDir!, "models") : mkdtempSync(join(tmpdir(), "slm-sweep-"));
    const say = (t: string) => ctx.stderr(t + "\n");
    // Other processes on the same cores slow every rate: the load average goes into the output.
    const loadStart = loadavg();
    try {
      const { bytesPerS, probe } = await bandwidthFor(ctx, threads, say);
      const llc = machineInfo().llcBytes ?? ASSUMED_LLC_BYTES;
      const model = modelFor(ctx, bytesPerS, probe !== null, say);
      const result = await runSweep({
        root: ctx.root,
        like: optString(ctx, "like") ?? "tinyllama-1.1b",
        scales,
        quants,
        n,
        promptsLike: optString(ctx, "prompts-like") ?? "winogrande",
        genTokens,
        ...(threads === undefined ? {} : { threads }),
        workDir,
        keepModels: keep,
        predictedBytesPerS: bytesPerS,
        fitMinBytesPerToken: fitMinMib !== undefined ? fitMinMib * MIB : 2 * llc,
        sensor: (optString(ctx, "sensor") ?? "none") as SensorChoice,
        ...(model.predictor ? { modelPredictor: model.predictor } : {}),
        onStep: say,
      });
      const loadEnd = loadavg();
      const doc = sweepDocument(result, { start: loadStart, end: loadEnd }, probe, model.device);
      if (resultsDir) writeSweepOutputs(resultsDir, doc);
      if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(sweepDocumentToWire(doc), null, 2) + "\n");
      else
        ctx.stdout(
          formatSweepTable(result) +
            `\nload average (1 min) ${loadStart[0]!.toFixed(1)} at the start, ${loadEnd[0]!.toFixed(1)} ` +
            `at the end, on ${cpus().length} CPUs\n` +
            (resultsDir ? `wrote ${join(resultsDir, "sweep.json")}, sweep.csv\n` : ""),
        );
      return 0;
    } finally {
      if (!keep) rmSync(workDir, { recursive: true, force: true });
    }
  },
};
