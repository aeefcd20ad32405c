/** Forensic audit of the paper's derived cells. */
export * from "./classify.js";
export * from "./types.js";
export * from "./tokens.js";
export * from "./edp-per-b.js";
export * from "./audit.js";
export * from "./cell-index.js";
