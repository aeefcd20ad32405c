/**
 * slm-energy's public API: what notebooks and scripts import (`import { … } from "slm-energy"`).
 * Grouped by concern, in the order data flows; internals (parsers' engines, optimisers, writers'
 * helpers) stay inside their folders. Every name here is documented where it is defined.
 */

// Errors: one vocabulary, each error with file, line, field and a hint; exit code 2 for bad input
export {
  SlmError,
  isSlmError,
  inputError,
  usageError,
  notFoundError,
  type ErrorCode,
  type Issue,
  type Location,
} from "./errors.js";

// Ids of the study's devices, models, benchmarks and backends
export {
  DEVICE_IDS,
  MODEL_IDS,
  BENCHMARKS,
  BACKENDS,
  MODEL_LABELS,
  BENCHMARK_LABELS,
  isDeviceId,
  isModelId,
  isBenchmark,
  isBackend,
  type DeviceId,
  type ModelId,
  type Benchmark,
  type Backend,
} from "./domain/ids.js";

// Project paths (raw → processed → models → figures)
export { PATHS } from "./pipeline/paths.js";

// Metrics: one small function per formula, units in every name
export { accuracyPct } from "./metrics/accuracy.js";
export { averagePowerW, energyPerInferenceWh, perWh, powerWhPerS, whPerSToW } from "./metrics/energy.js";
export { edpJs, whPerBillion, edpPerBillion } from "./metrics/edp.js";
export { throughputPerS, latencyS, totalTimeS } from "./metrics/time.js";
export { jToWh, whToJ, msToS, nsToS, SECONDS_PER_HOUR } from "./metrics/units.js";
export { co2eG } from "./metrics/co2e.js";
export { aggregateRun } from "./metrics/aggregate.js";

// The paper as data, and its forensic audit
export { loadPaper } from "./io/paper.js";
export { findCell } from "./paper/cells.js";
export { inferenceCounts, deriveInferenceCounts } from "./paper/inferences.js";
export { parsePrinted } from "./paper/printed-number.js";
export type { PaperData, PaperCell } from "./paper/types.js";
export { runAudit } from "./audit/audit.js";
export { auditFindingsMarkdown, auditReportMarkdown } from "./report/audit-report.js";
export { auditJson } from "./report/readme.js";
export type { AuditResult } from "./audit/types.js";

// Publication tables and notebook frames
export { regenerateTables } from "./report/tables.js";
export { regeneratedFrame, paperFrame, auditFrame } from "./report/frames.js";
export { tableToCsv, tableToMarkdown, tableToLatex } from "./report/render.js";

// Catalogs of devices, models, quantization formats and reference GPUs
export { loadDeviceCatalog, parseDeviceSpecFile, type DeviceSpec, type PowerMode } from "./io/catalog/devices.js";
export { loadModelCatalog, parseModelSpecFile, type ModelSpec } from "./io/catalog/models.js";
export { loadQuantCatalog } from "./io/catalog/quantization.js";
export { loadGridCatalog } from "./io/catalog/grid-intensity.js";
export { resolveGridIntensity, type GridIntensity } from "./catalog/grid-intensity.js";
export { findDevice, findPowerMode } from "./catalog/devices.js";
export { findModel, paperQuant } from "./catalog/models.js";
export { findFileType } from "./catalog/quantization.js";
export { loadGpuReferences } from "./io/catalog/gpus.js";

// The community corpus of published measurements
export { readCorpus, parseCorpus, type CorpusRow } from "./io/corpus.js";
export { corpusSummary, corpusCrossTab } from "./corpus/summary.js";

// Ingest: raw bundles (power and inference logs) → processed tables
export { ingestBundle, ingestBundles } from "./pipeline/ingest/bundle.js";
export { loadManifest, validateManifest } from "./io/manifest.js";
export { inspectFile, inspectBundle } from "./pipeline/ingest/inspect.js";
export { bundleInspection } from "./io/inspect-bundle.js";
export { compareWithPaper } from "./ingest/bundle/compare-paper.js";
export { inferenceDisplayRows, runDisplayRows, renderTables } from "./io/processed-tables.js";
export { writeTables, writeProcessedTables } from "./pipeline/ingest/tables.js";

// SQL (DuckDB) over the processed tables' Parquet copy, the community corpus and the paper's cells
export { query, type QueryOptions, type QueryResult, type JsonValue } from "./pipeline/query.js";
export { textTable } from "./report/text-table.js";
export { bundleTimelineSpec } from "./pipeline/ingest/timeline.js";
export { summarizePowerLog } from "./pipeline/ingest/summarize.js";
export { POWER_FORMATS, INFERENCE_FORMATS } from "./ingest/types.js";
export { detectPowerFormat } from "./ingest/power/detect.js";
export { detectInferenceFormat } from "./ingest/inference/detect.js";
export { readPowerLog } from "./io/power/read.js";
export { parsePowerText } from "./ingest/power/read.js";
export { totalEnergy } from "./ingest/energy/total.js";
export { readInferenceLog } from "./io/inference/read.js";
export { parseInferenceText } from "./ingest/inference/read.js";
export { readLmEvalResults } from "./io/accuracy/lm-eval.js";
export type { BundleResult, InferenceRow, RunRow } from "./ingest/bundle/result.js";
export type { IngestWarning } from "./ingest/warnings.js";

// The calibrated analytical model: fit, predict, validate
export { loadCalibration, parseCalibration, serializeCalibration } from "./io/calibration.js";
export { calibrate } from "./model/calibrate.js";
export {
  predictWithCalibration,
  predictObservation,
  type PredictionQuery,
  type Prediction,
  type PredictionPoint,
} from "./model/predict-calibrated.js";
export { calibrationSummary } from "./model/summary.js";
export { validate, SCHEMES } from "./model/validate.js";
export { validationTable } from "./model/validation-table.js";
export { whatIfGrid } from "./model/what-if.js";
export { loadData } from "./pipeline/model/data.js";
export type { Calibration } from "./model/calibration.js";

// The runtime-aware model (v2): efficiencies pooled over class, board, runtime, quantization kernel
export { loadCommunityInputs, fitCommunityPredictor } from "./pipeline/model/community.js";
export { fitCommunityModel, predictRate, type CommunityModel } from "./model/community/fit.js";
export {
  validateCommunity,
  worstBoards,
  COMMUNITY_SCHEMES,
  type CommunityValidation,
} from "./model/community/validate.js";
export { communityValidationTable } from "./model/community/validation-table.js";
export { corpusParityFigure } from "./figures/specs/corpus-parity.js";

// Recommendations: which model on which board for a budget
export { recommend } from "./recommend/rank.js";
export { recommendText } from "./recommend/format.js";
export { measuredCandidates } from "./recommend/measured.js";
export { predictedCandidates } from "./recommend/predicted.js";
export { ingestedCandidates } from "./recommend/ingested.js";
export { loadIngestedCandidates } from "./pipeline/model/recommend-ingested.js";

// Statistics of the study
export { wilsonInterval } from "./stats/wilson.js";
export { bootstrapInterval, pairedBootstrapInterval } from "./stats/bootstrap.js";
export { twoProportionZTest } from "./stats/two-proportion.js";
export { wilcoxonSignedRank } from "./stats/wilcoxon-signed-rank.js";
export { benjaminiHochbergAdjust, holmAdjust } from "./stats/adjust-p.js";
export { paretoFrontiers } from "./stats/study/frontiers.js";
export { paretoIndices } from "./stats/pareto.js";
export { fitPowerLaw } from "./probe/fit.js";
export { fitLogLog } from "./stats/power-law.js";
export { scalingFits } from "./stats/study/scaling.js";
export { loadModelScales } from "./stats/study/model-scales.js";
export { studyObservations } from "./stats/study/observations.js";
export { compareModelAccuracies, compareAccuracyAcrossPlatforms } from "./stats/study/accuracy-comparisons.js";
export { runUncertainty } from "./stats/ingested.js";
export { readInferenceSamples } from "./io/inference-samples.js";
export { Rng } from "./stats/rng.js";

// The paper's claims, checked
export { claimInputs, evaluateClaims } from "./claims/evaluate.js";
export { claimsMarkdown, claimsJson } from "./claims/report.js";
export { claimsMethod } from "./claims/method.js";

// Simulator of raw runs (for what nobody publishes) and the sampling-rate study
export { simulateRun } from "./simulate/simulate.js";
export { writeSimulatedBundle } from "./pipeline/simulated-bundle.js";
export { runSamplingStudy } from "./simulate/study.js";
export { readTruthFile } from "./io/truth.js";

// Figures: the registry, their inputs, rendering through Chromium
export { FIGURE_NAMES, FIGURE_REGISTRY, buildFigures, buildSourceFigures } from "./figures/registry.js";
export { phaseEnergyFigure } from "./figures/specs/phase-energy.js";
export { loadFigureInputs } from "./pipeline/figures/load-inputs.js";
export { renderFigures, generateFigures } from "./pipeline/figures/generate.js";
export { withRenderer } from "./figures/export/renderer.js";
export { figureHtml } from "./figures/export/html.js";
export { parityFigure, residualFigure } from "./figures/specs/model-validation.js";
export { whatIfFigure } from "./figures/specs/model-what-if.js";
export { sweepRateFigure, sweepParityFigure } from "./figures/specs/sweep.js";
export type { FigureSpec } from "./figures/types.js";
export type { FigureInputs } from "./figures/inputs.js";

// Measuring a board: collector, sensors, probe, sweep, accuracy harness, synthetic GGUF
export { collectRun } from "./pipeline/collect/run.js";
export { detectPowerSensors } from "./io/sensors/detect.js";
export { runProbe } from "./pipeline/probe/probe.js";
export { runSweep } from "./pipeline/probe/sweep.js";
export { fitEffectiveBandwidth } from "./probe/fit.js";
export { measureBandwidth } from "./probe/bandwidth.js";
export { measureComputeRate } from "./pipeline/probe/compute-probe.js";
export { machineInfo } from "./io/host/machine.js";
export { buildDeviceSpec } from "./probe/device-spec.js";
export { machinePredictor } from "./probe/model-prediction.js";
export { evaluateItems } from "./eval/evaluate.js";
export { openLlamaScorer } from "./io/llama/scorer.js";
export { writeSyntheticGguf } from "./io/gguf/writer.js";
export { catalogArchitecture, scaledSpec } from "./gguf/architectures.js";
export { benchmarkLikePrompts } from "./collect/benchmark-like.js";
export { readGgufHeader } from "./io/gguf/reader.js";
export { parseGgufHeader } from "./gguf/reader.js";
export { tokenTraffic } from "./gguf/traffic.js";
export { ggufForwardCost } from "./probe/compute.js";

// Notebooks: typed danfojs frames and HTML tables, the headless runner
export { danfo, dataFrame } from "./notebooks/danfo.js";
export { frameHtml, showFigure, type FigureDisplay } from "./notebooks/display.js";
export { runNotebooks } from "./pipeline/notebooks/runner.js";

// The whole chain, as `slm-energy reproduce` runs it
export { runReproduce, REPRODUCE_STAGES } from "./pipeline/reproduce.js";
