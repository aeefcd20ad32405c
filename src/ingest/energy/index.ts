/** Energy from power samples: trapezoid over windows and whole traces, idle baseline, calibration. */
export * from "./calibration.js";
export * from "./error-estimate.js";
export * from "./interval-stats.js";
export * from "./samples.js";
export * from "./integrate.js";
export * from "./total.js";
export * from "./idle.js";
