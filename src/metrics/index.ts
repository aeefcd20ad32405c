/** The study's metrics as small pure functions, units in their names. */
export * from "./units.js";
export * from "./accuracy.js";
export * from "./time.js";
export * from "./energy.js";
export * from "./edp.js";
export * from "./co2e.js";
export * from "./aggregate.js";
