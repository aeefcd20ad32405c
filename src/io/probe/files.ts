/**
 * Reading the probe's and the sweep's files (probe.json, sweep.json, sweep.csv) against their
 * schemas: every bad field of a file is reported at once, with its line. Writing is in
 * pipeline/probe/write.ts; `formatSweepCsv` gives the CSV text both use.
 */
import type { z } from "zod";
import { inputError } from "../../errors.js";
import type { ProbeResult } from "../../probe/probe.js";
import type { SweepPoint } from "../../probe/sweep.js";
import { formatCsv, parseCsv } from "../csv.js";
import { readJsonFile, readTextFile } from "../files.js";
import { decodeCsvRows } from "../csv-rows.js";
import { decodeJson, parseJsonDocument, type JsonDocument } from "../json.js";
import { SWEEP_CSV_COLUMNS, SweepCsvRowSchema, SweepDocumentSchema, SweepInferenceRecordSchema } from "./schema.js";
import { ProbeFileSchema, ProbeResultSchema } from "./schema.js";

/** sweep.json: the sweep's result with the conditions it ran under. */
export type SweepDocument = z.output<typeof SweepDocumentSchema>;
/** One row of sweep.csv as read back. */
export type SweepCsvRow = z.output<typeof SweepCsvRowSchema>;
/** The fields of one collected inference the sweep needs. */
export type SweepInferenceRecord = z.output<typeof SweepInferenceRecordSchema>;

/** probe.json as the file spells it. */
export type ProbeFile = z.output<typeof ProbeFileSchema>;

/** A probe result as probe.json spells it (snake_case where the file has it, in the file's key order). */
export function probeToWire(p: ProbeResult): ProbeFile {
  return {
    schema: p.schema,
    measured_at: p.measuredAt,
    machine: p.machine,
    bandwidth: p.bandwidth,
    effective: p.effective,
    ...(p.compute === undefined ? {} : { compute: p.compute }),
  };
}

/** A sweep document as sweep.json spells it (its probe as probe.json does). */
export function sweepDocumentToWire(d: SweepDocument): Omit<SweepDocument, "probe"> & { probe: ProbeFile | null } {
  return { ...d, probe: d.probe === null ? null : probeToWire(d.probe) };
}

/** A probe result written by `slm-energy probe --out` (or beside a sweep). */
export function readProbeFile(path: string): ProbeResult {
  return readJsonFile(ProbeResultSchema, path, { hint: "write one with `slm-energy probe --out probe.json`" });
}

/** A sweep written by `slm-energy sweep --out DIR` (DIR/sweep.json). */
export function readSweepFile(path: string): SweepDocument {
  return readJsonFile(SweepDocumentSchema, path, { hint: "write one with `slm-energy sweep --out DIR`" });
}

/** The records of a collected bundle's inference.jsonl, as far as the sweep reads them. */
export function readSweepInferences(path: string): SweepInferenceRecord[] {
  return readTextFile(path, "inference log")
    .split("\n")
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== "")
    .map((l) => {
      let doc: JsonDocument;
      try {
        doc = parseJsonDocument(l.text, path);
      } catch (e) {
        throw inputError("invalid JSON line", { file: path, line: l.line, text: l.text.slice(0, 40), cause: e });
      }
      // Every value of a JSON line sits on that line of the file.
      return decodeJson(SweepInferenceRecordSchema, { ...doc, lineAt: () => l.line });
    });
}

/** sweep.csv's text: one row per model, snake_case columns. */
export function formatSweepCsv(points: readonly SweepPoint[]): string {
  const rows = points.map((p) => ({
    model: p.model,
    quant: p.quant,
    scale: p.scale,
    parameters: p.parameters,
    file_bytes: p.fileBytes,
    weight_bytes_per_token: p.weightBytesPerToken,
    bytes_per_token: p.bytesPerToken,
    prompt_tokens: p.promptTokens,
    decode_tokens_per_s: p.decodeTokensPerS,
    decode_tokens_per_s_median: p.decodeTokensPerSMedian,
    predicted_decode_tokens_per_s: p.predictedDecodeTokensPerS,
    error_pct: p.errorPct,
    model_decode_tokens_per_s: p.modelDecodeTokensPerS,
    model_error_pct: p.modelErrorPct,
    achieved_gbps: p.achievedGBps,
    prefill_tokens_per_s: p.prefillTokensPerS,
    prefill_gflops_per_s: p.prefillGflopsPerS,
    fitted: String(p.fitted),
  }));
  return formatCsv(SWEEP_CSV_COLUMNS, rows);
}

/** Parse sweep.csv text named `file`; every bad cell of every row is reported at once. */
export function parseSweepCsv(text: string, file: string): SweepCsvRow[] {
  return decodeCsvRows(SweepCsvRowSchema, parseCsv(text, file), file).map((r) => r.row);
}

/** Read DIR/sweep.csv. */
export function readSweepCsv(path: string): SweepCsvRow[] {
  return parseSweepCsv(readTextFile(path, "sweep table"), path);
}
