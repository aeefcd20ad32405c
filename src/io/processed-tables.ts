/**
 * The processed tables' wire format (data/processed/: inferences.csv, runs.csv, quarantine.csv,
 * ingest-summary.json): the snake_case column names and the text of each cell, from typed rows.
 */
import { formatCsv } from "./csv.js";
import { jToWh } from "../metrics/units.js";
import { co2eG } from "../metrics/co2e.js";
import { runGridIntensity, type GridIntensity } from "../catalog/grid-intensity.js";
import type { IngestWarning, QuarantineEntry, RowWarning } from "../ingest/types.js";
import { rowWarningText } from "../ingest/warnings.js";
import { formatFloat, formatInt, formatTimeS } from "../ingest/bundle/format.js";
import type { BundleResult, InferenceRow, RunRow } from "../ingest/bundle/result.js";

/** The run's identity columns, in both tables (from the manifest). */
const IDENTITY_COLUMNS = ["device", "backend", "power_mode", "model", "quantization", "runtime", "benchmark"] as const;

/** Columns of `inferences.csv`, one row per inference. */
export const INFERENCE_COLUMNS = [
  "run_id",
  ...IDENTITY_COLUMNS,
  "index",
  "item_id",
  "label",
  "start_s",
  "end_s",
  "placed",
  "prompt_tokens",
  "gen_tokens",
  "prefill_s",
  "decode_s",
  "latency_s",
  "energy_gross_j",
  "energy_net_j",
  "energy_prefill_j",
  "energy_decode_j",
  "energy_prefill_net_j",
  "energy_decode_net_j",
  "j_per_prompt_token",
  "j_per_gen_token",
  "j_per_prompt_token_net",
  "j_per_gen_token_net",
  "mean_power_w",
  "power_coverage",
  "correct",
  "warnings",
  "inference_file",
  "inference_sha256",
  "inference_lines",
  "power_file",
  "power_sha256",
  "power_lines",
] as const;

/** Columns of `runs.csv`, one row per run (bundle): the study's metrics, gross and net of idle. */
export const RUN_COLUMNS = [
  "run_id",
  ...IDENTITY_COLUMNS,
  "meter",
  "simulated",
  "inferences",
  "inferences_with_energy",
  "scored",
  "total_time_s",
  "latency_s",
  "span_s",
  "prompt_tokens",
  "gen_tokens",
  "tokens",
  "tokens_per_s",
  "inferences_per_s",
  "energy_wh",
  "energy_net_wh",
  "energy_per_inference_wh",
  "energy_per_inference_net_wh",
  "edp_js",
  "edp_net_js",
  "edp_per_inference_js",
  "tokens_per_wh",
  "tokens_per_wh_net",
  "inferences_per_wh",
  "inferences_per_wh_net",
  "power_w",
  "power_net_w",
  "idle_power_w",
  "span_energy_wh",
  "energy_prefill_wh",
  "energy_decode_wh",
  "energy_prefill_net_wh",
  "energy_decode_net_wh",
  "j_per_prompt_token",
  "j_per_gen_token",
  "j_per_prompt_token_net",
  "j_per_gen_token_net",
  "tokens_per_j",
  "tokens_per_j_net",
  "accuracy_pct",
  "accuracy_source",
  "quarantined",
  "warnings",
  "sources",
] as const;

/** Columns `runs.csv` adds at its end when ingest is given a grid intensity (--grid-intensity / --region). */
export const RUN_CO2E_COLUMNS = ["co2e_g_per_inference", "co2e_g", "grid_intensity_g_per_kwh", "grid_region"] as const;

/**
 * Columns `inferences.csv` adds at its end with a grid intensity: each inference's CO2e (gross
 * energy) and its prefill and decode phases' (blank where the energy is), and the intensity used.
 */
export const INFERENCE_CO2E_COLUMNS = [
  "co2e_g",
  "co2e_prefill_g",
  "co2e_decode_g",
  "grid_intensity_g_per_kwh",
  "grid_region",
] as const;

export const QUARANTINE_COLUMNS = ["file", "line", "text", "reason"] as const;

export const TABLE_FILES = {
  inferences: "inferences.csv",
  runs: "runs.csv",
  quarantine: "quarantine.csv",
  summary: "ingest-summary.json",
} as const;

const wh = (j: number | null): number | null => (j === null ? null : jToWh(j));
const bool = (b: boolean | null | undefined): string => (b === null || b === undefined ? "" : b ? "true" : "false");
const range = ([a, b]: [number, number]): string => (a === b ? String(a) : `${a}-${b}`);

/** The run's identity columns, shared by inferences.csv and runs.csv. */
function manifestColumns(m: RunRow["manifest"]): Record<(typeof IDENTITY_COLUMNS)[number], string> {
  return {
    device: m.device,
    backend: m.backend,
    power_mode: m.power_mode ?? "",
    model: m.model,
    quantization: m.quantization ?? "",
    runtime: m.runtime,
    benchmark: m.benchmark ?? "",
  };
}

export function inferenceCsvRow(r: InferenceRow, run: RunRow): Record<string, string> {
  const m = run.manifest;
  return {
    run_id: r.runId,
    ...manifestColumns(m),
    index: formatInt(r.index),
    item_id: r.itemId ?? "",
    label: r.label ?? "",
    start_s: formatTimeS(r.startS),
    end_s: formatTimeS(r.endS),
    placed: bool(r.placed),
    prompt_tokens: formatInt(r.promptTokens),
    gen_tokens: formatInt(r.genTokens),
    prefill_s: formatFloat(r.prefillS),
    decode_s: formatFloat(r.decodeS),
    latency_s: formatFloat(r.latencyS),
    energy_gross_j: formatFloat(r.energyGrossJ),
    energy_net_j: formatFloat(r.energyNetJ),
    energy_prefill_j: formatFloat(r.energyPrefillJ),
    energy_decode_j: formatFloat(r.energyDecodeJ),
    energy_prefill_net_j: formatFloat(r.energyPrefillNetJ),
    energy_decode_net_j: formatFloat(r.energyDecodeNetJ),
    j_per_prompt_token: formatFloat(r.jPerPromptToken),
    j_per_gen_token: formatFloat(r.jPerGenToken),
    j_per_prompt_token_net: formatFloat(r.jPerPromptTokenNet),
    j_per_gen_token_net: formatFloat(r.jPerGenTokenNet),
    mean_power_w: formatFloat(r.meanPowerW),
    power_coverage: formatFloat(r.powerCoverage, 6),
    correct: bool(r.correct),
    warnings: r.warnings.map(rowWarningText).join(" | "),
    inference_file: r.inferenceFile,
    inference_sha256: r.inferenceSha256,
    inference_lines: range(r.inferenceLines),
    power_file: r.power.map((p) => p.file).join(";"),
    power_sha256: r.power.map((p) => p.sha256).join(";"),
    power_lines: r.power.map((p) => range(p.lines)).join(";"),
  };
}

export function runCsvRow(b: BundleResult): Record<string, string> {
  const { run } = b;
  const m = run.manifest;
  const g = run.gross;
  const n = run.net;
  return {
    run_id: run.runId,
    ...manifestColumns(m),
    meter: m.meter ?? b.files.find((f) => f.role === "power")?.format ?? "",
    simulated: bool(m.simulated ?? false),
    inferences: formatInt(g.inferences),
    inferences_with_energy: formatInt(run.inferencesWithEnergy),
    scored: formatInt(g.scored),
    total_time_s: formatFloat(g.totalTimeS),
    latency_s: formatFloat(g.latencyS),
    span_s: formatFloat(run.spanS),
    prompt_tokens: formatInt(run.promptTokens),
    gen_tokens: formatInt(run.genTokens),
    tokens: formatInt(g.tokens),
    tokens_per_s: formatFloat(g.tokensPerS),
    inferences_per_s: formatFloat(g.inferencesPerS),
    energy_wh: formatFloat(g.energyWh),
    energy_net_wh: formatFloat(n?.energyWh ?? null),
    energy_per_inference_wh: formatFloat(g.energyPerInferenceWh),
    energy_per_inference_net_wh: formatFloat(n?.energyPerInferenceWh ?? null),
    edp_js: formatFloat(g.edpJs),
    edp_net_js: formatFloat(n?.edpJs ?? null),
    edp_per_inference_js: formatFloat(g.edpPerInferenceJs),
    tokens_per_wh: formatFloat(g.tokensPerWh),
    tokens_per_wh_net: formatFloat(n?.tokensPerWh ?? null),
    inferences_per_wh: formatFloat(g.inferencesPerWh),
    inferences_per_wh_net: formatFloat(n?.inferencesPerWh ?? null),
    power_w: formatFloat(g.powerW),
    power_net_w: formatFloat(n?.powerW ?? null),
    idle_power_w: formatFloat(run.idlePowerW),
    span_energy_wh: formatFloat(run.spanEnergyJ === null ? null : jToWh(run.spanEnergyJ)),
    energy_prefill_wh: formatFloat(wh(run.prefillEnergyJ)),
    energy_decode_wh: formatFloat(wh(run.decodeEnergyJ)),
    energy_prefill_net_wh: formatFloat(wh(run.prefillEnergyNetJ)),
    energy_decode_net_wh: formatFloat(wh(run.decodeEnergyNetJ)),
    j_per_prompt_token: formatFloat(run.jPerPromptToken),
    j_per_gen_token: formatFloat(run.jPerGenToken),
    j_per_prompt_token_net: formatFloat(run.jPerPromptTokenNet),
    j_per_gen_token_net: formatFloat(run.jPerGenTokenNet),
    tokens_per_j: formatFloat(run.tokensPerJ),
    tokens_per_j_net: formatFloat(run.tokensPerJNet),
    accuracy_pct: formatFloat(run.accuracyPct),
    accuracy_source: run.accuracySource ?? "",
    quarantined: formatInt(run.quarantined),
    warnings: formatInt(run.warnings),
    sources: b.files.map((f) => `${f.role}:${f.name}@sha256:${f.sha256}`).join(";"),
  };
}

/** The CO2e cells of a run at grid intensity `g`: per inference and per run, from the gross energy. */
export function runCo2eCells(b: BundleResult, g: GridIntensity): Record<(typeof RUN_CO2E_COLUMNS)[number], string> {
  const at = (energyWh: number | null) => (energyWh === null ? null : co2eG(energyWh, g.intensityGCo2ePerKwh));
  return {
    co2e_g_per_inference: formatFloat(at(b.run.gross.energyPerInferenceWh)),
    co2e_g: formatFloat(at(b.run.gross.energyWh)),
    grid_intensity_g_per_kwh: formatFloat(g.intensityGCo2ePerKwh),
    grid_region: g.region ?? "",
  };
}

/** The CO2e cells of one inference at grid intensity `g`, from its gross and phase energies. */
export function inferenceCo2eCells(
  r: InferenceRow,
  g: GridIntensity,
): Record<(typeof INFERENCE_CO2E_COLUMNS)[number], string> {
  const at = (energyJ: number | null) => (energyJ === null ? null : co2eG(jToWh(energyJ), g.intensityGCo2ePerKwh));
  return {
    co2e_g: formatFloat(at(r.energyGrossJ)),
    co2e_prefill_g: formatFloat(at(r.energyPrefillJ)),
    co2e_decode_g: formatFloat(at(r.energyDecodeJ)),
    grid_intensity_g_per_kwh: formatFloat(g.intensityGCo2ePerKwh),
    grid_region: g.region ?? "",
  };
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortQuarantine(entries: readonly QuarantineEntry[]): QuarantineEntry[] {
  return [...entries].sort(
    (a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.reason, b.reason) || cmp(a.text, b.text),
  );
}

const snakeCase = (k: string): string =>
  k === "channel" ? "power_file" : k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A warning as the summary JSON holds it: its code, where it points, its numbers (snake_case) and its message. */
function warningJson(
  w: IngestWarning | RowWarning,
  where: { file: string; line: number | null; inference?: number },
): Record<string, unknown> {
  const { code, message, ...rest } = w as Record<string, unknown> & { code: string; message: string };
  const data = Object.entries(rest).filter(([k]) => k !== "file" && k !== "line");
  return {
    code,
    file: where.file,
    line: where.line,
    ...(where.inference === undefined ? {} : { inference: where.inference }),
    ...Object.fromEntries(data.map(([k, v]) => [snakeCase(k), v])),
    message,
  };
}

/** Every warning of a run, run-level first, then each inference's, each with its code. */
function runWarningsJson(b: BundleResult): Record<string, unknown>[] {
  return [
    ...b.warnings.map((w) => warningJson(w, w)),
    ...b.inferences.flatMap((r) =>
      r.warnings.map((w) => warningJson(w, { file: r.inferenceFile, line: r.inferenceLines[0], inference: r.index })),
    ),
  ];
}

/** The JSON summary of an ingestion: per run, what was read, kept, quarantined and warned. */
export function ingestSummary(results: readonly BundleResult[]): Record<string, unknown> {
  return {
    schema: "slm-energy/ingest-summary@2",
    tables: { ...TABLE_FILES },
    runs: results.map((b) => ({
      run_id: b.runId,
      device: b.manifest.device,
      backend: b.manifest.backend,
      model: b.manifest.model,
      benchmark: b.manifest.benchmark,
      simulated: b.manifest.simulated ?? false,
      inferences: b.inferences.length,
      inferences_with_energy: b.run.inferencesWithEnergy,
      energy_wh: b.run.gross.energyWh,
      energy_net_wh: b.run.net?.energyWh ?? null,
      latency_s: b.run.gross.latencyS,
      idle_power_w: b.run.idlePowerW,
      accuracy_pct: b.run.accuracyPct,
      quarantined: b.quarantined.length,
      warnings: runWarningsJson(b),
      files: b.files.map((f) => ({
        role: f.role,
        file: f.name,
        format: f.format,
        sha256: f.sha256,
        ...(f.totalRule === undefined ? {} : { total_rule: f.totalRule }),
      })),
    })),
    totals: {
      runs: results.length,
      inferences: results.reduce((s, b) => s + b.inferences.length, 0),
      quarantined: results.reduce((s, b) => s + b.quarantined.length, 0),
      warnings: results.reduce((s, b) => s + b.run.warnings, 0),
    },
  };
}

/** The text of `quarantine.csv` for these entries (sorted by file, line, reason). */
export function renderQuarantine(entries: readonly QuarantineEntry[]): string {
  const rows = sortQuarantine(entries).map((q) => ({
    file: q.file,
    line: String(q.line),
    text: q.text,
    reason: q.reason,
  }));
  return formatCsv(QUARANTINE_COLUMNS, rows);
}

/**
 * Text of every processed table (deterministic: sorted, fixed number formats, no clock time). With
 * a grid intensity — `grid`, else the one a run's manifest records (`measure --grid-intensity`) —
 * `runs.csv` and `inferences.csv` end with their CO2e columns (RUN_CO2E_COLUMNS,
 * INFERENCE_CO2E_COLUMNS), empty for a run without one; when no run has one they have none.
 */
export function renderTables(
  results: readonly BundleResult[],
  grid: GridIntensity | null = null,
): Record<keyof typeof TABLE_FILES, string> {
  const grids = results.map((b) => runGridIntensity(grid, b.manifest));
  const withCo2e = grids.some((g) => g !== null);
  const noRun = Object.fromEntries(RUN_CO2E_COLUMNS.map((c) => [c, ""]));
  const noInference = Object.fromEntries(INFERENCE_CO2E_COLUMNS.map((c) => [c, ""]));
  const inferences = results.flatMap((b, i) => {
    const g = grids[i]!;
    return b.inferences.map((r) =>
      withCo2e
        ? { ...inferenceCsvRow(r, b.run), ...(g === null ? noInference : inferenceCo2eCells(r, g)) }
        : inferenceCsvRow(r, b.run),
    );
  });
  const runs = results.map((b, i) => {
    const g = grids[i]!;
    return withCo2e ? { ...runCsvRow(b), ...(g === null ? noRun : runCo2eCells(b, g)) } : runCsvRow(b);
  });
  return {
    inferences: formatCsv(withCo2e ? [...INFERENCE_COLUMNS, ...INFERENCE_CO2E_COLUMNS] : INFERENCE_COLUMNS, inferences),
    runs: formatCsv(withCo2e ? [...RUN_COLUMNS, ...RUN_CO2E_COLUMNS] : RUN_COLUMNS, runs),
    quarantine: renderQuarantine(results.flatMap((b) => b.quarantined)),
    summary: JSON.stringify(ingestSummary(results), null, 2) + "\n",
  };
}

/**
 * Per-inference rows with numbers as numbers (for notebooks and frames): the main columns of
 * `inferences.csv`, energy in J, times in s.
 */
export function inferenceDisplayRows(
  results: readonly BundleResult[],
): Record<string, string | number | boolean | null>[] {
  return results.flatMap((b) =>
    b.inferences.map((r) => ({
      run_id: r.runId,
      index: r.index,
      prompt_tokens: r.promptTokens,
      gen_tokens: r.genTokens,
      prefill_s: r.prefillS,
      decode_s: r.decodeS,
      latency_s: r.latencyS,
      energy_gross_j: r.energyGrossJ,
      energy_net_j: r.energyNetJ,
      mean_power_w: r.meanPowerW,
      correct: r.correct,
      power_lines: r.power.map((p) => `${p.lines[0]}-${p.lines[1]}`).join(";"),
    })),
  );
}

/** Per-run rows with numbers as numbers: the study's metrics, gross and net of idle. */
export function runDisplayRows(results: readonly BundleResult[]): Record<string, string | number | null>[] {
  return results.map((b) => ({
    run_id: b.runId,
    platform: `${b.manifest.device}/${b.manifest.backend}`,
    model: b.manifest.model,
    benchmark: b.manifest.benchmark,
    inferences: b.run.gross.inferences,
    latency_s: b.run.gross.latencyS,
    energy_wh: b.run.gross.energyWh,
    energy_net_wh: b.run.net?.energyWh ?? null,
    edp_js: b.run.gross.edpJs,
    tokens_per_s: b.run.gross.tokensPerS,
    tokens_per_wh: b.run.gross.tokensPerWh,
    inferences_per_wh: b.run.gross.inferencesPerWh,
    power_w: b.run.gross.powerW,
    idle_power_w: b.run.idlePowerW,
    accuracy_pct: b.run.accuracyPct,
    quarantined: b.quarantined.length,
  }));
}
