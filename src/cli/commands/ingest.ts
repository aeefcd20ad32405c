import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SlmError, usageError } from "../../errors.js";
import { ensureFolder, withFolderLock, writeFileAtomic } from "../../io/atomic-write.js";
import { isInsideFolder } from "../../io/bundle/paths.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import { ingestSummary, renderQuarantine } from "../../io/processed-tables.js";
import { POWER_FORMATS, type RowWarning } from "../../ingest/types.js";
import { rowWarningText } from "../../ingest/warnings.js";
import { ingestBundles, quarantinedBefore } from "../../pipeline/ingest/bundle.js";
import { PATHS } from "../../pipeline/paths.js";
import { defaultJobs } from "../../pipeline/ingest/pool.js";
import { BLOCK_BYTES } from "../../ingest/power/split.js";
import { writeProcessedTables } from "../../pipeline/ingest/tables.js";
import { optFlag, optInt, optPath, withOptionHints, type Command, type CommandContext } from "../command.js";
import { POWER_TOTAL_FLAGS, powerTotalOptions, reportProblems, type ShownWarning } from "./inspect.js";
import { co2eText, GRID_OPTIONS, gridUsage, gridIntensityOption } from "../grid.js";
import { gridIntensityText, runGridIntensity, type GridIntensity } from "../../catalog/grid-intensity.js";

const wh = (x: number | null): string => (x === null ? "—" : `${x.toPrecision(4)} Wh`);

/** The run's CO2e line at `g`: per inference and per run (gross energy). */
function co2eLine(b: BundleResult, g: GridIntensity): string {
  const { energyPerInferenceWh, energyWh } = b.run.gross;
  return `\n    CO2e ${co2eText(energyPerInferenceWh, g)} per inference, ${co2eText(energyWh, g)} per run`;
}

function runLine(b: BundleResult): string {
  const r = b.run;
  const g = r.gross;
  const acc = r.accuracyPct === null ? "" : `  accuracy ${r.accuracyPct.toFixed(1)} %`;
  const m = b.manifest;
  const head = `  ${b.runId}: ${m.device}/${m.backend} ${m.model} ${m.benchmark ?? ""}`.trimEnd();
  return (
    head +
    `\n    ${g.inferences} inferences (${r.inferencesWithEnergy} with energy), latency ${g.latencyS.toFixed(3)} s, ` +
    `energy ${wh(g.energyWh)} (net of idle ${wh(r.net?.energyWh ?? null)}), ` +
    `power ${g.powerW === null ? "—" : `${g.powerW.toFixed(2)} W`}` +
    `${r.idlePowerW === null ? "" : ` (idle ${r.idlePowerW.toFixed(2)} W)`}${acc}` +
    `${b.quarantined.length > 0 ? `, ${b.quarantined.length} quarantined` : ""}` +
    b.files
      .filter((f) => f.totalRule !== undefined)
      .map((f) => `\n    power total of ${f.name}: ${f.totalRule}`)
      .join("")
  );
}

/** A row warning shown once for every inference that has it (same code, same text). */
interface RowWarningGroup {
  warning: RowWarning;
  file: string;
  line: number;
  indexes: number[];
}

/**
 * One line per distinct row warning (grouped by code, then by its text, which carries its
 * numbers), naming the inferences it concerns; the line points at the inference when there is one.
 */
function groupedRowWarnings(b: BundleResult): ShownWarning[] {
  const groups = new Map<string, RowWarningGroup>();
  for (const r of b.inferences) {
    for (const w of r.warnings) {
      const key = `${w.code}\u0000${rowWarningText(w)}`;
      const g = groups.get(key) ?? { warning: w, file: r.inferenceFile, line: r.inferenceLines[0], indexes: [] };
      g.indexes.push(r.index);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => {
    const n = g.indexes.length;
    const listed = `${g.indexes.slice(0, 8).join(", ")}${n > 8 ? ", …" : ""}`;
    const which = `${n === 1 ? "inference" : `${n} inferences`} ${listed}`;
    return { file: g.file, line: n === 1 ? g.line : null, message: `${which}: ${rowWarningText(g.warning)}` };
  });
}

/** `--out`, checked: not empty, and never a bundle (which is only read) or a folder inside one. */
function outFolder(ctx: CommandContext, bundles: readonly string[]): string {
  const given = optPath(ctx, "out");
  const out = given ?? join(ctx.root, PATHS.processedDir);
  for (const b of bundles) {
    if (isInsideFolder(out, b)) {
      throw new SlmError("E_UNSAFE_PATH", `--out ${given ?? out} is the bundle ${b} or lies inside it`, {
        file: out,
        field: "--out",
        hint: "a bundle's files are only read: write the tables into a folder outside every bundle",
      });
    }
  }
  return out;
}

/** The name of the quarantine of an ingest that failed (beside the table set, which stays as it was). */
export const FAILED_QUARANTINE_FILE = "quarantine-failed.csv";

/**
 * When an ingest gives up on an input whose lines were all quarantined, write those lines (same
 * columns as quarantine.csv) beside the tables, which are left as they were, and say where.
 */
function writeFailedQuarantine(ctx: CommandContext, out: string, e: unknown): void {
  const rows = quarantinedBefore(e);
  if (rows.length === 0) return;
  const path = join(out, FAILED_QUARANTINE_FILE);
  ensureFolder(out);
  writeFileAtomic(path, renderQuarantine(rows), "quarantine of the failed ingest");
  reportProblems(ctx, rows, [], `before the ingest failed (all in ${path}; the tables were not changed)`);
}

export const ingestCommand: Command = {
  name: "ingest",
  summary: "turn run bundles (raw power + inference logs) into the study's processed tables",
  usage: `Usage: slm-energy ingest <bundle>... [--out DIR] [--input-rail NAME | --sum-rails A,B]
                           [--grid-intensity G | --region CODE] [--jobs N] [--json]

A run bundle is a folder holding manifest.json and the run's raw files, which are only read.
Writes, atomically and byte-identically for the same bundles:
  inferences.csv       one row per inference: tokens, prefill/decode/latency, gross and net
                       energy (J), mean power, warnings, and the sha256 and line ranges of the
                       raw lines behind it
  runs.csv             one row per run with the study's metrics (energy Wh, latency, EDP,
                       tokens/s, tokens/Wh, inferences/Wh, power, accuracy), gross and net of idle
  quarantine.csv       rejected raw rows: file, line, text, reason
  ingest-summary.json  per run: files read (format, sha256), counts, warnings
  parquet/             inferences, runs and quarantine again as Parquet, written by DuckDB
                       (Float64 numbers), one folder per table, hive-partitioned
                       device=…/model=…/: what \`slm-energy query\`, pandas, polars and Spark read

Options:
  --out DIR   where to write (default data/processed/ in the project); never a bundle or a
              folder inside one. The four tables are replaced as one set, under a lock file
              (.slm-energy.lock) that makes a second ingest into the same folder fail
  --input-rail NAME, --sum-rails A,B
              how every power log's total is taken, replacing the manifests' input_rail /
              sum_rails (see below); the output names the rule when it is not the board's own
              input rail
${gridUsage(22)}
                      runs.csv then ends with co2e_g_per_inference, co2e_g (gross energy),
                      grid_intensity_g_per_kwh and grid_region; inferences.csv with co2e_g,
                      co2e_prefill_g, co2e_decode_g, grid_intensity_g_per_kwh and grid_region;
                      without them, a run whose manifest records grid_intensity
                      (measure --grid-intensity/--region) gets its CO2e at that intensity
  --jobs N    worker threads (default: the cores, ${defaultJobs()} here). Each bundle is one task;
              a power CSV over ${BLOCK_BYTES >> 20} MiB is read in blocks spread over the workers. The
              tables are byte-identical whatever N; --jobs 1 ingests in this process
  --json      print the summary JSON on stdout
  -h, --help  this help

manifest.json ("schema": "slm-energy/bundle@1"):
  device, backend (cpu|gpu), model, runtime             required
  power_mode, quantization, benchmark                   optional (null)
  meter               power log format, detected when null: ${POWER_FORMATS.join(", ")}
  clock_offset_s      seconds added to power-log times to put them on the inference log's
                      clock (required with a power log); for a log without times, the epoch
                      second of its first reading
  power_interval_ms   spacing of power readings when the log has no times (default 1000)
  input_rail          tegrastats / jtop: the rail that is the board's total (detected: VDD_IN,
                      POM_5V_IN, VIN; AGX Orin, which has none: VDD_GPU_SOC + VDD_CPU_CV +
                      VIN_SYS_5V0, NVIDIA's module rails)
  sum_rails           tegrastats: the separate supplies whose sum is the total, e.g.
                      ["GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V"] for AGX Xavier
  power_columns       a power CSV without a header: its columns in order, e.g. ["time_s",
                      "power_w"] (time_s, time_ms, power_w, power_mw, voltage_v, current_a, "-")
  files.inference     inference logs (llama.cpp timing lines, llama-bench CSV/JSON, Ollama
                      JSON or --verbose text, collector JSONL), read in order
  files.power         power logs; several files are concurrent channels whose powers add
  files.accuracy      lm-evaluation-harness results (accuracy when inferences are not scored)
  files.idle          an idle power log, or {"start_s", "end_s"}: an idle window inside the
                      power logs on the inference clock; gives the baseline for net energy
  placement           {"start_s", "gap_s", "repetitions"}: for logs without wall-clock times
                      (llama.cpp, llama-bench), inferences are placed back to back from start_s,
                      gap_s apart; a llama-bench test spans its repetitions (from the JSON
                      samples, else "repetitions") and gets the energy of one
  power_calibration   {"gain", "offset_w"}: true W = gain × read W + offset_w (e.g. Pi 5 PMIC)
  grid_intensity      {"g_co2e_per_kwh", "region", "year", "source", "source_url"}: the run's
                      grid intensity (written by measure); --grid-intensity/--region win
  inference_format, accuracy_metric (default acc), max_prompt_tokens_per_s, run_id (default:
  the folder name), notes, simulated
Every path must stay inside the bundle: absolute paths, ".." and symbolic links leading out
are refused.

Exit codes: 0 ok (quarantined rows are counted, not fatal), 2 bad input or usage, 1 failure.`,
  options: {
    out: { type: "string" },
    "input-rail": { type: "string" },
    "sum-rails": { type: "string" },
    json: { type: "boolean" },
    jobs: { type: "string" },
    ...GRID_OPTIONS,
  },
  allowPositionals: true,
  async run(ctx) {
    if (ctx.positionals.length === 0)
      throw usageError("give at least one bundle folder", "run `slm-energy ingest --help`");
    const grid = gridIntensityOption(ctx);
    const out = resolve(outFolder(ctx, ctx.positionals));
    const overrides = powerTotalOptions(ctx);
    const jobs = optInt(ctx, "jobs", { min: 1 }) ?? defaultJobs();
    const existed = existsSync(out);
    const { results, written } = await withFolderLock(out, "ingest", async () => {
      let results: BundleResult[];
      try {
        results = await withOptionHints(() => ingestBundles(ctx.positionals, overrides, { jobs }), {
          inputRail: `${POWER_TOTAL_FLAGS.inputRail}; in the manifest: "input_rail" / "sum_rails"`,
          sumRails: `${POWER_TOTAL_FLAGS.sumRails}; in the manifest: "sum_rails" / "input_rail"`,
        });
      } catch (e) {
        writeFailedQuarantine(ctx, out, e);
        throw e;
      }
      return { results, written: await writeProcessedTables(out, results, grid) };
    }).catch((e: unknown) => {
      if (!existed && existsSync(out) && readdirSync(out).length === 0) rmdirSync(out); // leave no empty folder
      throw e;
    });
    const json = optFlag(ctx, "json");
    if (json) ctx.stdout(JSON.stringify(ingestSummary(results), null, 2) + "\n");
    else {
      const n = results.reduce((s, b) => s + b.inferences.length, 0);
      ctx.stdout(`ingested ${results.length} run(s), ${n} inference(s)\n`);
      for (const b of results) {
        const g = runGridIntensity(grid, b.manifest);
        ctx.stdout(runLine(b) + (g === null ? "" : co2eLine(b, g)) + "\n");
        if (grid === null && g !== null)
          ctx.stdout(`    grid intensity (recorded by the run): ${gridIntensityText(g)}\n`);
      }
      if (grid !== null) ctx.stdout(`grid intensity: ${gridIntensityText(grid)}\n`);
      const rel = relative(process.cwd(), out);
      const shown = rel === "" ? "." : rel.startsWith("..") ? out : rel;
      ctx.stdout(
        `wrote ${shown}/: ` +
          `${written.map((w) => `${w.path.slice(out.length + 1)}${w.changed ? "" : " (unchanged)"}`).join(", ")}\n`,
      );
    }
    for (const b of results) {
      const where = `in run ${b.runId} (see quarantine.csv)`;
      reportProblems(ctx, b.quarantined, [...b.warnings, ...groupedRowWarnings(b)], where);
    }
    return 0;
  },
};
