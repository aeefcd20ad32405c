import type { Command, CommandContext } from "../command.js";
import { optFlag, optNumber, optString } from "../command.js";
import { BENCHMARKS, isBenchmark } from "../../domain/ids.js";
import { usageError } from "../../errors.js";
import { runAudit } from "../../audit/audit.js";
import { loadPaper } from "../../io/paper.js";
import { studyObservations, type StudyObservation } from "../../stats/study/observations.js";
import { measuredCandidates } from "../../recommend/measured.js";
import { recommend } from "../../recommend/rank.js";
import { recommendText } from "../../recommend/format.js";
import { recommendJson } from "../../io/model-recommend.js";
import type { Candidate, Constraints } from "../../recommend/types.js";
import { predictedCandidates } from "../../recommend/predicted.js";
import { loadIngestedCandidates } from "../../pipeline/model/recommend-ingested.js";
import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { loadDeviceCatalog } from "../../io/catalog/devices.js";
import { loadModelCatalog } from "../../io/catalog/models.js";
import { loadQuantCatalog } from "../../io/catalog/quantization.js";
import { calibrate } from "../../model/calibrate.js";
import type { Calibration } from "../../model/calibration.js";
import { loadCalibration } from "../../io/calibration.js";
import { loadData } from "../../pipeline/model/data.js";
import { PATHS } from "../../pipeline/paths.js";
import { GRID_OPTIONS, gridUsage, gridIntensityOption } from "../grid.js";

/** Default calibration file (what `slm-energy calibrate` writes for the paper). */
const DEFAULT_CALIBRATION = PATHS.paperCalibration;
/** Bootstrap replicates of an on-the-fly calibration (when no calibration file exists). */
const ON_THE_FLY_REPLICATES = 50;

const usage = `Usage: slm-energy recommend --max-energy-wh-per-inference X --min-accuracy Y
                          [--benchmark B] [--max-latency-s Z] [--measured-only]
                          [--calibration FILE] [--processed DIR]
                          [--grid-intensity G | --region CODE] [--json]

Ranks the (model, platform) choices that meet an energy budget per inference and an accuracy
floor (and optionally a latency limit), per benchmark: the most accurate first, then the cheaper
in energy, then the faster. Candidates:
  measured   the study's 48 runs: accuracy with its Wilson 95 % interval at the run's n, energy
             per inference = the run's energy / its inferences, with the printed values' rounding;
  predicted  what the study did not run, from the calibrated analytical model: the other power
             modes and backends of the catalog's boards (e.g. Orin Nano at 7/15/25 W, Jetson Nano's
             GPU), each paper model in its paper-profile quantization; latency and energy are the
             model's predictions with their 90 % prediction interval, accuracy is the model's
             measured accuracy pooled over the study's platforms (same weights, same items).
             Choices that do not fit the board's RAM are left out.
  measured   also your own runs, when \`slm-energy ingest\` has written DIR/inferences.csv
  (ingested) (default data/processed/): mean latency and energy per inference with seeded
             bootstrap 95 % intervals over the run's inferences, accuracy with its Wilson
             interval over the scored ones. Simulated runs and runs without energy or without
             scored answers are left out, and the notes say so.
Each choice is marked measured or predicted, "sure" when its
whole interval meets the limits or "likely" when only its estimate does, and "pareto" when no
other feasible choice is both more accurate and cheaper. When nothing fits, says how far the
budget falls short.

Options:
  --max-energy-wh-per-inference X   energy budget per inference, Wh (> 0; e.g. 0.002)
  --min-accuracy Y                  accuracy floor in percent (0–100; e.g. 60 for 60 %)
  --benchmark B                     ${BENCHMARKS.join(", ")} (default: each of them)
  --max-latency-s Z                 latency limit per inference, s (> 0)
  --measured-only                   rank measured runs only (the study's and ingested ones)
  --processed DIR                   ingested runs to include (default data/processed/)
  --calibration FILE                calibration for predictions (default ${DEFAULT_CALIBRATION};
                                    when it does not exist the paper is calibrated on the fly
                                    with ${ON_THE_FLY_REPLICATES} bootstrap replicates: run \`slm-energy calibrate\`
                                    to keep one)
${gridUsage(36)}
                                    adds CO2e per inference to each choice ("co2e_g",
                                    "co2e_interval_g") and the intensity used
                                    ("grid_intensity_g_per_kwh", "grid_region", "grid_year",
                                    "grid_source") in --json
  --json                            {"constraints", "considered", "recommendations": [{"rank",
                                    "benchmark", "model", "quant", "device", "backend",
                                    "power_mode", "source", "accuracy_pct",
                                    "accuracy_interval_pct", "energy_wh_per_inference",
                                    "energy_interval_wh", "latency_s", "latency_interval_s",
                                    "accuracy_basis", "cost_basis", "notes", "certainty",
                                    "pareto"}], "near_misses", "notes"}
  -h, --help                        this help

Example: slm-energy recommend --max-energy-wh-per-inference 0.003 --min-accuracy 60 --benchmark hellaswag
Exit codes: 0 ok (also when nothing fits: the answer is then empty, with near misses),
1 failure, 2 bad input or usage.`;

/** A positive number from an option; a usage error when required and absent. */
function positive(ctx: CommandContext, name: string, required: boolean): number | undefined {
  if (required && optString(ctx, name) === undefined)
    throw usageError(`--${name} is required`, "run `slm-energy recommend --help`");
  return optNumber(ctx, name, { min: 0, exclusiveMin: true });
}

/** The accuracy floor in percent (a trailing % allowed). */
function accuracyFloor(ctx: CommandContext): number {
  const text = optString(ctx, "min-accuracy");
  if (text === undefined) throw usageError("--min-accuracy is required", "give a percentage, e.g. --min-accuracy 60");
  const values = { ...ctx.values, "min-accuracy": text.trim().replace(/%$/, "") };
  return optNumber({ ...ctx, values }, "min-accuracy", { min: 0, max: 100 }) as number;
}

/** The calibration to predict with: --calibration FILE, else the default file, else calibrate the paper now. */
function calibrationFor(ctx: CommandContext): { calibration: Calibration; note: string } {
  const given = optString(ctx, "calibration");
  if (given !== undefined) {
    const path = isAbsolute(given) ? given : join(process.cwd(), given);
    return { calibration: loadCalibration(path), note: `predictions from calibration ${given}` };
  }
  const path = join(ctx.root, DEFAULT_CALIBRATION);
  if (existsSync(path))
    return { calibration: loadCalibration(path), note: `predictions from calibration ${relative(ctx.root, path)}` };
  const data = loadData(ctx.root, { paper: true, runs: [] });
  const calibration = calibrate(data.observations, data.world, {
    name: "paper",
    bootstrap: ON_THE_FLY_REPLICATES,
    seed: 1,
    sourceKind: data.kind,
    files: data.files,
    assumptions: data.assumptions,
  });
  return {
    calibration,
    note:
      `predictions from the paper calibrated on the fly (${ON_THE_FLY_REPLICATES} bootstrap replicates; ` +
      `\`slm-energy calibrate\` writes ${DEFAULT_CALIBRATION} for reuse)`,
  };
}

function constraintsFor(ctx: CommandContext): Constraints {
  const constraints: Constraints = {
    maxEnergyWhPerInference: positive(ctx, "max-energy-wh-per-inference", true)!,
    minAccuracyPct: accuracyFloor(ctx),
  };
  const lat = positive(ctx, "max-latency-s", false);
  if (lat !== undefined) constraints.maxLatencyS = lat;
  const b = optString(ctx, "benchmark");
  if (b !== undefined) {
    if (!isBenchmark(b.trim()))
      throw usageError(`unknown benchmark "${b}"`, `benchmarks are: ${BENCHMARKS.join(", ")}`);
    constraints.benchmark = b.trim() as Constraints["benchmark"] & string;
  }
  return constraints;
}

const INFERENCES_CSV = PATHS.inferencesCsv.slice(PATHS.processedDir.length + 1);

/** The user's ingested runs (--processed DIR, default data/processed/) as measured candidates. */
function ingestedFor(ctx: CommandContext, candidates: Candidate[], notes: string[]): void {
  const processedOpt = optString(ctx, "processed");
  const processedDir =
    processedOpt === undefined
      ? join(ctx.root, PATHS.processedDir)
      : isAbsolute(processedOpt)
        ? processedOpt
        : join(process.cwd(), processedOpt);
  if (processedOpt !== undefined && !existsSync(join(processedDir, INFERENCES_CSV))) {
    throw usageError(
      `no inferences.csv in ${processedOpt}`,
      "run `slm-energy ingest --out DIR` first, or leave --processed out",
    );
  }
  const ingested = loadIngestedCandidates(processedDir, { seed: 1 });
  candidates.push(...ingested.candidates);
  const from = relative(ctx.root, join(processedDir, INFERENCES_CSV)) || processedDir;
  if (ingested.runs > 0)
    notes.push(`${ingested.candidates.length} of ${ingested.runs} ingested run(s) from ${from} ranked as measured`);
  if (ingested.excluded.length > 0) notes.push(`left out: ${ingested.excluded.join("; ")}`);
}

/** What the calibrated model predicts for the platforms the study did not run. */
function predictedFor(
  ctx: CommandContext,
  observations: StudyObservation[],
  constraints: Constraints,
  candidates: Candidate[],
  notes: string[],
): void {
  const { calibration, note } = calibrationFor(ctx);
  notes.push(note);
  const benchmarks = constraints.benchmark ? [constraints.benchmark] : undefined;
  const p = predictedCandidates(
    calibration,
    loadDeviceCatalog(ctx.root),
    loadModelCatalog(ctx.root),
    loadQuantCatalog(ctx.root),
    observations,
    benchmarks,
  );
  candidates.push(...p.candidates);
  if (p.excluded.length > 0) notes.push(`left out (${p.excluded.length}): ${p.excluded.join("; ")}`);
  notes.push(
    "predicted accuracy assumes the paper-profile quantization the measured runs are taken to use; " +
      "other quantizations are not ranked (their accuracy is unmeasured)",
  );
}

export const recommendCommand: Command = {
  name: "recommend",
  summary: "rank (model, platform) choices that meet an energy budget and an accuracy floor",
  usage,
  options: {
    "max-energy-wh-per-inference": { type: "string" },
    "min-accuracy": { type: "string" },
    benchmark: { type: "string" },
    "max-latency-s": { type: "string" },
    "measured-only": { type: "boolean" },
    processed: { type: "string" },
    calibration: { type: "string" },
    json: { type: "boolean" },
    ...GRID_OPTIONS,
  },
  run(ctx) {
    const constraints = constraintsFor(ctx);
    const grid = gridIntensityOption(ctx);
    const paper = loadPaper(ctx.root);
    const observations = studyObservations(paper, runAudit(paper));
    const candidates: Candidate[] = measuredCandidates(observations);
    const notes: string[] = [];
    ingestedFor(ctx, candidates, notes);
    if (!optFlag(ctx, "measured-only")) predictedFor(ctx, observations, constraints, candidates, notes);
    else notes.push("measured runs only (--measured-only)");
    const result = recommend(candidates, constraints);
    result.notes.push(...notes);
    ctx.stdout(
      optFlag(ctx, "json") ? JSON.stringify(recommendJson(result, grid), null, 2) + "\n" : recommendText(result, grid),
    );
    return Promise.resolve(0);
  },
};
