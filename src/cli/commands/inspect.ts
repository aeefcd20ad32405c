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
import { optFlag, optNumber, optString, withOptionHints, type Command, type CommandContext } from "../command.js";

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

export const inspectCommand: Command = {
  name: "inspect",
  summary: "read one raw power, inference or accuracy file and summarise it",
  usage: `Usage: slm-energy inspect <file> [--format F] [--interval-ms N] [--json]

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
  --json            machine-readable output:
                    {"kind": "power", "format", "samples", "duration_s", "energy_j", "mean_power_w", "rail"}
                    {"kind": "inference", "format", "records": [{"prompt_tokens", "prompt_ms", "gen_tokens", "gen_ms"}]}
                    {"kind": "accuracy", "format", "results": [{"task", "metric", "value", "stderr", "n"}]}
                    (missing values are null; stderr is null when absent or N/A; metric is
                    "acc", or "metric,filter" when lm-eval's filter is not "none")
  -h, --help        this help

Exit codes: 0 ok (even with quarantined rows), 2 bad input or usage, 1 failure.`,
  options: { format: { type: "string" }, "interval-ms": { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1)
      throw usageError("give exactly one file to inspect", "run `slm-energy inspect --help`");
    const file = ctx.positionals[0]!;
    const intervalMs = optNumber(ctx, "interval-ms", { min: 0, exclusiveMin: true });
    const format = optString(ctx, "format");
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
        }),
      { format: "--format NAME", intervalMs: "--interval-ms MS" },
    );
    if (intervalMs !== undefined && r.inspection.kind !== "power")
      ctx.stderr(`note: --interval-ms applies to power logs only; ignored for this ${r.inspection.kind} file\n`);
    ctx.stdout((optFlag(ctx, "json") ? JSON.stringify(r.inspection, null, 2) : human(r.inspection, file)) + "\n");
    reportProblems(ctx, r.quarantined, r.warnings, "(not counted above)");
    return 0;
  },
};
