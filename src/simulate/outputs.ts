/**
 * Files the main job (`reproduce`) writes from the simulator: the sampling study's table and the
 * bundled simulated raw runs ingested into `data/processed/`, with how far ingestion landed from
 * each bundle's truth.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { ingestBundles, type BundleResult } from "../pipeline/ingest/bundle.js";
import { writeTables } from "../pipeline/ingest/tables.js";
import type { Written } from "../report/write.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { formatCsv } from "../util/csv.js";
import { METER_IDS } from "./meters/types.js";
import { TRUTH_FILE, type SimulationTruth } from "./simulate.js";
import { runSamplingStudy, studyRates, STUDY_LENGTHS_S, type SamplingStudy } from "./study.js";

export const RAW_DIR = "data/raw";
export const PROCESSED_DIR = "data/processed";
export const SAMPLING_STUDY_TABLE = "figures/tables/sampling-study";
export const RAW_VS_TRUTH_FILE = "simulated-vs-truth.csv";

export const SAMPLING_COLUMNS = [
  "meter",
  "sample_hz",
  "inference_s",
  "inferences",
  "median_abs_err_pct",
  "p95_abs_err_pct",
  "max_abs_err_pct",
  "bias_pct",
  "run_total_err_pct",
  "bound_median_pct",
] as const;

export function samplingStudyCsv(s: SamplingStudy): string {
  return formatCsv(
    SAMPLING_COLUMNS,
    s.cells.map((c) => ({
      meter: c.meter,
      sample_hz: c.sampleHz,
      inference_s: c.inferenceS,
      inferences: c.inferences,
      median_abs_err_pct: c.medianAbsErrPct,
      p95_abs_err_pct: c.p95AbsErrPct,
      max_abs_err_pct: c.maxAbsErrPct,
      bias_pct: c.biasPct,
      run_total_err_pct: c.runTotalErrPct,
      bound_median_pct: c.boundPct,
    })),
  );
}

const fmtPct = (x: number): string => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));

/** The rules of thumb, then per meter a rate × length grid of the 95th-percentile error. */
export function samplingStudyMarkdown(s: SamplingStudy): string {
  const out: string[] = [
    "# Sampling study: energy error vs sampling rate and inference length",
    "",
    "SIMULATED (`slm-energy sampling-study`): how far a measured per-inference energy is from the truth, per meter.",
    "",
    ...s.assumptions.map((a) => `- ${a}`),
    "",
    "## Rules of thumb (95th percentile of |error| of single inferences)",
    "",
  ];
  for (const r of s.rules.filter((r) => r.sampleHz === 1 && r.thresholdPct === 5)) out.push(`- ${r.sentence}`);
  out.push(
    "",
    "| meter | rate (Hz) | > 1 % below (s) | > 5 % below (s) | > 10 % below (s) |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const m of METER_IDS) {
    for (const hz of studyRates(m)) {
      const cell = (th: number) => {
        const r = s.rules.find((x) => x.meter === m && x.sampleHz === hz && x.thresholdPct === th);
        if (!r) return "";
        return r.shorterThanS === null
          ? `> ${STUDY_LENGTHS_S[STUDY_LENGTHS_S.length - 1]}`
          : r.shorterThanS === 0
            ? "—"
            : String(r.shorterThanS);
      };
      if (s.rules.some((x) => x.meter === m && x.sampleHz === hz))
        out.push(`| ${m} | ${hz} | ${cell(1)} | ${cell(5)} | ${cell(10)} |`);
    }
  }
  out.push(
    "",
    '"> 5 % below 2": inferences shorter than 2 s are off by more than 5 %; "—": even the shortest studied are within it.',
    "",
  );
  for (const m of METER_IDS) {
    const cells = s.cells.filter((c) => c.meter === m);
    if (cells.length === 0) continue;
    const lengths = [...new Set(cells.map((c) => c.inferenceS))].sort((a, b) => a - b);
    out.push(
      `## ${m}: 95th-percentile |error| (%) by rate and inference length (bias in the run total in brackets)`,
      "",
    );
    out.push(
      `| rate (Hz) | ${lengths.map((l) => `${l} s`).join(" | ")} |`,
      `| ---: | ${lengths.map(() => "---:").join(" | ")} |`,
    );
    for (const hz of [...new Set(cells.map((c) => c.sampleHz))].sort((a, b) => a - b)) {
      const row = lengths.map((l) => {
        const c = cells.find((x) => x.sampleHz === hz && x.inferenceS === l);
        return c
          ? `${fmtPct(c.p95AbsErrPct)} (${c.runTotalErrPct >= 0 ? "+" : "−"}${fmtPct(Math.abs(c.runTotalErrPct))})`
          : "";
      });
      out.push(`| ${hz} | ${row.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** Run the sampling study and write its table (CSV and Markdown) under `figures/tables/`. */
export async function writeSamplingStudy(root: string, study: SamplingStudy = runSamplingStudy()): Promise<Written[]> {
  const base = join(root, SAMPLING_STUDY_TABLE);
  return [
    { path: `${SAMPLING_STUDY_TABLE}.csv`, changed: writeFileAtomic(`${base}.csv`, samplingStudyCsv(study)) },
    { path: `${SAMPLING_STUDY_TABLE}.md`, changed: writeFileAtomic(`${base}.md`, samplingStudyMarkdown(study)) },
  ];
}

/** Bundle folders under data/raw (each holding a manifest.json), sorted. */
export function bundledRawDirs(root: string): string[] {
  const dir = join(root, RAW_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, "manifest.json")))
    .sort()
    .map((n) => join(dir, n));
}

const VS_COLUMNS = [
  "run_id",
  "meter",
  "runtime",
  "sample_hz",
  "inferences",
  "energy_true_j",
  "energy_ingested_j",
  "energy_err_pct",
  "energy_bound_j",
  "within_bound",
  "span_energy_true_j",
  "span_energy_ingested_j",
  "span_energy_err_pct",
  "latency_true_s",
  "latency_ingested_s",
  "tokens_true",
  "tokens_ingested",
] as const;

/** One row per simulated bundle: ingested run totals against its truth.json. */
export function simulatedVsTruth(results: readonly BundleResult[], dirs: readonly string[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  results.forEach((b) => {
    const dir = dirs.find((d) => basename(d) === b.runId);
    if (!dir || !existsSync(join(dir, TRUTH_FILE))) return;
    const t = JSON.parse(readFileSync(join(dir, TRUTH_FILE), "utf8")) as SimulationTruth;
    // Energy per record × its repetitions (llama-bench), over the records that got an energy.
    const pairs = b.inferences
      .filter((r) => r.energyGrossJ !== null)
      .map((r) => ({ r, t: t.inferences.find((x) => x.index === r.index) }))
      .filter((p): p is { r: (typeof p)["r"]; t: NonNullable<(typeof p)["t"]> } => p.t !== undefined);
    const trueJ = pairs.reduce((s, p) => s + p.t.energyJ * p.t.repetitions, 0);
    const gotJ = pairs.reduce((s, p) => s + p.r.energyGrossJ! * p.t.repetitions, 0);
    const boundJ = pairs.reduce((s, p) => s + p.t.energyToleranceJ * p.t.repetitions, 0);
    rows.push({
      run_id: b.runId,
      meter: t.meter.id,
      runtime: t.runtime,
      sample_hz: t.request.sampleHz,
      inferences: b.inferences.length,
      energy_true_j: Number(trueJ.toPrecision(8)),
      energy_ingested_j: Number(gotJ.toPrecision(8)),
      energy_err_pct: Number(((100 * (gotJ - trueJ)) / trueJ).toPrecision(4)),
      energy_bound_j: Number(boundJ.toPrecision(6)),
      within_bound: Math.abs(gotJ - trueJ) <= boundJ,
      span_energy_true_j: Number(t.totals.span_energy_j.toPrecision(8)),
      span_energy_ingested_j: b.run.spanEnergyJ === null ? null : Number(b.run.spanEnergyJ.toPrecision(8)),
      span_energy_err_pct:
        b.run.spanEnergyJ === null
          ? null
          : Number(((100 * (b.run.spanEnergyJ - t.totals.span_energy_j)) / t.totals.span_energy_j).toPrecision(4)),
      latency_true_s: Number(t.totals.latency_s.toPrecision(8)),
      latency_ingested_s: Number(b.inferences.reduce((s, r) => s + r.latencyS, 0).toPrecision(8)),
      tokens_true: t.totals.tokens,
      tokens_ingested: b.inferences.reduce((s, r) => s + (r.promptTokens ?? 0) + (r.genTokens ?? 0), 0),
    });
  });
  return rows;
}

/**
 * Ingest every bundle under `data/raw/` into `data/processed/` (inferences.csv, runs.csv,
 * quarantine.csv, ingest-summary.json) and write `simulated-vs-truth.csv` for those with a
 * truth.json. Idempotent: unchanged files are not rewritten.
 */
export async function ingestBundledRaw(root: string): Promise<Written[]> {
  const dirs = bundledRawDirs(root);
  if (dirs.length === 0) return [];
  const results = await ingestBundles(dirs);
  const out = join(root, PROCESSED_DIR);
  const written: Written[] = writeTables(out, results).map((w) => ({
    path: relative(root, w.path),
    changed: w.changed,
  }));
  const vs = join(out, RAW_VS_TRUTH_FILE);
  written.push({
    path: relative(root, vs),
    changed: writeFileAtomic(vs, formatCsv(VS_COLUMNS, simulatedVsTruth(results, dirs))),
  });
  return written;
}

/**
 * The README's sampling-study conclusion, generated from the study: the 1 Hz rule of thumb per
 * meter, what a 50 ms inference looks like at 1 Hz, and the rate each meter needs for 1 s
 * inferences to be within 5 %.
 */
export function samplingFindingsMarkdown(s: SamplingStudy): string {
  const lines: string[] = [];
  const at1 = s.rules.filter((r) => r.sampleHz === 1 && r.thresholdPct === 5);
  lines.push(
    `- **At 1 Hz** (95th percentile of single-inference error): ${at1.map((r) => r.sentence.replace(/ \(95th percentile\)$/, "")).join("; ")}.`,
  );
  const shortest = Math.min(...s.cells.map((c) => c.inferenceS));
  const short = s.cells.filter((c) => c.sampleHz === 1 && c.inferenceS === shortest);
  if (short.length) {
    const worst = short.reduce((a, b) => (b.p95AbsErrPct > a.p95AbsErrPct ? b : a));
    lines.push(
      `- **A ${shortest * 1000} ms inference at 1 Hz** is off by up to ${worst.p95AbsErrPct.toFixed(0)} % (${worst.meter}, 95th percentile; mean bias ${worst.biasPct.toFixed(0)} %). ` +
        "The bias does not average out over a run: divide a whole run's energy by its inferences instead of summing per-inference windows.",
    );
  }
  const need: string[] = [];
  for (const m of METER_IDS) {
    const ok = s.rules
      .filter((r) => r.meter === m && r.thresholdPct === 5 && r.shorterThanS !== null && r.shorterThanS <= 1)
      .sort((a, b) => a.sampleHz - b.sampleHz)[0];
    need.push(ok ? `${m} ${ok.sampleHz} Hz` : `${m} not within the rates studied`);
  }
  lines.push(`- **Rate needed for 1 s inferences within 5 %**: ${need.join(", ")}.`);
  lines.push(
    "- Simulated (board idling at 3 W, 9 W while running); full table in [`figures/tables/sampling-study.md`](figures/tables/sampling-study.md), figure `figures/sampling-study.svg`.",
  );
  return lines.join("\n") + "\n";
}
