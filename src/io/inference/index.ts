/** Inference log files: line streaming and the reader (the formats' parsers live in ingest/inference). */
export * from "./read-lines.js";
export * from "./read.js";
