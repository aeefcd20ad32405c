import { z } from "zod";
import { isBackend } from "../domain/ids.js";
import { inputError, isSlmError } from "../errors.js";
import { findDevice, findPowerMode, type DeviceCatalog } from "../catalog/devices.js";
import { findModel, type ModelCatalog } from "../catalog/models.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import type { Observation } from "../model/observations.js";
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
