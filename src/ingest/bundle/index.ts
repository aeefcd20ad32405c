/** Run bundles: manifest and the ingest stages (pure); the processed tables are io/processed-tables.ts. */
export * from "./manifest.js";
export * from "./format.js";
export * from "./windows.js";
export * from "./result.js";
export * from "./place.js";
export * from "./channels.js";
export * from "./rows.js";
export * from "./run.js";
export * from "./compare-paper.js";
