/**
 * The calibrated analytical model, as users call it: describe a platform and a model, calibrate on
 * measured cells, predict one inference with its interval, cross-validate, and summarise. The
 * fit's internals (Levenberg–Marquardt, leverages, parameter vectors, transfer plans) stay inside.
 */

// Platforms and models
export { hardwareOf, hardwareId, type Hardware } from "./hardware.js";
export { modelPhysics, type ModelPhysics, type Scoring } from "./physics.js";
export { inventoryFromArchitecture, inventoryFromTensors, type TensorInventory } from "./tensors.js";
export { modelFromGguf, familyOfTensorType, type GgufModel } from "./gguf-model.js";
export { predictTiming, predictEnergy, type PlatformParams, type Workload, type Timing } from "./roofline.js";
export type { BenchmarkWorkload } from "./workload.js";

// Measured cells
export {
  observationsFromPaper,
  paperAssumptions,
  platformOf,
  type Observation,
  type PaperAssumptions,
} from "./observations.js";
export { buildWorld, type World } from "./world.js";

// Calibration
export { calibrate, type CalibrateOptions } from "./calibrate.js";
export { INTERVAL_LEVEL, type Calibration, type CalibrationCell, type FitStats } from "./calibration.js";
export { PRIORS, type Priors } from "./fit.js";
export type { ParamKey } from "./parameters.js";
export { calibrationSummary } from "./summary.js";

// Prediction
export {
  predictWithCalibration,
  predictObservation,
  type Prediction,
  type PredictionPoint,
  type PredictionQuery,
  type PredictWorkload,
} from "./predict-calibrated.js";
export {
  predictInference,
  memoryFit,
  OS_RESERVE_GIB,
  RUNTIME_GIB,
  type MemoryFit,
  type PredictReport,
  type PredictRequest,
} from "./predict.js";
export type { Transfer } from "./transfer.js";
export { whatIfGrid, type WhatIfRow } from "./what-if.js";

// Validation
export {
  validate,
  foldKey,
  SCHEMES,
  type Scheme,
  type ValidateOptions,
  type ValidationReport,
  type ValidationCell,
  type ValueCheck,
  type ErrorSummary,
  type MetricSummary,
} from "./validate.js";
export { validationTable } from "./validation-table.js";
