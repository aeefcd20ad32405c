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

// moved by collect-eval (re-exports of names that left the folders above)

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
export { loadGpuReferences, parseGpuReferences, GPU_REFERENCE_CLASSES } from "./io/figures/gpus.js";
export type { GpuReference, GpuReferenceClass } from "./io/figures/gpus.js";
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
