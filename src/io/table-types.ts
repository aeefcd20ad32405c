/**
 * The SQL type of every column of the tables `query` serves and Parquet holds, so that numbers are
 * DOUBLE (Float64, never FLOAT), counts BIGINT, flags BOOLEAN, dates DATE and the rest VARCHAR,
 * whatever the cells of one particular file look like. An empty CSV cell is SQL NULL. Pure: the
 * column names come from the modules that write each table.
 */
import { CORPUS_COLUMNS } from "./corpus.js";
import {
  INFERENCE_CO2E_COLUMNS,
  INFERENCE_COLUMNS,
  QUARANTINE_COLUMNS,
  RUN_CO2E_COLUMNS,
  RUN_COLUMNS,
  TABLE_FILES,
} from "./processed-tables.js";

/** The SQL types a processed column can have (DuckDB spellings). */
export type SqlType = "VARCHAR" | "DOUBLE" | "BIGINT" | "BOOLEAN" | "DATE";

type Typed<C extends readonly string[]> = Record<C[number], SqlType>;

const text = (names: readonly string[]): Record<string, SqlType> =>
  Object.fromEntries(names.map((n) => [n, "VARCHAR" as const]));

/** The run's identity columns (device, backend, power_mode, model, …): all text. */
const IDENTITY = text(["run_id", "device", "backend", "power_mode", "model", "quantization", "runtime", "benchmark"]);

/** Every column of inferences.csv with its type, the CO2e columns (written with a grid intensity) included. */
export const INFERENCE_TYPES: Typed<typeof INFERENCE_COLUMNS> & Typed<typeof INFERENCE_CO2E_COLUMNS> = {
  ...(IDENTITY as Typed<typeof INFERENCE_COLUMNS>),
  index: "BIGINT",
  item_id: "VARCHAR",
  label: "VARCHAR",
  start_s: "DOUBLE",
  end_s: "DOUBLE",
  placed: "BOOLEAN",
  prompt_tokens: "BIGINT",
  gen_tokens: "BIGINT",
  prefill_s: "DOUBLE",
  decode_s: "DOUBLE",
  latency_s: "DOUBLE",
  energy_gross_j: "DOUBLE",
  energy_net_j: "DOUBLE",
  energy_prefill_j: "DOUBLE",
  energy_decode_j: "DOUBLE",
  energy_prefill_net_j: "DOUBLE",
  energy_decode_net_j: "DOUBLE",
  j_per_prompt_token: "DOUBLE",
  j_per_gen_token: "DOUBLE",
  j_per_prompt_token_net: "DOUBLE",
  j_per_gen_token_net: "DOUBLE",
  mean_power_w: "DOUBLE",
  power_coverage: "DOUBLE",
  correct: "BOOLEAN",
  warnings: "VARCHAR",
  inference_file: "VARCHAR",
  inference_sha256: "VARCHAR",
  inference_lines: "VARCHAR",
  power_file: "VARCHAR",
  power_sha256: "VARCHAR",
  power_lines: "VARCHAR",
  co2e_g: "DOUBLE",
  co2e_prefill_g: "DOUBLE",
  co2e_decode_g: "DOUBLE",
  grid_intensity_g_per_kwh: "DOUBLE",
  grid_region: "VARCHAR",
};

/** runs.csv columns that are not DOUBLE (every other run column is a Float64 metric). */
const RUN_NOT_DOUBLE: Partial<Record<(typeof RUN_COLUMNS)[number], SqlType>> = {
  meter: "VARCHAR",
  simulated: "BOOLEAN",
  inferences: "BIGINT",
  inferences_with_energy: "BIGINT",
  scored: "BIGINT",
  prompt_tokens: "BIGINT",
  gen_tokens: "BIGINT",
  tokens: "BIGINT",
  accuracy_source: "VARCHAR",
  quarantined: "BIGINT",
  warnings: "BIGINT",
  sources: "VARCHAR",
};

/** Every column of runs.csv with its type, the CO2e columns (written with a grid intensity) included. */
export const RUN_TYPES: Typed<typeof RUN_COLUMNS> & Typed<typeof RUN_CO2E_COLUMNS> = {
  ...(Object.fromEntries(RUN_COLUMNS.map((c) => [c, IDENTITY[c] ?? RUN_NOT_DOUBLE[c] ?? "DOUBLE"])) as Typed<
    typeof RUN_COLUMNS
  >),
  co2e_g_per_inference: "DOUBLE",
  co2e_g: "DOUBLE",
  grid_intensity_g_per_kwh: "DOUBLE",
  grid_region: "VARCHAR",
};

/** quarantine.csv, plus the device and model of the run each rejected line belongs to (its Parquet partition). */
export const QUARANTINE_TYPES: Typed<typeof QUARANTINE_COLUMNS> & { device: SqlType; model: SqlType } = {
  file: "VARCHAR",
  line: "BIGINT",
  text: "VARCHAR",
  reason: "VARCHAR",
  device: "VARCHAR",
  model: "VARCHAR",
};

/** The processed tables that have a Parquet copy, by name (the name of their folder and of their view). */
export const PARQUET_TABLES = [
  "inferences",
  "runs",
  "quarantine",
] as const satisfies readonly (keyof typeof TABLE_FILES)[];
export type ParquetTable = (typeof PARQUET_TABLES)[number];

/** Each Parquet table's columns in their CSV order (device and model last for quarantine) with their types. */
export const PARQUET_TABLE_TYPES: Record<ParquetTable, Readonly<Record<string, SqlType>>> = {
  inferences: INFERENCE_TYPES,
  runs: RUN_TYPES,
  quarantine: QUARANTINE_TYPES,
};

/** The columns Parquet copies are partitioned by (hive layout `device=…/model=…/`). */
export const PARTITION_COLUMNS = ["device", "model"] as const;

/** corpus.csv columns that are not text. */
const CORPUS_NOT_TEXT: Partial<Record<(typeof CORPUS_COLUMNS)[number], SqlType>> = {
  threads: "BIGINT",
  model_params_b: "DOUBLE",
  prompt_tokens: "BIGINT",
  prefill_tok_s: "DOUBLE",
  generated_tokens: "BIGINT",
  decode_tok_s: "DOUBLE",
  power_w: "DOUBLE",
  energy_j: "DOUBLE",
  source_date: "DATE",
};

/** Every column of data/community/corpus.csv with its type. */
export const CORPUS_TYPES = Object.fromEntries(
  CORPUS_COLUMNS.map((c) => [c, CORPUS_NOT_TEXT[c] ?? "VARCHAR"]),
) as Typed<typeof CORPUS_COLUMNS>;

/**
 * The `paper` view: one row per published cell of the paper's numeric tables (as `paper --json`
 * prints them), `paper_table` naming the table (consolidated, throughput, normalized); benchmark is
 * NULL for the per-model normalized table; file, csv_line, printed_row and source_line say where it was read.
 */
export const PAPER_TYPES = {
  paper_table: "VARCHAR",
  device: "VARCHAR",
  backend: "VARCHAR",
  model: "VARCHAR",
  benchmark: "VARCHAR",
  metric: "VARCHAR",
  value: "DOUBLE",
  printed: "VARCHAR",
  file: "VARCHAR",
  csv_line: "BIGINT",
  printed_row: "BIGINT",
  source_line: "BIGINT",
} as const satisfies Record<string, SqlType>;
