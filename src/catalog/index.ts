/** Catalogs of devices, models and GGUF quantization types, with schema-checked loaders. */
export * from "./json-lines.js";
export * from "./json-cursor.js";
export * from "./devices.js";
export * from "./models.js";
export * from "./architecture.js";
export * from "./quantization.js";
