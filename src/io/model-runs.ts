import { z } from "zod";
import { isBackend } from "../domain/ids.js";
import { inputError, isSlmError } from "../errors.js";
import { findDevice, findPowerMode, type DeviceCatalog } from "../catalog/devices.js";
import { findModel, type ModelCatalog } from "../catalog/models.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import type { Observation } from "../model/observations.js";
import { averagePowerW } from "../metrics/energy.js";
import { whToJ } from "../metrics/units.js";
import { parseCsv, type CsvRecord } from "./csv.js";
import { cell } from "./csv-rows.js";

/**
 * Ingested runs (`data/processed/runs.csv`, written by `slm-energy ingest`) as the model's
 * observations. A row the model cannot use (no energy, an unknown device or model, a simulated run
 * unless allowed) is rejected with its file, line and reason — never silently dropped.
 */
export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
}

/**
 * Sanity bounds on a run row, not claims about any board: a mean power over 10 kW over the
 * latency (energy × 3600 / latency) or a latency over a year is no measurement of one inference
 * on any machine this tool models, but a corrupt or hand-edited cell (1e308); such a row is
 * rejected, so a calibration never fits (and writes nulls from) overflowing numbers.
 */
const MAX_MEAN_POWER_W = 10_000;
const MAX_LATENCY_S = 365 * 24 * 3600;

/** The columns the model reads from runs.csv (the rest are optional). */
const RunRow = z.object({
  device: cell.text(),
  backend: cell.text(),
  model: cell.text(),
  benchmark: cell.text(),
  inferences: cell.number({ min: 1, integer: true }),
  latency_s: cell.optionalNumber({ min: 0 }),
  energy_per_inference_wh: cell.optionalNumber({ min: 0 }),
});
const REQUIRED = Object.keys(RunRow.shape);

export interface RunsCatalogs {
  devices: DeviceCatalog;
  models: ModelCatalog;
  quants: QuantCatalog;
  quantByModel: Record<string, string>;
}

/** Tokens per inference from a run's total, or null when the run does not state them. */
function tokensPerInference(rec: CsvRecord, file: string, k: string, inferences: number): number | null {
  const v = (rec.values[k] ?? "").trim();
  if (v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw inputError(`expected a token count`, { file, line: rec.line, field: k, text: v });
  return n / inferences;
}

/** One row as an observation, a reason to reject it, or an input error. */
function observationOf(
  rec: CsvRecord,
  file: string,
  catalogs: RunsCatalogs,
  allowSimulated: boolean,
): Observation | string {
  const parsed = RunRow.safeParse(rec.values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError(issue.message, { file, line: rec.line, field: String(issue.path[0] ?? "") });
  }
  const r = parsed.data;
  if (!isBackend(r.backend))
    throw inputError(`backend must be cpu or gpu`, { file, line: rec.line, field: "backend", text: r.backend });
  if ((rec.values.simulated ?? "").trim() === "true" && !allowSimulated)
    return "simulated run (pass --allow-simulated to calibrate on simulated data)";
  if (r.latency_s === null || r.latency_s <= 0) return "no latency";
  if (r.energy_per_inference_wh === null || r.energy_per_inference_wh <= 0)
    return "no energy per inference (the run had no power log covering its inferences)";
  if (r.latency_s > MAX_LATENCY_S) return `latency_s ${r.latency_s} is over a year per inference: not a measurement`;
  const energyJ = whToJ(r.energy_per_inference_wh);
  const powerW = Number.isFinite(energyJ) ? averagePowerW(energyJ, r.latency_s) : Infinity;
  if (!Number.isFinite(powerW) || powerW > MAX_MEAN_POWER_W) {
    return (
      `energy_per_inference_wh ${r.energy_per_inference_wh} over latency_s ${r.latency_s} is a mean power of ` +
      `${powerW.toPrecision(3)} W (over ${MAX_MEAN_POWER_W} W): not a measurement`
    );
  }
  const device = findDevice(catalogs.devices, r.device);
  const mode = findPowerMode(device, (rec.values.power_mode ?? "").trim() || null);
  findModel(catalogs.models, r.model);
  const quantText = (rec.values.quantization ?? "").trim() || catalogs.quantByModel[r.model];
  if (!quantText)
    throw inputError(`no quantization for model ${r.model}`, { file, line: rec.line, field: "quantization" });
  return {
    device: device.id,
    backend: r.backend,
    powerMode: mode.id,
    model: r.model,
    quant: findFileType(catalogs.quants, quantText).name,
    benchmark: r.benchmark,
    latencyS: r.latency_s,
    energyWh: r.energy_per_inference_wh,
    inferences: r.inferences,
    reportedTokensPerInference: null,
    promptTokens: tokensPerInference(rec, file, "prompt_tokens", r.inferences),
    genTokens: tokensPerInference(rec, file, "gen_tokens", r.inferences),
    source: `${file}:${rec.line}${rec.values.run_id ? ` (run ${rec.values.run_id})` : ""}`,
  };
}

export function observationsFromRunsCsv(
  csv: string,
  file: string,
  catalogs: RunsCatalogs,
  options: { allowSimulated?: boolean } = {},
): { observations: Observation[]; rejected: RejectedRow[] } {
  const table = parseCsv(csv, file);
  for (const col of REQUIRED) {
    if (!table.header.includes(col)) {
      throw inputError(`missing column "${col}"`, {
        file,
        line: 1,
        field: col,
        hint: "pass a runs.csv written by `slm-energy ingest`",
      });
    }
  }
  const observations: Observation[] = [];
  const rejected: RejectedRow[] = [];
  for (const rec of table.records) {
    try {
      const o = observationOf(rec, file, catalogs, options.allowSimulated ?? false);
      if (typeof o === "string") rejected.push({ file, line: rec.line, reason: o });
      else observations.push(o);
    } catch (e) {
      if (!isSlmError(e)) throw e;
      rejected.push({ file, line: rec.line, reason: e.message + (e.field ? ` (field ${e.field})` : "") });
    }
  }
  return { observations, rejected };
}
