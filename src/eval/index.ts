/** The accuracy harness: MMLU / HellaSwag / Winogrande scored by continuation log-likelihood, as lm-eval does. */
export { parseTaskJsonl, hellaswagPreprocess } from "./tasks.js";
export type { McItem, McRequest, RejectedLine, TaskFile } from "./tasks.js";
export { logSoftmax, logSoftmaxFromTotal, scoreItem, meanWithStderr, encodePair } from "./scoring.js";
export type { ItemScore } from "./scoring.js";
export { evaluateItems, summarize, REPORTED_METRICS } from "./evaluate.js";
export type { ItemResult, TaskSummary, EvalMetricSummary } from "./evaluate.js";
export { lmEvalResults } from "./results-json.js";
export type { LmEvalRunInfo } from "./results-json.js";
export type { ScoringModel, ContinuationScore } from "./language-model.js";

/** Open a GGUF model for scoring (loads node-llama-cpp on first call, never at import). */
export async function openLlamaScorer(o: {
  modelPath: string;
  threads?: number;
  contextSize?: number;
}): Promise<import("./language-model.js").ScoringModel> {
  return (await import("./language-model.js")).openLlamaScorer(o);
}
