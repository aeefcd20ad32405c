/** Accuracy results: lm-evaluation-harness results JSON. */
export * from "./lm-eval.js";
