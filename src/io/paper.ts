import { join } from "node:path";
import { z } from "zod";
import { inputError } from "../errors.js";
import { BENCHMARKS, DEVICE_IDS, MODEL_IDS, BACKENDS, type Backend, type DeviceId } from "../domain/ids.js";
import { parsePrinted } from "../paper/printed-number.js";
import { PAPER_METRICS } from "../paper/types.js";
import type {
  PaperCell,
  PaperData,
  PaperHardwareRow,
  PaperHighlight,
  PaperMetric,
  PaperModelRow,
  PaperSource,
  PaperTable,
} from "../paper/types.js";
import { PATHS } from "../pipeline/paths.js";
import { parseCsv, type CsvRecord } from "./csv.js";
import { cell, decodeCsvRowsWithLines as rowsWithLines } from "./csv-rows.js";
import { readTextFile } from "./files.js";

/**
 * The paper's tables as transcribed under `data/paper/` (snake_case columns, one schema per table),
 * read into the camelCase records of `paper/types.ts`. Every row-level problem of a table is
 * reported at once, with file, line and column.
 */

const int = (min?: number) => cell.number({ integer: true, ...(min === undefined ? {} : { min }) });
const provenance = { printed_row: int(), source_line: int() };

/** Consolidated and throughput tables: one row per platform × model, `<metric>.<benchmark>` columns. */
export const PaperPlatformRow = z.object({
  printed_row: int(1),
  source_line: int(1),
  device: cell.oneOf(DEVICE_IDS),
  backend: cell.oneOf(BACKENDS),
  model: cell.oneOf(MODEL_IDS),
});

/** Normalized table: one row per model, `<metric>.<device>/<backend>` columns. */
export const PaperNormalizedRow = z.object({ ...provenance, model: cell.oneOf(MODEL_IDS) });

export const PaperHardwareCsvRow = z.object({
  ...provenance,
  device: cell.oneOf(DEVICE_IDS),
  printed_name: cell.text(),
  memory_gb: cell.number({ min: 0 }),
  memory_freq_mhz: cell.number({ min: 0 }),
  memory_bandwidth_gb_s: cell.number({ min: 0 }),
  memory_type: cell.text(),
  cpu_freq_ghz: cell.number({ min: 0 }),
  gpu_freq_mhz: cell.number({ min: 0 }),
  cpu_cores: cell.number({ min: 0, integer: true }),
  gpu_cores: cell.number({ min: 0 }),
  disk_gb: cell.number({ min: 0 }),
});

export const PaperModelCsvRow = z.object({
  ...provenance,
  model: cell.oneOf(MODEL_IDS),
  printed_name: cell.text(),
  size_b: cell.number({ min: 0 }),
  training_tokens_t: cell.number({ min: 0 }),
});

/** The metrics a highlight may name: every published metric, plus the two the highlights derive. */
const HIGHLIGHT_METRICS = [...PAPER_METRICS, "speedup", "energy_per_inference_wh"] as const;

export const PaperHighlightCsvRow = z.object({
  ...provenance,
  table: cell.oneOf(["model-efficiency", "hardware-impact", "headline"] as const),
  label: cell.text(),
  device: cell.oneOf(DEVICE_IDS),
  backend: cell.oneOf(BACKENDS),
  model: cell.oneOf(MODEL_IDS),
  benchmark: cell.optionalOneOf(BENCHMARKS),
  aggregate: cell.oneOf(["best", "worst", "max", "value", "ratio"] as const),
  metric: cell.oneOf(HIGHLIGHT_METRICS),
  printed: cell.text(),
  printed_unit: cell.text(),
});

interface RawTable {
  file: string;
  header: string[];
  records: CsvRecord[];
}

function read(root: string, name: string): RawTable {
  const file = join(root, PATHS.paperDir, name);
  let text: string;
  try {
    text = readTextFile(file, `paper's table ${name}`);
  } catch (e) {
    throw inputError(`cannot read the paper's table ${name}`, {
      file,
      hint: "run from the project root, or set SLM_ENERGY_ROOT",
      cause: e,
    });
  }
  const { header, records } = parseCsv(text, file);
  return { file, records, header };
}

function source(file: string, csvLine: number, printedRow: number, sourceLine: number): PaperSource {
  return { file: `${PATHS.paperDir}/${file.split("/").pop()}`, csvLine, printedRow, sourceLine };
}

const recordAt = (t: RawTable, line: number): CsvRecord => t.records.find((r) => r.line === line)!;

/** Wide per-benchmark tables (consolidated, throughput): columns `<metric>.<benchmark>`. */
function readBenchmarkTable(root: string, name: string, table: PaperTable, metrics: PaperMetric[]): PaperCell[] {
  const t = read(root, name);
  const { file, header } = t;
  for (const m of metrics) {
    for (const b of BENCHMARKS) {
      if (!header.includes(`${m}.${b}`))
        throw inputError(`missing column "${m}.${b}"`, { file, line: 1, field: `${m}.${b}` });
    }
  }
  const cells: PaperCell[] = [];
  for (const row of rowsWithLines(PaperPlatformRow, t, file)) {
    const rec = recordAt(t, row.line);
    const src = source(file, row.line, row.printed_row, row.source_line);
    for (const m of metrics) {
      for (const b of BENCHMARKS) {
        const field = `${m}.${b}`;
        const printed = rec.values[field]!.trim();
        const p = parsePrinted(printed, { file, line: row.line, field });
        const { device, backend, model } = row;
        cells.push({ table, device, backend, model, benchmark: b, metric: m, value: p.value, printed, source: src });
      }
    }
  }
  return cells;
}

/** The platform a normalized column names (`<metric>.<device>/<backend>`), checked. */
function normalizedColumn(col: string, file: string): { metric: PaperMetric; device: DeviceId; backend: Backend } {
  const [metric, platform] = col.split(".") as [PaperMetric, string];
  const [device, backend] = platform.split("/") as [string, string];
  if (!(DEVICE_IDS as readonly string[]).includes(device) || !(BACKENDS as readonly string[]).includes(backend)) {
    throw inputError(`column "${col}" names an unknown platform`, {
      file,
      line: 1,
      field: col,
      hint: "use <metric>.<device>/<backend> with canonical ids",
    });
  }
  return { metric, device: device as DeviceId, backend: backend as Backend };
}

/** The normalized table: one row per model, columns `<metric>.<device>/<backend>`. */
function readNormalized(root: string): PaperCell[] {
  const t = read(root, "normalized.csv");
  const { file, header } = t;
  const cells: PaperCell[] = [];
  const cols = header.filter((h) => h.startsWith("wh_per_b.") || h.startsWith("edp_per_b."));
  for (const row of rowsWithLines(PaperNormalizedRow, t, file)) {
    const rec = recordAt(t, row.line);
    const src = source(file, row.line, row.printed_row, row.source_line);
    for (const col of cols) {
      const { metric, device, backend } = normalizedColumn(col, file);
      const printed = rec.values[col]!.trim();
      const p = parsePrinted(printed, { file, line: row.line, field: col });
      cells.push({
        table: "normalized",
        device,
        backend,
        model: row.model,
        benchmark: null,
        metric,
        value: p.value,
        printed,
        source: src,
      });
    }
  }
  return cells;
}

function readHardware(root: string): PaperHardwareRow[] {
  const t = read(root, "hardware.csv");
  return rowsWithLines(PaperHardwareCsvRow, t, t.file).map((r) => ({
    device: r.device,
    printedName: r.printed_name,
    memoryGb: r.memory_gb,
    memoryFreqMhz: r.memory_freq_mhz,
    memoryBandwidthGbS: r.memory_bandwidth_gb_s,
    memoryType: r.memory_type,
    cpuFreqGhz: r.cpu_freq_ghz,
    gpuFreqMhz: r.gpu_freq_mhz,
    cpuCores: r.cpu_cores,
    gpuCores: r.gpu_cores,
    diskGb: r.disk_gb,
    source: source(t.file, r.line, r.printed_row, r.source_line),
  }));
}

function readModels(root: string): PaperModelRow[] {
  const t = read(root, "models.csv");
  return rowsWithLines(PaperModelCsvRow, t, t.file).map((r) => ({
    model: r.model,
    printedName: r.printed_name,
    sizeB: r.size_b,
    trainingTokensT: r.training_tokens_t,
    source: source(t.file, r.line, r.printed_row, r.source_line),
  }));
}

function readHighlights(root: string): PaperHighlight[] {
  const t = read(root, "highlights.csv");
  return rowsWithLines(PaperHighlightCsvRow, t, t.file).map((r) => {
    const p = parsePrinted(r.printed, { file: t.file, line: r.line, field: "printed" });
    return {
      table: r.table,
      label: r.label,
      device: r.device,
      backend: r.backend,
      model: r.model,
      benchmark: r.benchmark,
      aggregate: r.aggregate,
      metric: r.metric,
      value: p.value,
      printed: r.printed,
      printedUnit: r.printed_unit,
      source: source(t.file, r.line, r.printed_row, r.source_line),
    };
  });
}

/** Load every published table of the paper from `data/paper/`, validated. */
export function loadPaper(root: string): PaperData {
  const cells = [
    ...readBenchmarkTable(root, "consolidated.csv", "consolidated", [
      "accuracy_pct",
      "energy_wh",
      "latency_s",
      "edp_js",
    ]),
    ...readBenchmarkTable(root, "throughput.csv", "throughput", ["throughput", "per_wh", "power_wh_per_s"]),
    ...readNormalized(root),
  ];
  return { cells, hardware: readHardware(root), models: readModels(root), highlights: readHighlights(root) };
}
