/**
 * Where the project keeps its files, relative to the project root, in the order data flows:
 * raw (immutable) → processed → models → figures and tables. Every module that reads or writes a
 * project file takes its path from here; nothing else spells these folders.
 */
export const PATHS = {
  /** The paper's tables, transcribed (input, never written by the pipeline). */
  paperDir: "data/paper",
  /** Catalogs of devices, models and quantization formats. */
  deviceCatalog: "data/catalog/devices.json",
  modelCatalog: "data/catalog/models.json",
  quantizationCatalog: "data/catalog/quantization.json",
  /** Annual average grid carbon intensities (gCO2e/kWh) per region, each row cited. */
  gridIntensityCatalog: "data/catalog/grid-intensity.json",
  /** Published measurements made by others, each row cited (input; `corpus add` appends to it). */
  communityCorpus: "data/community/corpus.csv",
  /** Published rows the catalogs cannot place yet (no cited source describes their model or file type). */
  communityUnplaced: "data/community/unplaced.csv",
  /** Raw bundles (immutable: ingest reads them, never writes them). */
  rawDir: "data/raw",
  /** What this machine measured of itself (probe, sweep). */
  measuredDir: "data/measured/this-machine",
  /** Processed tables written by ingest. */
  processedDir: "data/processed",
  inferencesCsv: "data/processed/inferences.csv",
  runsCsv: "data/processed/runs.csv",
  quarantineCsv: "data/processed/quarantine.csv",
  simulatedVsTruthCsv: "data/processed/simulated-vs-truth.csv",
  /** The processed tables as Parquet, one folder per table, hive-partitioned `device=…/model=…/` (`query` reads it). */
  processedParquetDir: "data/processed/parquet",
  /** The model calibrated on the paper. */
  paperCalibration: "models/calibrated/paper.json",
  /** Figures (SVG committed; PNG, PDF and HTML regenerated) and publication tables. */
  figuresDir: "figures",
  tablesDir: "figures/tables",
  gpuReferenceCsv: "figures/data/gpus.csv",
  samplingStudyTable: "figures/tables/sampling-study",
  validationMd: "figures/tables/validation.md",
  notebooksDir: "notebooks",
  /** The study as a static site (pages, the predictor's bundle and data, one plotly.js), written by reproduce. */
  siteDir: "site",
  readme: "README.md",
} as const;

export type ProjectPath = keyof typeof PATHS;
