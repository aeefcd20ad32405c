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
export {
  loadDeviceCatalog,
  loadModelCatalog,
  loadQuantCatalog,
  parseDeviceCatalog,
  parseDeviceSpecFile,
  parseModelCatalog,
  parseModelSpecFile,
  parseQuantCatalog,
} from "./io/catalog/index.js";
export { loadGpuReferences, parseGpuReferences } from "./io/catalog/gpus.js";

// moved by ingest (re-exports of names that left the folders above)
export { ingestBundle, ingestBundles, loadBundle, measurePower, readAccuracy } from "./pipeline/ingest/bundle.js";
export { writeTables } from "./pipeline/ingest/tables.js";
export { inspectFile } from "./pipeline/ingest/inspect.js";
export { summarizePowerLog, type PowerLogSummaryReport } from "./pipeline/ingest/summarize.js";
export { bundleTimelineSpec } from "./pipeline/ingest/timeline.js";
export {
  bundleTimelineFigure,
  thin,
  timelineOrigin,
  TIMELINE_MAX_POINTS,
  type TimelineChannel,
} from "./figures/specs/bundle-timeline.js";
export { PowerLog, readPowerHead, readPowerLog } from "./io/power/read.js";
export { readHead, readLines } from "./io/inference/read-lines.js";
export { readInferenceLog } from "./io/inference/read.js";
export { readLmEvalResults } from "./io/accuracy/lm-eval.js";
export { resolveInsideBundle, sha256File } from "./io/bundle/paths.js";

// moved by model (re-exports of names that left the folders above)
export { loadCalibration, parseCalibration, serializeCalibration } from "./io/calibration.js";
export { observationsFromRunsCsv, type RejectedRow } from "./io/model-runs.js";
export { validationJson } from "./io/model-validation.js";
export { recommendJson } from "./io/model-recommend.js";
export { loadData, type DataSelection, type LoadedData } from "./pipeline/model/data.js";
export { writePaperCalibration, PAPER_CALIBRATION } from "./pipeline/model/paper-calibration.js";
export { writeValidation } from "./pipeline/model/validation.js";
export { loadIngestedCandidates } from "./pipeline/model/recommend-ingested.js";
export { parityFigure, residualFigure } from "./figures/specs/model-validation.js";
export { whatIfFigure } from "./figures/specs/model-what-if.js";

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
export { formatProgress, formatDuration, ProgressBar } from "./cli/progress.js";
export { detectPowerSensors } from "./io/sensors/detect.js";
export type { DetectOptions } from "./io/sensors/detect.js";
export { openLlamaEngine } from "./io/llama/engine.js";
export { openLlamaScorer } from "./io/llama/scorer.js";
export { BundleWriter, RUN_FILE, MANIFEST_FILE } from "./pipeline/collect/bundle-writer.js";
export { collectRun } from "./pipeline/collect/run.js";

// moved by probe-figures (re-exports of names that left the folders above)
export { machineInfo, readHostFiles } from "./io/host/machine.js";
export { runProbe } from "./pipeline/probe/probe.js";
export { runSweep, type SweepOptions } from "./pipeline/probe/sweep.js";
export { measureComputeRate, type ComputeProbeOptions } from "./pipeline/probe/compute-probe.js";
export { readProbeFile, readSweepFile, readSweepCsv, parseSweepCsv, formatSweepCsv } from "./io/probe/files.js";
export type { SweepDocument, SweepCsvRow } from "./io/probe/files.js";
export { loadFigureInputs } from "./pipeline/figures/load-inputs.js";
export { generateFigures, renderFigures } from "./pipeline/figures/generate.js";
export type {
  GenerateFiguresOptions,
  GenerateFiguresResult,
  FigureFile,
  RenderedFigureSpec,
} from "./pipeline/figures/generate.js";
export { chromiumPath, figureFontWarning } from "./io/figures/chromium.js";
export {
  runNotebooks,
  discoverNotebooks,
  checkNotebookEnvironment,
  NOTEBOOKS_DIR,
  NOTEBOOK_RUNS_DIR,
  RUNS_KEPT,
} from "./pipeline/notebooks/runner.js";
export type {
  RunNotebooksOptions,
  RunNotebooksResult,
  NotebookResult,
  NotebookFailure,
} from "./pipeline/notebooks/runner.js";
// danfo() shadows report/frames.ts's untyped one of the same name (same module at run time).
export { danfo } from "./notebooks/danfo.js";
