import { statSync } from "node:fs";
import { notFoundError, usageError } from "../../errors.js";
import { jToWh } from "../../metrics/units.js";
import type { Inspection } from "../../ingest/inspect.js";
import { inspectFile } from "../../pipeline/ingest/inspect.js";
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

export const inspectCommand: Command = {
  name: "inspect",
  summary: "read one raw power, inference or accuracy file and summarise it",
  usage: `Usage: slm-energy inspect <file> [--format F] [--interval-ms N] [--json]
                          [--input-rail NAME | --sum-rails A,B] [--columns C1,C2]

Reads any single raw file (format detected unless --format is given) and prints what it holds:
  power log      samples, duration, energy of the total (input) rail by trapezoid over the whole
                 file, mean power, and which rail is the total
  inference log  one record per inference: prompt tokens and ms, generated tokens and ms
  accuracy file  one figure per task and metric, with standard error and sample count
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
  --json            machine-readable output:
                    {"kind": "power", "format", "samples", "duration_s", "energy_j", "mean_power_w", "rail",
                     "total_rule"}
                    {"kind": "inference", "format", "records": [{"prompt_tokens", "prompt_ms", "gen_tokens", "gen_ms"}]}
                    {"kind": "accuracy", "format", "results": [{"task", "metric", "value", "stderr", "n"}]}
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
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw notFoundError("no such file", { file, hint: "check the path" });
    }
    if (!isFile)
      throw usageError(
        `${file} is not a file`,
        "inspect reads one raw file; use `slm-energy ingest` for a bundle folder",
      );
    const r = await withOptionHints(
      () =>
        inspectFile(file, {
          ...(format === undefined ? {} : { format }),
          ...(intervalMs === undefined ? {} : { intervalMs }),
          ...choices,
          ...(columns === undefined ? {} : { columns }),
        }),
      { format: "--format NAME", intervalMs: "--interval-ms MS", ...POWER_TOTAL_FLAGS, columns: "--columns C1,C2" },
    );
    if (intervalMs !== undefined && r.inspection.kind !== "power")
      ctx.stderr(`note: --interval-ms applies to power logs only; ignored for this ${r.inspection.kind} file\n`);
    ctx.stdout((optFlag(ctx, "json") ? JSON.stringify(r.inspection, null, 2) : human(r.inspection, file)) + "\n");
    reportProblems(ctx, r.quarantined, r.warnings, "(not counted above)");
    return 0;
  },
};
