import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inputError } from "../../errors.js";
import { f, parseRow } from "../../schema/fields.js";
import { parseCsv } from "../../util/csv.js";

/** Where the cited GPU table lives, relative to the project root. */
export const GPU_REFERENCE_FILE = "figures/data/gpus.csv";

export const GPU_REFERENCE_CLASSES = ["edge-board", "desktop", "datacenter"] as const;
export type GpuReferenceClass = (typeof GPU_REFERENCE_CLASSES)[number];

/** One GPU or board from the cited table (see figures/data/README.md for the columns). */
export interface GpuReference {
  id: string;
  name: string;
  vendor: string;
  class: GpuReferenceClass;
  launchYear: number;
  fp32Tflops: number;
  tdpW: number;
  /** Launch list price; null where the vendor published none. */
  launchPriceUsd: number | null;
  fp32Derivation: string;
  source: string;
  /** 1-based line in the CSV file. */
  line: number;
}

const schema = {
  id: f.string(),
  name: f.string(),
  vendor: f.string(),
  class: f.oneOf(GPU_REFERENCE_CLASSES),
  launch_year: f.number({ integer: true, min: 1990, max: 2100 }),
  fp32_tflops: f.number({ min: 0.001, max: 10_000 }),
  tdp_w: f.number({ min: 0.1, max: 10_000 }),
  launch_price_usd: f.optionalNumber({ min: 1 }),
  fp32_derivation: f.string(),
  source: f.string(),
};

/** Parse the GPU table; every row must name its source as an http(s) URL, ids must be unique. */
export function parseGpuReferences(text: string, file: string): GpuReference[] {
  const { records } = parseCsv(text, file);
  const seen = new Set<string>();
  return records.map((rec) => {
    const r = parseRow(schema, rec.values, file, rec.line);
    if (!/^https?:\/\/\S+$/.test(r.source)) {
      throw inputError("every row needs the URL of its source", { file, line: rec.line, field: "source", text: r.source, hint: "give the vendor page the numbers come from" });
    }
    if (seen.has(r.id)) throw inputError(`duplicate id "${r.id}"`, { file, line: rec.line, field: "id" });
    seen.add(r.id);
    return {
      id: r.id,
      name: r.name,
      vendor: r.vendor,
      class: r.class,
      launchYear: r.launch_year,
      fp32Tflops: r.fp32_tflops,
      tdpW: r.tdp_w,
      launchPriceUsd: r.launch_price_usd,
      fp32Derivation: r.fp32_derivation,
      source: r.source,
      line: rec.line,
    };
  });
}

/** Read `figures/data/gpus.csv` under the project root. */
export function loadGpuReferences(root: string): GpuReference[] {
  const file = join(root, GPU_REFERENCE_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw inputError("cannot read the GPU reference table", { file, hint: "run from the project root or set SLM_ENERGY_ROOT", cause: e });
  }
  return parseGpuReferences(text, GPU_REFERENCE_FILE);
}
