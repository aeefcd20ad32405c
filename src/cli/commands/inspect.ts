import { createWriteStream, existsSync, statSync, type Stats } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { notFoundError, usageError } from "../../errors.js";
import { jToWh } from "../../metrics/units.js";
import type { Inspection } from "../../ingest/inspect.js";
import { inspectBundle, inspectFile } from "../../pipeline/ingest/inspect.js";
import type { BundleInspection } from "../../io/inspect-bundle.js";
import { MANIFEST_NAME } from "../../io/manifest.js";
import {
  ACCURACY_FORMATS,
  INFERENCE_FORMATS,
  POWER_FORMATS,
  type IngestWarning,
  type QuarantineEntry,
} from "../../ingest/types.js";
import {
  optFlag,
  optList,
  optNumber,
  optString,
  withOptionHints,
  type Command,
  type CommandContext,
} from "../command.js";
import { gramsText, GRID_OPTIONS, gridIntensityOption, gridUsage } from "../grid.js";
import { gridIntensityText, type GridIntensity } from "../../catalog/grid-intensity.js";

const fmt = (x: number | null, digits = 3): string => (x === null ? "—" : x.toFixed(digits));

function human(i: Inspection, file: string): string {
  if (i.kind === "power") {
    return [
      `${file}: ${i.format} power log`,
      `  samples       ${i.samples}`,
      `  duration      ${fmt(i.duration_s)} s`,
      `  energy        ${fmt(i.energy_j)} J (${jToWh(i.energy_j).toPrecision(6)} Wh), trapezoid over the whole file`,
      `  mean power    ${fmt(i.mean_power_w)} W`,
      `  total rail    ${i.rail}`,
      ...(i.total_rule === null ? [] : [`  total rule    ${i.total_rule}`]),
    ].join("\n");
  }
  if (i.kind === "inference") {
    const lines = [
      `${file}: ${i.format} inference log, ${i.records.length} record(s)`,
      "      #  prompt_tokens   prompt_ms  gen_tokens      gen_ms",
    ];
    i.records.forEach((r, k) => {
      lines.push(
        `  ${String(k).padStart(5)}  ${String(r.prompt_tokens ?? "—").padStart(13)}  ` +
          `${fmt(r.prompt_ms, 2).padStart(10)}  ${String(r.gen_tokens ?? "—").padStart(10)}  ` +
          `${fmt(r.gen_ms, 2).padStart(10)}`,
      );
    });
    return lines.join("\n");
  }
  const lines = [
    `${file}: ${i.format} accuracy results, ${i.results.length} figure(s)`,
    `  ${"task".padEnd(32)} ${"metric".padEnd(24)}      value     stderr        n`,
  ];
  for (const r of i.results) {
    lines.push(
      `  ${r.task.padEnd(32)} ${r.metric.padEnd(24)} ${r.value.toFixed(4).padStart(10)} ` +
        `${fmt(r.stderr, 4).padStart(10)} ${String(r.n ?? "—").padStart(8)}`,
    );
  }
  return lines.join("\n");
}

/** A warning as stderr shows it. */
export type ShownWarning = Pick<IngestWarning, "file" | "line" | "message">;

/** Warnings and quarantined rows go to stderr, whatever the output format. */
export function reportProblems(
  ctx: CommandContext,
  quarantined: readonly QuarantineEntry[],
  warnings: readonly ShownWarning[],
  where: string,
  max = 20,
): void {
  for (const w of warnings.slice(0, max))
    ctx.stderr(`warning: ${w.file}${w.line === null ? "" : `:${w.line}`}: ${w.message}\n`);
  if (warnings.length > max) ctx.stderr(`warning: … and ${warnings.length - max} more warning(s)\n`);
  if (quarantined.length > 0) {
    ctx.stderr(`${quarantined.length} row(s) quarantined ${where}:\n`);
    for (const q of quarantined.slice(0, max))
      ctx.stderr(
        `  ${q.file}:${q.line}: ${q.reason}\n` +
          `    ${JSON.stringify(q.text.length > 120 ? `${q.text.slice(0, 119)}…` : q.text)}\n`,
      );
    if (quarantined.length > max) ctx.stderr(`  … and ${quarantined.length - max} more\n`);
  }
}

/** Flags that name how a power log's total is taken (for errors whose field is inputRail / sumRails). */
export const POWER_TOTAL_FLAGS = {
  inputRail: "--input-rail NAME (the rail that is the total) or --sum-rails A,B (supplies to add)",
  sumRails: "--sum-rails A,B (supplies to add) or --input-rail NAME",
};

/** `--input-rail` / `--sum-rails` (one of them at most). */
export function powerTotalOptions(ctx: CommandContext): { inputRail?: string; sumRails?: string[] } {
  const inputRail = optString(ctx, "input-rail")?.trim();
  const sumRails = optList(ctx, "sum-rails");
  if (inputRail !== undefined && sumRails !== undefined)
    throw usageError(
      "give --input-rail or --sum-rails, not both",
      "an input rail is the total; a sum adds separate supplies",
    );
  if (inputRail === "") throw usageError("--input-rail needs a rail name", "e.g. --input-rail VDD_IN");
  if (sumRails !== undefined && sumRails.length < 2)
    throw usageError("--sum-rails needs two rails or more", "e.g. --sum-rails VDD_GPU_SOC,VDD_CPU_CV,VIN_SYS_5V0");
  return { ...(inputRail === undefined ? {} : { inputRail }), ...(sumRails === undefined ? {} : { sumRails }) };
}

/** The name standard input is reported under. */
const STDIN_NAME = "<stdin>";

/**
 * Copy standard input to a private temporary file (streamed: constant memory), run `f` on it and
 * remove it. Detection reads a file's head and then the whole file, which a pipe cannot give twice.
 */
async function withStdinFile<T>(ctx: CommandContext, f: (path: string) => Promise<T>): Promise<T> {
  const input = ctx.stdin ?? process.stdin;
  if (ctx.stdin === undefined && process.stdin.isTTY)
    throw usageError(
      "`inspect -` reads standard input, which is a terminal here",
      "pipe a file in: `cat LOG | slm-energy inspect -`",
    );
  const dir = await mkdtemp(join(tmpdir(), "slm-energy-stdin-"));
  try {
    const path = join(dir, "stdin");
    await pipeline(Readable.from(input), createWriteStream(path, { mode: 0o600 }));
    return await f(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function inspectOne(
  ctx: CommandContext,
  path: string,
  name: string,
  o: {
    format: string | undefined;
    intervalMs: number | undefined;
    json: boolean;
    choices: { inputRail?: string; sumRails?: string[] };
    columns: string[] | undefined;
  },
): Promise<number> {
  const r = await withOptionHints(
    () =>
      inspectFile(path, {
        displayName: name,
        ...(o.format === undefined ? {} : { format: o.format }),
        ...(o.intervalMs === undefined ? {} : { intervalMs: o.intervalMs }),
        ...o.choices,
        ...(o.columns === undefined ? {} : { columns: o.columns }),
      }),
    { format: "--format NAME", intervalMs: "--interval-ms MS", ...POWER_TOTAL_FLAGS, columns: "--columns C1,C2" },
  );
  if (o.intervalMs !== undefined && r.inspection.kind !== "power")
    ctx.stderr(`note: --interval-ms applies to power logs only; ignored for this ${r.inspection.kind} file\n`);
  ctx.stdout((o.json ? JSON.stringify(r.inspection, null, 2) : human(r.inspection, name)) + "\n");
  reportProblems(ctx, r.quarantined, r.warnings, "(not counted above)");
  return 0;
}

/** The run's CO2e lines (with --grid-intensity / --region). */
function co2eLines(i: BundleInspection, g: GridIntensity): string[] {
  const { co2e_g_per_inference: perInference, co2e_g: perRun } = i.run;
  return [
    `  CO2e          ${gramsText(perInference)} per inference, ${gramsText(perRun)} per run (gross)`,
    `                at ${gridIntensityText(g)}`,
  ];
}

function humanBundle(i: BundleInspection, dir: string, grid: GridIntensity | null): string {
  const r = i.run;
  const lines = [
    `${dir}: run ${i.run_id}, ${r.inferences} inference(s), ${r.inferences_with_energy} with energy`,
    `  formats       ${Object.entries(i.formats)
      .map(([role, f]) => `${role} ${f.join(", ")}`)
      .join("; ")}`,
    `  energy        ${fmt(r.energy_wh, 6)} Wh gross, ${fmt(r.energy_net_wh, 6)} Wh net of idle`,
    `  prefill       ${fmt(r.energy_prefill_wh, 6)} Wh (${fmt(r.j_per_prompt_token, 4)} J per prompt token)`,
    `  decode        ${fmt(r.energy_decode_wh, 6)} Wh (${fmt(r.j_per_gen_token, 4)} J per generated token)`,
    `  tokens per J  ${fmt(r.tokens_per_j, 3)}`,
    ...(grid === null ? [] : co2eLines(i, grid)),
    "      #  prompt  gen   prefill_j    decode_j  j/prompt_tok   j/gen_tok",
  ];
  for (const x of i.records) {
    lines.push(
      `  ${String(x.index).padStart(5)}  ${String(x.prompt_tokens ?? "—").padStart(6)}  ` +
        `${String(x.gen_tokens ?? "—").padStart(3)}  ` +
        `${fmt(x.energy_prefill_j).padStart(10)}  ${fmt(x.energy_decode_j).padStart(10)}  ` +
        `${fmt(x.j_per_prompt_token, 4).padStart(12)}  ${fmt(x.j_per_gen_token, 4).padStart(10)}`,
    );
  }
  return lines.join("\n");
}

async function inspectBundleDir(
  ctx: CommandContext,
  dir: string,
  json: boolean,
  grid: GridIntensity | null,
): Promise<number> {
  const r = await inspectBundle(dir, grid);
  ctx.stdout((json ? JSON.stringify(r.inspection, null, 2) : humanBundle(r.inspection, dir, r.grid)) + "\n");
  reportProblems(ctx, r.quarantined, r.warnings, `in run ${r.inspection.run_id} (not counted above)`);
  return 0;
}

export const inspectCommand: Command = {
  name: "inspect",
  summary: "read one raw power, inference or accuracy file and summarise it",
  usage: `Usage: slm-energy inspect <file> [--format F] [--interval-ms N] [--json]
                          [--input-rail NAME | --sum-rails A,B] [--columns C1,C2]
       slm-energy inspect <bundle> [--grid-intensity G | --region CODE] [--json]

Reads any single raw file (format detected unless --format is given) and prints what it holds:
  power log      samples, duration, energy of the total (input) rail by trapezoid over the whole
                 file, mean power, and which rail is the total
  inference log  one record per inference: prompt tokens and ms, generated tokens and ms
  accuracy file  one figure per task and metric, with standard error and sample count
  run bundle     (a folder with manifest.json) each inference's energy, gross and net of idle,
                 split into prefill and decode where the log gives both durations, with joules
                 per prompt / generated token; the run's per-phase totals (nothing is written)
<file> may be - to read standard input (\`cat LOG | slm-energy inspect -\`).
The file is only read. Warnings and quarantined rows go to stderr.

Options:
  --format F        power: ${POWER_FORMATS.join(", ")}
                    inference: ${INFERENCE_FORMATS.join(", ")}
                    accuracy: ${ACCURACY_FORMATS.join(", ")}
  --interval-ms N   spacing of readings in power logs without timestamps (default 1000)
  --input-rail NAME tegrastats / jtop: the rail that is the board's total (detected: VDD_IN,
                    POM_5V_IN, VIN; AGX Orin without one: VDD_GPU_SOC + VDD_CPU_CV + VIN_SYS_5V0)
  --sum-rails A,B   tegrastats: the separate supplies whose sum is the total (boards without an
                    input rail, e.g. AGX Xavier GPU,CPU,SOC,CV,VDDRQ,SYS5V)
  --columns C1,C2   power CSV without a header: its columns in order (time_s, time_ms, power_w,
                    power_mw, voltage_v, current_a; - to skip one); no time column: --interval-ms
${gridUsage(20)}
                    (bundles) adds CO2e per inference and per run, gross: "run" gets
                    "co2e_g_per_inference", "co2e_g", "grid_intensity_g_per_kwh", "grid_region",
                    "grid_year", "grid_source"; each record "co2e_g"
  --json            machine-readable output:
                    {"kind": "power", "format", "samples", "duration_s", "energy_j", "mean_power_w", "rail",
                     "total_rule"}
                    {"kind": "inference", "format", "records": [{"prompt_tokens", "prompt_ms", "gen_tokens", "gen_ms"}]}
                    {"kind": "accuracy", "format", "results": [{"task", "metric", "value", "stderr", "n"}]}
                    {"kind": "bundle", "run_id", "formats", "run": {…runs.csv names…},
                     "records": [{"index", "prompt_tokens", "energy_prefill_j", "energy_decode_j",
                     "energy_prefill_net_j", "j_per_prompt_token", "j_per_gen_token", … as in
                     inferences.csv}]}
                    (missing values are null; stderr is null when absent or N/A; metric is
                    "acc", or "metric,filter" when lm-eval's filter is not "none")
  -h, --help        this help

Exit codes: 0 ok (even with quarantined rows), 2 bad input or usage, 1 failure.`,
  options: {
    format: { type: "string" },
    "interval-ms": { type: "string" },
    "input-rail": { type: "string" },
    "sum-rails": { type: "string" },
    columns: { type: "string" },
    json: { type: "boolean" },
    ...GRID_OPTIONS,
  },
  allowPositionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1)
      throw usageError("give exactly one file to inspect", "run `slm-energy inspect --help`");
    const file = ctx.positionals[0]!;
    const intervalMs = optNumber(ctx, "interval-ms", { min: 0, exclusiveMin: true });
    const format = optString(ctx, "format");
    const choices = powerTotalOptions(ctx);
    const columns = optList(ctx, "columns");
    const json = optFlag(ctx, "json");
    const o = { format, intervalMs, json, choices, columns };
    if (file === "-") return withStdinFile(ctx, (path) => inspectOne(ctx, path, STDIN_NAME, o));
    let st: Stats;
    try {
      st = statSync(file);
    } catch {
      throw notFoundError("no such file", { file, hint: "check the path" });
    }
    const grid = gridIntensityOption(ctx);
    if (st.isDirectory() && existsSync(join(file, MANIFEST_NAME))) return inspectBundleDir(ctx, file, json, grid);
    if (grid !== null)
      throw usageError("--grid-intensity / --region apply to a run bundle", "give inspect a bundle folder");
    if (!st.isFile())
      throw usageError(
        `${file} is not a file`,
        `inspect reads one raw file or a run bundle (a folder with ${MANIFEST_NAME}); ` +
          "use `slm-energy ingest` to write a folder of bundles' tables",
      );
    return inspectOne(ctx, file, file, o);
  },
};
