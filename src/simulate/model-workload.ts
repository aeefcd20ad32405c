/**
 * The simulator's truth from the calibrated analytical model (`src/model/`, issue 5): latency split
 * into prefill and decode (+ per-inference overhead, spent at decode power as the model books it),
 * tokens per inference, and mean power, for any catalog device, power mode, model and
 * quantization — not only the cells the paper measured. The model predicts the mean board power
 * of an inference; as with the paper source, decode draws 20 % less active power than prefill and
 * the two give the predicted mean exactly. Idle power is the same assumption as the paper source.
 */
import { join } from "node:path";
import { findPowerMode, type DeviceSpec } from "../catalog/devices.js";
import { paperQuant, type ModelSpec } from "../catalog/models.js";
import { findFileType } from "../catalog/quantization.js";
import { loadQuantCatalog } from "../io/catalog/quantization.js";
import { isBackend, isBenchmark, isDeviceId } from "../domain/ids.js";
import { usageError } from "../errors.js";
import { requestError } from "./errors.js";
import { PATHS } from "../pipeline/paths.js";
import { loadCalibration } from "../io/calibration.js";
import { hardwareOf } from "../model/hardware.js";
import { predictInference } from "../model/predict.js";
import { inventoryFromArchitecture } from "../model/tensors.js";
import { IDLE_POWER_W, type SimWorkloadRequest, type WorkloadTruth } from "./workload.js";

/** The calibration the simulator uses (the paper calibration committed by issue 5). */
export const SIM_CALIBRATION = PATHS.paperCalibration;

export function modelWorkload(
  root: string,
  device: DeviceSpec,
  model: ModelSpec,
  req: SimWorkloadRequest,
): WorkloadTruth {
  if (!isDeviceId(device.id))
    throw requestError("device", device.id, "the simulator writes logs for the catalog boards only");
  if (!isBackend(req.backend)) throw requestError("backend", req.backend, "use cpu or gpu");
  if (!isBenchmark(req.benchmark)) throw requestError("benchmark", req.benchmark, "use mmlu, hellaswag or winogrande");
  const powerMode = findPowerMode(
    device,
    req.powerMode ?? device.paperPowerMode?.powerMode ?? device.defaultPowerMode,
  ).id;
  const quants = loadQuantCatalog(root);
  if (!req.quantization && !model.paperProfile)
    throw requestError("quantization", undefined, `a quantization is required for ${model.id}`, "e.g. Q4_K_M");
  const ft = findFileType(quants, req.quantization ?? paperQuant(model));
  const calibration = loadCalibration(join(root, SIM_CALIBRATION));
  const report = predictInference({
    calibration,
    hardware: hardwareOf(device, req.backend, powerMode),
    model,
    inventory: inventoryFromArchitecture(model.architecture, ft.name, quants),
    quant: ft.name,
    quantFamily: ft.family,
    workload: { benchmark: req.benchmark },
  });
  const latencyS = report.latencyS;
  const prefillS = report.prefillS;
  // Overhead (tokenisation, sampling, scheduling) is booked at decode power by the model.
  const decodeS = latencyS - prefillS;
  if (!(latencyS > 0) || !(prefillS >= 0) || !(decodeS >= 0)) {
    throw usageError(
      `the calibrated model predicts no usable timing for ${device.id}/${req.backend} ${model.id} on ` +
        `${req.benchmark} (latency ${latencyS} s)`,
    );
  }
  const meanPowerW = report.powerW;
  const idlePowerW = Math.min(IDLE_POWER_W[device.id], 0.5 * meanPowerW);
  const activeW = meanPowerW - idlePowerW;
  const x = (activeW * latencyS) / (prefillS + 0.8 * decodeS);
  return {
    device: device.id,
    backend: req.backend,
    powerMode,
    model: model.id as WorkloadTruth["model"],
    quantization: ft.name,
    benchmark: req.benchmark,
    promptTokens: Math.max(1, Math.round(report.workload.promptTokens)),
    genTokens: Math.round(report.workload.genTokens),
    prefillS,
    decodeS,
    prefillPowerW: idlePowerW + x,
    decodePowerW: idlePowerW + 0.8 * x,
    idlePowerW,
    source:
      `calibrated model ${SIM_CALIBRATION} ("${report.inputs.calibration}") for ${device.id}/${req.backend} ` +
      `${powerMode} ${model.id} ${ft.name} on ${req.benchmark}: ` +
      `latency ${latencyS.toPrecision(4)} s (prefill ${prefillS.toPrecision(4)} s, ` +
      `${report.bound.prefill}-bound; decode+overhead ${decodeS.toPrecision(4)} s), ` +
      `mean power ${meanPowerW.toPrecision(4)} W; ${report.workload.promptTokens.toFixed(0)} prompt tokens ` +
      `(${report.workload.scoring}), ${report.workload.genTokens.toFixed(1)} generated` +
      (report.warnings.length ? `; model warnings: ${report.warnings.join(" | ")}` : "") +
      `; idle ${idlePowerW} W (assumed)`,
  };
}
