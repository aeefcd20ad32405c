/** Run bundles: manifest, path safety, the ingest pipeline and the processed tables. */
export * from "./manifest.js";
export * from "./paths.js";
export * from "./format.js";
export * from "./windows.js";
export * from "./power-source.js";
export * from "./ingest.js";
export * from "./tables.js";
export * from "./compare-paper.js";
export * from "./timeline-figure.js";
