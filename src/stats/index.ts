/** Statistics: uncertainty, comparisons, trade-offs and scaling of the study's measurements. */
// Distributions
export * from "./normal.js";
export * from "./student-t.js";
// Uncertainty
export * from "./types.js";
export * from "./wilson.js";
export * from "./rng.js";
export * from "./bootstrap.js";
export * from "./rounding.js";
// Comparisons
export * from "./two-proportion.js";
export * from "./adjust-p.js";
export * from "./wilcoxon-signed-rank.js";
// Trade-offs
export * from "./pareto.js";
export * from "./power-law.js";
// The study's data through these lenses
export * from "./study/observations.js";
export * from "./study/accuracy-comparisons.js";
export * from "./study/platform-comparisons.js";
export * from "./study/frontiers.js";
export * from "./study/model-scales.js";
export * from "./study/scaling.js";
export * from "./study/tables.js";
export * from "./ingested.js";
