import { isBackend, type Backend } from "../domain/ids.js";
import { inputError, isSlmError } from "../errors.js";
import { findDevice, findPowerMode, type DeviceCatalog } from "../catalog/devices.js";
import { findModel, type ModelCatalog } from "../catalog/models.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import { parseCsv } from "../util/csv.js";
import { f, parseRow } from "../schema/fields.js";
import type { Observation } from "./observations.js";

/**
 * Ingested runs (`data/processed/runs.csv`, written by `slm-energy ingest`) as observations.
 * A row the model cannot use (no energy, an unknown device or model, a simulated run unless
 * allowed) is rejected with its file, line and reason — never silently dropped.
 */
export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
}

const REQUIRED = {
  device: f.string(),
  backend: f.string(),
  model: f.string(),
  benchmark: f.string(),
  inferences: f.number({ min: 1, integer: true }),
  latency_s: f.optionalNumber({ min: 0 }),
  energy_per_inference_wh: f.optionalNumber({ min: 0 }),
};

export function observationsFromRunsCsv(
  text: string,
  file: string,
  catalogs: {
    devices: DeviceCatalog;
    models: ModelCatalog;
    quants: QuantCatalog;
    quantByModel: Record<string, string>;
  },
  options: { allowSimulated?: boolean } = {},
): { observations: Observation[]; rejected: RejectedRow[] } {
  const table = parseCsv(text, file);
  for (const col of Object.keys(REQUIRED)) {
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
    const reject = (reason: string) => rejected.push({ file, line: rec.line, reason });
    try {
      const r = parseRow(REQUIRED, rec.values, file, rec.line);
      if (!isBackend(r.backend))
        throw inputError(`backend must be cpu or gpu`, { file, line: rec.line, field: "backend", text: r.backend });
      if ((rec.values.simulated ?? "").trim() === "true" && !options.allowSimulated) {
        reject("simulated run (pass --allow-simulated to calibrate on simulated data)");
        continue;
      }
      if (r.latency_s === null || r.latency_s <= 0) {
        reject("no latency");
        continue;
      }
      if (r.energy_per_inference_wh === null || r.energy_per_inference_wh <= 0) {
        reject("no energy per inference (the run had no power log covering its inferences)");
        continue;
      }
      const device = findDevice(catalogs.devices, r.device);
      const mode = findPowerMode(device, (rec.values.power_mode ?? "").trim() || null);
      findModel(catalogs.models, r.model);
      const quantText = (rec.values.quantization ?? "").trim() || catalogs.quantByModel[r.model];
      if (!quantText)
        throw inputError(`no quantization for model ${r.model}`, { file, line: rec.line, field: "quantization" });
      const quant = findFileType(catalogs.quants, quantText).name;
      const tok = (k: string): number | null => {
        const v = (rec.values[k] ?? "").trim();
        if (v === "") return null;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0)
          throw inputError(`expected a token count`, { file, line: rec.line, field: k, text: v });
        return n / r.inferences;
      };
      const promptTokens = tok("prompt_tokens");
      const genTokens = tok("gen_tokens");
      observations.push({
        device: device.id,
        backend: r.backend as Backend,
        powerMode: mode.id,
        model: r.model,
        quant,
        benchmark: r.benchmark,
        latencyS: r.latency_s,
        energyWh: r.energy_per_inference_wh,
        inferences: r.inferences,
        reportedTokensPerInference: null,
        promptTokens,
        genTokens,
        source: `${file}:${rec.line}${rec.values.run_id ? ` (run ${rec.values.run_id})` : ""}`,
      });
    } catch (e) {
      if (!isSlmError(e)) throw e;
      reject(e.message + (e.field ? ` (field ${e.field})` : ""));
    }
  }
  return { observations, rejected };
}
