/** Ingestion of raw runs: power logs, energy, inference logs, accuracy results and run bundles. */
export * from "./types.js";
export * from "./power/index.js";
export * from "./energy/index.js";
export * from "./inference/index.js";
export * from "./accuracy/index.js";
export * from "./bundle/index.js";
export * from "./inspect.js";
