/** Run bundles: manifest, the ingest stages (pure) and the processed tables. */
export * from "./manifest.js";
export * from "./format.js";
export * from "./windows.js";
export * from "./result.js";
export * from "./place.js";
export * from "./channels.js";
export * from "./rows.js";
export * from "./run.js";
export * from "./tables.js";
export * from "./compare-paper.js";
