/**
 * The project's calibrated analytical model (`src/model`, `slm-energy predict`) applied to this
 * machine: its device spec (from the probe, or a catalog entry) and a GGUF header give a
 * prediction of one inference — decode and prefill rates, power, energy — for comparison with
 * what the sweep measures, or as the labelled-predicted energy of a run without a power sensor.
 */
import type { DeviceSpec } from "../catalog/devices.js";
import type { GgufHeader } from "../gguf/reader.js";
import type { Calibration } from "../model/calibration.js";
import { familyOfTensorType, modelFromGguf } from "../model/gguf-model.js";
import { hardwareOf } from "../model/hardware.js";
import { predictInference, type PredictReport } from "../model/predict.js";

export type MachinePredictor = (
  header: GgufHeader,
  workload: { promptTokens: number; genTokens: number },
) => PredictReport;

export function machinePredictor(
  calibration: Calibration,
  device: DeviceSpec,
  powerMode: string | null = null,
): MachinePredictor {
  const hardware = hardwareOf(device, "cpu", powerMode);
  return (header, w) => {
    const g = modelFromGguf(header);
    return predictInference({
      calibration,
      hardware,
      model: g.spec,
      inventory: g.inventory,
      quant: g.inventory.quant,
      quantFamily: familyOfTensorType(g.inventory.quant),
      workload: {
        promptTokens: Math.round(w.promptTokens),
        genTokens: Math.round(w.genTokens),
        contextTokens: 0,
        scoring: "generate",
      },
    });
  };
}
