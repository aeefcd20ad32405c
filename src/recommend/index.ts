/** Recommendations: rank (model, platform) choices that meet an energy budget and an accuracy floor. */
export * from "./types.js";
export * from "./measured.js";
export * from "./rank.js";
export * from "./format.js";
export * from "./predicted.js";
export * from "./ingested.js";
