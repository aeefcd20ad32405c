/** slm-energy's public API, as notebooks and scripts import it (`import { … } from "slm-energy"`). */
export * from "./errors.js";
export * from "./domain/ids.js";
export * from "./metrics/index.js";
export * from "./paper/index.js";
export * from "./audit/index.js";
export * from "./report/index.js";
export * from "./gguf/index.js";
export * from "./collect/index.js";
export * from "./probe/index.js";
export * from "./eval/index.js";
export * from "./catalog/index.js";
export * from "./figures/index.js";
export * from "./notebooks/index.js";
export * from "./ingest/power/index.js";
export * from "./ingest/energy/index.js";
export * from "./ingest/index.js";
export * from "./stats/index.js";
export * from "./claims/index.js";
export * from "./simulate/index.js";
export * from "./model/index.js";
export * from "./recommend/index.js";

// moved by io-catalogs (re-exports of names that left the folders above)

// moved by ingest (re-exports of names that left the folders above)

// moved by model (re-exports of names that left the folders above)

// moved by study (re-exports of names that left the folders above)
export { loadPaper } from "./io/paper.js";
export { readInferenceSamples, parseInferenceSamples, simulatedRunIds } from "./io/inference-samples.js";
export { readTruthFile, type TruthFile } from "./io/truth.js";
export { writeSimulatedBundle } from "./pipeline/simulated-bundle.js";
export { bundledRawDirs, ingestBundledRaw } from "./pipeline/bundled-raw.js";
export { writeSamplingStudy } from "./pipeline/sampling-study.js";
export { writeClaimsReport } from "./pipeline/claims.js";
export { writeTablesAndAudit, updateReadmeSections, updateReadmeAudit } from "./pipeline/report.js";
export type { Written } from "./pipeline/written.js";

// moved by collect-eval (re-exports of names that left the folders above)

// moved by probe-figures (re-exports of names that left the folders above)
