/** Regenerated tables and audit reports. */
export * from "./format.js";
export * from "./tables.js";
export * from "./render.js";
export * from "./audit-report.js";
export * from "./readme.js";
export * from "./frames.js";
