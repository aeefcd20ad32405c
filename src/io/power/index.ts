/** Power log files: the streaming byte-level reader (the formats' parsers live in ingest/power). */
export * from "./read.js";
