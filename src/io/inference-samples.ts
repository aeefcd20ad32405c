import { existsSync } from "node:fs";
import { z } from "zod";
import { notFoundError } from "../errors.js";
import type { InferenceSample } from "../stats/ingested.js";
import { parseCsv } from "./csv.js";
import { cell, decodeCsvRowsWithLines as rowsWithLines } from "./csv-rows.js";
import { readTextFile } from "./files.js";

/** The columns of `data/processed/inferences.csv` the statistics read (others are ignored). */
export const InferenceSampleRow = z.object({
  run_id: cell.text(),
  device: cell.text(),
  backend: cell.text(),
  power_mode: cell.optionalText(),
  model: cell.text(),
  quantization: cell.optionalText(),
  benchmark: cell.optionalText(),
  latency_s: cell.number({ min: 0 }),
  energy_gross_j: cell.optionalNumber({ min: 0 }),
  correct: cell.optionalBoolean(),
});

/** Parse the text of an `inferences.csv`; an error names the file, line and field of every bad value. */
export function parseInferenceSamples(text: string, file: string): InferenceSample[] {
  return rowsWithLines(InferenceSampleRow, parseCsv(text, file), file).map((r) => ({
    runId: r.run_id,
    device: r.device,
    backend: r.backend,
    powerMode: r.power_mode,
    model: r.model,
    quantization: r.quantization,
    benchmark: r.benchmark,
    latencyS: r.latency_s,
    energyGrossJ: r.energy_gross_j,
    correct: r.correct,
  }));
}

/** Read `inferences.csv` (as `slm-energy ingest` writes it). */
export function readInferenceSamples(path: string): InferenceSample[] {
  let text: string;
  try {
    text = readTextFile(path, "inferences table");
  } catch (e) {
    throw notFoundError("inferences table not found", {
      file: path,
      cause: e,
      hint: "run `slm-energy ingest` first (it writes data/processed/inferences.csv)",
    });
  }
  return parseInferenceSamples(text, path);
}

/** Run ids marked simulated in a `runs.csv` (empty when the file does not exist). */
export function simulatedRunIds(runsCsv: string): Set<string> {
  if (!existsSync(runsCsv)) return new Set();
  const { records } = parseCsv(readTextFile(runsCsv, "runs table"), runsCsv);
  return new Set(
    records.filter((r) => (r.values.simulated ?? "").trim() === "true").map((r) => (r.values.run_id ?? "").trim()),
  );
}
