/**
 * The accuracy harness: MMLU / HellaSwag / Winogrande scored by continuation log-likelihood, as lm-eval does.
 * The llama.cpp scoring model is `io/llama/scorer.ts` (openLlamaScorer).
 */
export { parseTaskJsonl, hellaswagPreprocess } from "./tasks.js";
export type { McItem, McRequest, RejectedLine, TaskFile } from "./tasks.js";
export { logSoftmax, logSoftmaxFromTotal, scoreItem, meanWithStderr, encodePair } from "./scoring.js";
export type { ItemScore } from "./scoring.js";
export { evaluateItems, summarize, REPORTED_METRICS } from "./evaluate.js";
export type { ItemResult, TaskSummary, EvalMetricSummary } from "./evaluate.js";
export { lmEvalResults } from "./results-json.js";
export type { LmEvalRunInfo } from "./results-json.js";
export type { ScoringModel, ContinuationScore } from "./language-model.js";
