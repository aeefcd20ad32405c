import { hardwareOf } from "./hardware.js";
import { predictInference, type PredictReport } from "./predict.js";
import { inventoryFromArchitecture } from "./tensors.js";
import type { Calibration } from "./calibration.js";
import type { PredictWorkload } from "./predict-calibrated.js";
import type { DeviceCatalog } from "../catalog/devices.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import type { ModelSpec } from "../catalog/models.js";
import { BACKENDS } from "../domain/ids.js";

/**
 * A what-if grid: one model at one quantization on every board, backend and power mode of the
 * catalog, for one workload. Each row carries the full prediction (interval, transfers, memory fit,
 * warnings).
 */
export interface WhatIfRow {
  device: string;
  backend: string;
  powerMode: string;
  report: PredictReport;
}

export function whatIfGrid(
  cal: Calibration,
  devices: DeviceCatalog,
  quants: QuantCatalog,
  model: ModelSpec,
  quant: string,
  workload: PredictWorkload,
): WhatIfRow[] {
  const ft = findFileType(quants, quant);
  const inventory = inventoryFromArchitecture(model.architecture, ft.name, quants);
  const rows: WhatIfRow[] = [];
  for (const d of devices.devices) {
    for (const backend of BACKENDS) {
      if (backend === "gpu" && !d.gpu) continue;
      for (const m of d.powerModes) {
        if (backend === "gpu" && m.gpuMaxClockMHz === null) continue;
        const hardware = hardwareOf(d, backend, m.id);
        rows.push({
          device: d.id,
          backend,
          powerMode: m.id,
          report: predictInference({
            calibration: cal,
            hardware,
            model,
            inventory,
            quant: ft.name,
            quantFamily: ft.family,
            workload,
          }),
        });
      }
    }
  }
  return rows;
}
