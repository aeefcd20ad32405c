import type { CalibrationFile } from "../io/calibration-schema.js";
import type { ParamKey } from "./parameters.js";
import type { WorkloadSkeleton } from "./workload.js";

/**
 * A calibration: the fitted parameters, the bootstrap replicates that give their uncertainty and
 * prediction intervals, and enough of the data's context (hardware of each calibrated platform,
 * models and quantizations seen) to predict and to warn when a prediction extrapolates.
 * Fitting is model/calibrate.ts; predicting with one, model/predict-calibrated.ts; its file,
 * io/calibration.ts (whose schema the records shared with the file are typed from).
 */
export type Calibration = Omit<CalibrationFile, "fit" | "parameterNames" | "cells" | "replicates"> & {
  fit: { latency: FitStats; energy: FitStats };
  /** What each value of `estimate` and of every replicate is. */
  parameters: ParamKey[];
  estimate: number[];
  replicates: number[][];
  cells: CalibrationCell[];
};

/** In-sample fit: absolute percentage errors of the fitted cells and the rms of their log residuals. */
export interface FitStats {
  mapePct: number;
  medianApePct: number;
  maxApePct: number;
  rmsLog: number;
}

/** One measured cell beside its fitted value. */
export interface CalibrationCell {
  device: string;
  backend: string;
  powerMode: string;
  model: string;
  quant: string;
  benchmark: string;
  latencyS: { measured: number; fitted: number };
  energyWh: { measured: number; fitted: number };
  source: string;
}

/** The level of the prediction intervals a calibration gives. */
export const INTERVAL_LEVEL = 0.9;

/** The skeleton a calibration's parameter vectors apply to. */
export function skeletonOf(cal: Calibration): WorkloadSkeleton {
  return { benchmarks: cal.workloads, tokenizerRatio: cal.tokenizerRatio, modelFamilies: cal.modelFamilies };
}
