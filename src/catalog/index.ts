/**
 * Catalogs of devices, models and GGUF quantization types: lookups and architecture arithmetic.
 * Reading the catalog files (schemas, loaders) lives in io/catalog/.
 */
export * from "./devices.js";
export * from "./models.js";
export * from "./architecture.js";
export * from "./quantization.js";
export * from "./peaks.js";
export * from "./classes.js";
export * from "./citations.js";
export * from "./grid-intensity.js";
