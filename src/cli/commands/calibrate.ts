import { isAbsolute, join, relative } from "node:path";
import { dirname } from "node:path";
import { isSlmError, usageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { serializeCalibration } from "../../io/calibration.js";
import { calibrateOnPool } from "../../pipeline/model/parallel.js";
import { defaultJobs, withPool } from "../../pipeline/pool/pool.js";
import { calibrationSummary } from "../../model/summary.js";
import { loadData, type DataSelection, type LoadedData } from "../../pipeline/model/data.js";
import { PATHS } from "../../pipeline/paths.js";
import { optFlag, optInt, optList, optPath, optString, type Command, type CommandContext } from "../command.js";

export const DEFAULT_CALIBRATION = PATHS.paperCalibration;

/** Parse `key=value` pairs of a repeated option. */
export function parsePairs(items: readonly string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(it);
    if (!m) throw usageError(`--${option} expects KEY=VALUE, got "${it}"`);
    out[(m[1] as string).trim()] = (m[2] as string).trim();
  }
  return out;
}

const OVERRIDE_OPTION: Record<string, string> = { quantOverrides: "--quant", powerModeOverrides: "--power-mode" };

/** loadData, its override errors naming the option that gave the override. */
export function loadDataFor(ctx: CommandContext, sel: DataSelection): LoadedData {
  try {
    return loadData(ctx.root, sel);
  } catch (e) {
    const option = isSlmError(e) && e.field !== undefined ? OVERRIDE_OPTION[e.field] : undefined;
    if (option === undefined || !isSlmError(e)) throw e;
    throw usageError(`${option}: ${e.message}`, e.hint);
  }
}

/** The data options shared by calibrate and validate: --data, --no-paper, --quant, --power-mode. */
export function dataSelection(ctx: CommandContext): DataSelection {
  const runs = optList(ctx, "data") ?? [];
  const paper = !optFlag(ctx, "no-paper");
  if (!paper && runs.length === 0) throw usageError("--no-paper needs --data RUNS.csv");
  const quantOverrides = parsePairs(optList(ctx, "quant"), "quant");
  const powerModeOverrides = parsePairs(optList(ctx, "power-mode"), "power-mode");
  return { paper, runs, quantOverrides, powerModeOverrides };
}

export const calibrateCommand: Command = {
  name: "calibrate",
  summary: "fit the analytical latency/energy model to measured runs (the paper by default)",
  usage: `Usage: slm-energy calibrate [--data RUNS.csv]... [--no-paper] [--out FILE] [--name NAME]
                           [--bootstrap N] [--seed S] [--quant MODEL=Q]... [--power-mode DEVICE=MODE]...
                           [--allow-simulated] [--json]

Fits the model's parameters in log space with physical bounds (efficiencies ≤ 1): per platform the
compute and memory efficiency, overhead, prefill and decode power; per generated benchmark the
prompt tokens and each model's generated tokens. A residual bootstrap gives 90% intervals for
every parameter and the replicates that predict and validate use for prediction intervals.

Data: the paper's consolidated tables (per-inference latency, benchmark energy / inferences), under
the paper profile's assumptions (data/catalog: Ollama default quantizations, MAXN/MAXN_SUPER
power modes), plus ingested runs (runs.csv from \`slm-energy ingest\`) given with --data.

Options:
  --data FILE          ingested runs.csv to add (repeatable); rows without energy are rejected
                       with their line and reason
  --no-paper           leave the paper's cells out (calibrate on --data alone)
  --out FILE           where to write (default ${DEFAULT_CALIBRATION} for the paper alone,
                       models/calibrated/NAME.json otherwise)
  --name NAME          calibration name (default: paper, or runs)
  --bootstrap N        bootstrap replicates (default 200; 0 for none)
  --seed S             bootstrap seed (default 1)
  --quant MODEL=Q      override the paper profile's quantization of a model (e.g. llama-3.2-1b=Q4_0)
  --power-mode DEV=M   override the paper profile's power mode of a device
  --allow-simulated    accept runs marked simulated
  --jobs N             worker threads for the bootstrap refits (default: the cores); the file is the
                       same for every N
  --json               print the calibration file's JSON instead of the summary
  -h, --help           this help

Writes atomically; rewriting an unchanged calibration leaves the file untouched.
Exit codes: 0 ok, 1 failure, 2 bad input or usage.`,
  options: {
    data: { type: "string", multiple: true },
    "no-paper": { type: "boolean" },
    out: { type: "string" },
    name: { type: "string" },
    bootstrap: { type: "string" },
    seed: { type: "string" },
    quant: { type: "string", multiple: true },
    "power-mode": { type: "string", multiple: true },
    "allow-simulated": { type: "boolean" },
    json: { type: "boolean" },
    jobs: { type: "string" },
  },
  async run(ctx) {
    const bootstrap = optInt(ctx, "bootstrap", { min: 0, max: 5000 }) ?? 200;
    const seed = optInt(ctx, "seed", { min: 0, max: 2 ** 31 }) ?? 1;
    const data = loadDataFor(ctx, { ...dataSelection(ctx), allowSimulated: optFlag(ctx, "allow-simulated") });
    for (const r of data.rejected) ctx.stderr(`slm-energy calibrate: rejected ${r.file}:${r.line}: ${r.reason}\n`);
    const name =
      optString(ctx, "name") ?? (data.kind === "paper" ? "paper" : data.kind === "runs" ? "runs" : "paper-runs");
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw usageError(`--name must be a simple file name, got "${name}"`);
    const jobs = optInt(ctx, "jobs", { min: 1, max: 256 }) ?? defaultJobs();
    const cal = await withPool(jobs, (pool) =>
      calibrateOnPool(pool, data.observations, data.world, {
        name,
        bootstrap,
        seed,
        sourceKind: data.kind,
        files: data.files,
        assumptions: data.assumptions,
      }),
    );
    const text = serializeCalibration({ ...cal, source: { ...cal.source, rejected: data.rejected } });
    const outOpt = optPath(ctx, "out");
    const out = outOpt ?? join(ctx.root, dirname(PATHS.paperCalibration), `${name}.json`);
    const path = isAbsolute(out) ? out : join(process.cwd(), out);
    const changed = writeFileAtomic(path, text, "calibration");
    if (optFlag(ctx, "json")) {
      ctx.stdout(text);
    } else {
      ctx.stdout(calibrationSummary(cal) + "\n\n");
      ctx.stdout(`${changed ? "wrote" : "unchanged"} ${relative(process.cwd(), path) || path}\n`);
    }
    return 0;
  },
};
