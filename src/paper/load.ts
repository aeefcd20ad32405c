import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inputError } from "../errors.js";
import {
  BENCHMARKS,
  DEVICE_IDS,
  MODEL_IDS,
  BACKENDS,
  type Backend,
  type Benchmark,
  type DeviceId,
  type ModelId,
} from "../domain/ids.js";
import { parseCsv, type CsvRecord } from "../util/csv.js";
import { f, parseRow } from "../schema/fields.js";
import { parsePrinted } from "./printed-number.js";
import type {
  PaperCell,
  PaperData,
  PaperHardwareRow,
  PaperHighlight,
  PaperMetric,
  PaperModelRow,
  PaperSource,
  PaperTable,
} from "./types.js";

/** Folder of the transcribed tables, relative to the project root. */
export const PAPER_DIR = "data/paper";

const platformRow = {
  printed_row: f.number({ integer: true, min: 1 }),
  source_line: f.number({ integer: true, min: 1 }),
  device: f.oneOf(DEVICE_IDS),
  backend: f.oneOf(BACKENDS),
  model: f.oneOf(MODEL_IDS),
};

function read(root: string, name: string): { file: string; records: CsvRecord[]; header: string[] } {
  const file = join(root, PAPER_DIR, name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
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

function source(file: string, rec: CsvRecord, printedRow: number, sourceLine: number): PaperSource {
  return { file: `${PAPER_DIR}/${file.split("/").pop()}`, csvLine: rec.line, printedRow, sourceLine };
}

/** Wide per-benchmark tables (consolidated, throughput): columns `<metric>.<benchmark>`. */
function readBenchmarkTable(root: string, name: string, table: PaperTable, metrics: PaperMetric[]): PaperCell[] {
  const { file, records, header } = read(root, name);
  const cells: PaperCell[] = [];
  for (const m of metrics) {
    for (const b of BENCHMARKS) {
      if (!header.includes(`${m}.${b}`))
        throw inputError(`missing column "${m}.${b}"`, { file, line: 1, field: `${m}.${b}` });
    }
  }
  for (const rec of records) {
    const row = parseRow(platformRow, rec.values, file, rec.line);
    const src = source(file, rec, row.printed_row, row.source_line);
    for (const m of metrics) {
      for (const b of BENCHMARKS) {
        const field = `${m}.${b}`;
        const printed = rec.values[field]!.trim();
        const p = parsePrinted(printed, { file, line: rec.line, field });
        cells.push({
          table,
          device: row.device,
          backend: row.backend,
          model: row.model,
          benchmark: b,
          metric: m,
          value: p.value,
          printed,
          source: src,
        });
      }
    }
  }
  return cells;
}

/** The normalized table: one row per model, columns `<metric>.<device>/<backend>`. */
function readNormalized(root: string): PaperCell[] {
  const { file, records, header } = read(root, "normalized.csv");
  const cells: PaperCell[] = [];
  const cols = header.filter((h) => h.startsWith("wh_per_b.") || h.startsWith("edp_per_b."));
  for (const rec of records) {
    const row = parseRow(
      { printed_row: f.number({ integer: true }), source_line: f.number({ integer: true }), model: f.oneOf(MODEL_IDS) },
      rec.values,
      file,
      rec.line,
    );
    const src = source(file, rec, row.printed_row, row.source_line);
    for (const col of cols) {
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
      const printed = rec.values[col]!.trim();
      const p = parsePrinted(printed, { file, line: rec.line, field: col });
      cells.push({
        table: "normalized",
        device: device as DeviceId,
        backend: backend as Backend,
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
  const { file, records } = read(root, "hardware.csv");
  return records.map((rec) => {
    const r = parseRow(
      {
        printed_row: f.number({ integer: true }),
        source_line: f.number({ integer: true }),
        device: f.oneOf(DEVICE_IDS),
        printed_name: f.string(),
        memory_gb: f.number({ min: 0 }),
        memory_freq_mhz: f.number({ min: 0 }),
        memory_bandwidth_gb_s: f.number({ min: 0 }),
        memory_type: f.string(),
        cpu_freq_ghz: f.number({ min: 0 }),
        gpu_freq_mhz: f.number({ min: 0 }),
        cpu_cores: f.number({ min: 0, integer: true }),
        gpu_cores: f.number({ min: 0 }),
        disk_gb: f.number({ min: 0 }),
      },
      rec.values,
      file,
      rec.line,
    );
    return {
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
      source: source(file, rec, r.printed_row, r.source_line),
    };
  });
}

function readModels(root: string): PaperModelRow[] {
  const { file, records } = read(root, "models.csv");
  return records.map((rec) => {
    const r = parseRow(
      {
        printed_row: f.number({ integer: true }),
        source_line: f.number({ integer: true }),
        model: f.oneOf(MODEL_IDS),
        printed_name: f.string(),
        size_b: f.number({ min: 0 }),
        training_tokens_t: f.number({ min: 0 }),
      },
      rec.values,
      file,
      rec.line,
    );
    return {
      model: r.model,
      printedName: r.printed_name,
      sizeB: r.size_b,
      trainingTokensT: r.training_tokens_t,
      source: source(file, rec, r.printed_row, r.source_line),
    };
  });
}

const HIGHLIGHT_METRICS = [
  "accuracy_pct",
  "energy_wh",
  "latency_s",
  "edp_js",
  "throughput",
  "per_wh",
  "power_wh_per_s",
  "wh_per_b",
  "edp_per_b",
  "speedup",
  "energy_per_inference_wh",
] as const;

function readHighlights(root: string): PaperHighlight[] {
  const { file, records } = read(root, "highlights.csv");
  return records.map((rec) => {
    const r = parseRow(
      {
        printed_row: f.number({ integer: true }),
        source_line: f.number({ integer: true }),
        table: f.oneOf(["model-efficiency", "hardware-impact", "headline"] as const),
        label: f.string(),
        device: f.oneOf(DEVICE_IDS),
        backend: f.oneOf(BACKENDS),
        model: f.oneOf(MODEL_IDS),
        benchmark: f.optionalOneOf(BENCHMARKS),
        aggregate: f.oneOf(["best", "worst", "max", "value", "ratio"] as const),
        metric: f.oneOf(HIGHLIGHT_METRICS),
        printed: f.string(),
        printed_unit: f.string(),
      },
      rec.values,
      file,
      rec.line,
    );
    const p = parsePrinted(r.printed, { file, line: rec.line, field: "printed" });
    return {
      table: r.table,
      label: r.label,
      device: r.device,
      backend: r.backend,
      model: r.model,
      benchmark: r.benchmark as Benchmark | null,
      aggregate: r.aggregate,
      metric: r.metric,
      value: p.value,
      printed: r.printed,
      printedUnit: r.printed_unit,
      source: source(file, rec, r.printed_row, r.source_line),
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

/** Look up one published cell; throws a not-found input error naming the key when absent. */
export function findCell(
  cells: readonly PaperCell[],
  key: {
    table?: PaperTable;
    device: DeviceId;
    backend: Backend;
    model: ModelId;
    benchmark: Benchmark | null;
    metric: PaperMetric;
  },
): PaperCell {
  const c = cells.find(
    (x) =>
      (key.table === undefined || x.table === key.table) &&
      x.device === key.device &&
      x.backend === key.backend &&
      x.model === key.model &&
      x.benchmark === key.benchmark &&
      x.metric === key.metric,
  );
  if (!c) throw inputError(`no published cell for ${JSON.stringify(key)}`);
  return c;
}

export type { ModelId };

/** A cell's provenance as JSON outputs print it (snake_case, as users script against it). */
export function sourceJson(s: PaperSource): {
  file: string;
  csv_line: number;
  printed_row: number;
  source_line: number;
} {
  return { file: s.file, csv_line: s.csvLine, printed_row: s.printedRow, source_line: s.sourceLine };
}
