/** Inference logs: one streaming parser per format, detection, and readers. */
export * from "./sink.js";
export * from "./units.js";
export * from "./llama-cpp.js";
export * from "./llama-bench.js";
export * from "./llama-bench-md.js";
export * from "./ollama.js";
export * from "./collector.js";
export * from "./detect.js";
export * from "./read.js";
export { textLines } from "./lines.js";
