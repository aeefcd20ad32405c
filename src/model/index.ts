/** The calibrated analytical model: physics, roofline, calibration, validation, prediction. */
export * from "./tensors.js";
export * from "./physics.js";
export * from "./hardware.js";
export * from "./roofline.js";
export * from "./workload.js";
export * from "./observations.js";
export * from "./world.js";
export * from "./optimize.js";
export * from "./fit.js";
export * from "./transfer.js";
export * from "./calibration.js";
export * from "./baselines.js";
export * from "./validate.js";
