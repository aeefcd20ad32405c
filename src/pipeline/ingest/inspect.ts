import { runGridIntensity, type GridIntensity } from "../../catalog/grid-intensity.js";
import { inputError } from "../../errors.js";
import { totalEnergy } from "../../ingest/energy/total.js";
import {
  detectKind,
  firstSample,
  kindOfFormat,
  totalRailName,
  type InferenceInspection,
  type InspectResult,
} from "../../ingest/inspect.js";
import {
  ACCURACY_FORMATS,
  INFERENCE_FORMATS,
  POWER_FORMATS,
  type InferenceFormat,
  type IngestWarning,
  type PowerFormat,
  type QuarantineEntry,
} from "../../ingest/types.js";
import { readLmEvalResults } from "../../io/accuracy/lm-eval.js";
import { readHead } from "../../io/inference/read-lines.js";
import { readInferenceLog } from "../../io/inference/read.js";
import { readPowerHead, readPowerLog } from "../../io/power/read.js";
import { bundleInspection, type BundleInspection } from "../../io/inspect-bundle.js";
import { ingestBundle } from "./bundle.js";

/** The total's name as the parser gave it, for formats that name it themselves (tegrastats, CSV columns, perf). */
function ownRail(format: PowerFormat, rail: string | undefined): string | null {
  if (rail === undefined) return null;
  const own =
    format === "tegrastats" || format === "usb-csv" || (format === "rapl" && rail.startsWith("power/energy-"));
  return own ? rail : null;
}

/** The options that choose how a power log's total is read, when given. */
function powerChoices(o: { inputRail?: string; sumRails?: readonly string[]; columns?: readonly string[] }) {
  return {
    ...(o.inputRail === undefined ? {} : { inputRail: o.inputRail }),
    ...(o.sumRails === undefined ? {} : { sumRails: o.sumRails }),
    ...(o.columns === undefined ? {} : { columns: o.columns }),
  };
}

/** The file's kind and format: named, implied by `columns` (a headerless power CSV), or detected. */
async function kindAndFormat(
  path: string,
  file: string,
  options: { format?: string; columns?: readonly string[] },
): Promise<{ kind: "power" | "inference" | "accuracy"; format: string }> {
  if (options.format !== undefined) {
    const kind = kindOfFormat(options.format);
    if (kind === null) {
      throw inputError(`unknown format "${options.format}"`, {
        file,
        hint: `use one of: ${[...POWER_FORMATS, ...INFERENCE_FORMATS, ...ACCURACY_FORMATS].join(", ")}`,
      });
    }
    return { kind, format: options.format };
  }
  // Column names are given only for a power CSV without a header: nothing to detect.
  if (options.columns !== undefined) return { kind: "power", format: "usb-csv" };
  return detectKind(await readHead(path, undefined, file), file);
}

/**
 * Read one raw file whole and summarise it as `slm-energy inspect` prints it. Power logs are
 * integrated by trapezoid over the whole file (samples `intervalMs` apart when the log has no
 * times); inference logs list their records; accuracy files their figures. Streaming: memory
 * stays constant for power logs of any size.
 */
export async function inspectFile(
  path: string,
  options: {
    format?: string;
    intervalMs?: number;
    displayName?: string;
    /** tegrastats / jtop: the rail that is the total, or (tegrastats) the supplies to sum. */
    inputRail?: string;
    sumRails?: readonly string[];
    /** Power CSVs without a header: the columns, in order (see `ReadPowerOptions.columns`). */
    columns?: readonly string[];
  } = {},
): Promise<InspectResult> {
  const file = options.displayName ?? path;
  const { kind, format } = await kindAndFormat(path, file, options);
  const quarantined: QuarantineEntry[] = [];
  const warnings: IngestWarning[] = [];
  const onQuarantine = (e: QuarantineEntry) => void quarantined.push({ ...e, file });
  const onWarning = (w: IngestWarning) => void warnings.push(w);

  if (kind === "power") {
    const log = readPowerLog(path, {
      format: format as PowerFormat,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      ...powerChoices(options),
      onQuarantine,
    });
    // The whole log in one streaming pass (the reader's fast path); the rail from its first reading.
    const total = await totalEnergy(log);
    const first = firstSample(await readPowerHead(path), format as PowerFormat, options.intervalMs);
    const summary = log.summary;
    return {
      inspection: {
        kind: "power",
        format: format as PowerFormat,
        samples: total.samples,
        duration_s: total.durationS,
        energy_j: total.energyJ,
        mean_power_w: total.meanPowerW,
        // tegrastats says itself which rail (or sum) is the total; other formats by their first reading.
        rail: ownRail(format as PowerFormat, summary?.rail) ?? totalRailName(format as PowerFormat, first),
        total_rule: summary?.totalRule ?? null,
      },
      quarantined,
      warnings,
    };
  }
  if (kind === "inference") {
    const records: InferenceInspection["records"] = [];
    for await (const r of readInferenceLog(path, {
      format: format as InferenceFormat,
      displayName: file,
      onQuarantine,
      onWarning,
    })) {
      records.push({ prompt_tokens: r.promptTokens, prompt_ms: r.promptMs, gen_tokens: r.genTokens, gen_ms: r.genMs });
    }
    return { inspection: { kind: "inference", format: format as InferenceFormat, records }, quarantined, warnings };
  }
  const p = await readLmEvalResults(path, { displayName: file });
  return {
    inspection: {
      kind: "accuracy",
      format: "lm-eval-json",
      results: p.results.map((r) => ({ task: r.task, metric: r.metric, value: r.value, stderr: r.stderr, n: r.n })),
    },
    quarantined: p.quarantined,
    warnings: p.warnings,
  };
}

/**
 * Read a run bundle as `ingest` does, writing nothing, and summarise what each inference cost:
 * energy gross and net of idle, split into prefill and decode where the log gives both
 * durations, and joules per prompt / generated token (the column names of `inferences.csv`).
 */
export async function inspectBundle(
  dir: string,
  grid: GridIntensity | null = null,
): Promise<{
  inspection: BundleInspection;
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
  /** The intensity the CO2e figures are at: `grid`, else the one the manifest records, else null. */
  grid: GridIntensity | null;
}> {
  const b = await ingestBundle(dir);
  const used = runGridIntensity(grid, b.manifest);
  return { inspection: bundleInspection(b, used), quarantined: b.quarantined, warnings: b.warnings, grid: used };
}
