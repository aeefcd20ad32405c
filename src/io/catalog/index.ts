/** Reading the catalogs: schemas of their entries and loaders of data/catalog/ and user spec files. */
export * from "./architecture.js";
export * from "./devices.js";
export * from "./grid-intensity.js";
export * from "./models.js";
export * from "./quantization.js";
