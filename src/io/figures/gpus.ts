/**
 * The cited GPU reference table (figures/data/gpus.csv, columns in figures/data/README.md): its
 * row schema, parser and reader. Every row names its source as an http(s) URL; ids are unique.
 */
import { join } from "node:path";
import { z } from "zod";
import { inputError } from "../../errors.js";
import { PATHS } from "../../pipeline/paths.js";
import { parseCsv } from "../csv.js";
import { readTextFile } from "../files.js";
import { csvNumber, csvOptionalNumber, decodeCsvRows } from "./csv-rows.js";

export const GPU_REFERENCE_CLASSES = ["edge-board", "desktop", "datacenter"] as const;
export type GpuReferenceClass = (typeof GPU_REFERENCE_CLASSES)[number];

const text = z.string().trim();

/** One row of gpus.csv, as the file spells it (snake_case) and as the figures use it (camelCase). */
export const GpuReferenceRowSchema = z
  .object({
    id: text,
    name: text,
    vendor: text,
    class: text.pipe(
      z.enum(GPU_REFERENCE_CLASSES, {
        error: `expected one of ${GPU_REFERENCE_CLASSES.join(", ")}`,
      }),
    ),
    launch_year: csvNumber({ integer: true, min: 1990, max: 2100 }),
    fp32_tflops: csvNumber({ min: 0.001, max: 10_000 }),
    tdp_w: csvNumber({ min: 0.1, max: 10_000 }),
    launch_price_usd: csvOptionalNumber({ min: 1 }),
    fp32_derivation: text,
    source: text.refine((s) => /^https?:\/\/\S+$/.test(s), {
      error: "every row needs the URL of its source",
      params: { hint: "give the vendor page the numbers come from" },
    }),
  })
  .transform((r) => ({
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

/** One GPU or board from the cited table, with its 1-based line in the CSV file. */
export type GpuReference = z.output<typeof GpuReferenceRowSchema> & { line: number };

/** Parse the GPU table; every bad cell is reported at once, then duplicate ids. */
export function parseGpuReferences(csv: string, file: string): GpuReference[] {
  const rows = decodeCsvRows(GpuReferenceRowSchema, parseCsv(csv, file).records, file);
  const seen = new Set<string>();
  return rows.map(({ row, line }) => {
    if (seen.has(row.id)) throw inputError(`duplicate id "${row.id}"`, { file, line, field: "id" });
    seen.add(row.id);
    return { ...row, line };
  });
}

/** Read `figures/data/gpus.csv` under the project root. */
export function loadGpuReferences(root: string): GpuReference[] {
  const csv = readTextFile(join(root, PATHS.gpuReferenceCsv), "GPU reference table");
  return parseGpuReferences(csv, PATHS.gpuReferenceCsv);
}
