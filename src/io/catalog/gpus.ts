import { join } from "node:path";
import type { z } from "zod";
import type { Issue } from "../../errors.js";
import { PATHS } from "../../pipeline/paths.js";
import { parseCsv } from "../csv.js";
import { cell, decodeCsvRows } from "../csv-rows.js";
import { issuesError } from "../json.js";
import { object, repeats } from "./fields.js";
import { readCatalogText } from "./read-text.js";

/** `figures/data/gpus.csv`: the cited table of GPUs and boards (see figures/data/README.md for the columns). */

export const GPU_REFERENCE_CLASSES = ["edge-board", "desktop", "datacenter"] as const;
export type GpuReferenceClass = (typeof GPU_REFERENCE_CLASSES)[number];

const GpuRowSchema = object({
  id: cell.text(),
  name: cell.text(),
  vendor: cell.text(),
  class: cell.oneOf(GPU_REFERENCE_CLASSES),
  launch_year: cell.number({ integer: true, min: 1990, max: 2100 }),
  fp32_tflops: cell.number({ min: 0.001, max: 10_000 }),
  tdp_w: cell.number({ min: 0.1, max: 10_000 }),
  launch_price_usd: cell.optionalNumber({ min: 1 }),
  fp32_derivation: cell.text(),
  source: cell.text().refine((s) => /^https?:\/\/\S+$/.test(s), {
    error: "every row needs the URL of its source",
    params: { hint: "give the vendor page the numbers come from" },
  }),
}).transform((r) => ({
  id: r.id,
  name: r.name,
  vendor: r.vendor,
  class: r.class,
  launchYear: r.launch_year,
  fp32Tflops: r.fp32_tflops,
  tdpW: r.tdp_w,
  /** Launch list price; null where the vendor published none. */
  launchPriceUsd: r.launch_price_usd,
  fp32Derivation: r.fp32_derivation,
  source: r.source,
}));

/** One GPU or board from the cited table, with the 1-based line of its row in the CSV file. */
export type GpuReference = z.output<typeof GpuRowSchema> & { line: number };

/** Parse the GPU table; every row must name its source as an http(s) URL, ids must be unique. */
export function parseGpuReferences(text: string, file: string): GpuReference[] {
  const rows = decodeCsvRows(GpuRowSchema, parseCsv(text, file), file);
  const duplicates: Issue[] = repeats(rows, (r) => r.row.id).map(({ index, value }) => ({
    message: `duplicate id "${value}"`,
    file,
    line: rows[index]!.line,
    field: "id",
  }));
  if (duplicates.length > 0) throw issuesError(duplicates);
  return rows.map(({ line, row }) => ({ ...row, line }));
}

/** Read `figures/data/gpus.csv` under the project root (errors name it relative to the root). */
export function loadGpuReferences(root: string): GpuReference[] {
  const text = readCatalogText(join(root, PATHS.gpuReferenceCsv), "GPU reference table");
  return parseGpuReferences(text, PATHS.gpuReferenceCsv);
}
