/** Ingestion of raw runs: inference logs, accuracy results and run bundles. */
export * from "./types.js";
export * from "./inference/index.js";
export * from "./accuracy/index.js";
