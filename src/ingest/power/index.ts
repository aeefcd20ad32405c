/** Power logs: one module per format, detection, and a streaming reader. */
export * from "./parser.js";
export * from "./numbers.js";
export * from "./time.js";
export * from "./formats.js";
export * from "./detect.js";
export * from "./engine.js";
export * from "./read.js";
export { KNOWN_INPUT_RAILS } from "./tegrastats.js";
export { readColumnName } from "./usb-csv.js";
export * from "./batch.js";
