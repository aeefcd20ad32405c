/**
 * How far ingestion landed from each simulated bundle's truth: one row per bundle, run totals of
 * the ingested tables against its `truth.json` (the `simulated-vs-truth.csv` of `reproduce`).
 */
import type { BundleResult } from "../ingest/bundle/result.js";
import { formatCsv } from "../io/csv.js";
import type { TruthFile } from "../io/truth.js";

export const VS_TRUTH_COLUMNS = [
  "run_id",
  "meter",
  "runtime",
  "sample_hz",
  "inferences",
  "energy_true_j",
  "energy_ingested_j",
  "energy_err_pct",
  "energy_bound_j",
  "within_bound",
  "span_energy_true_j",
  "span_energy_ingested_j",
  "span_energy_err_pct",
  "latency_true_s",
  "latency_ingested_s",
  "tokens_true",
  "tokens_ingested",
] as const;

type VsTruthRow = Record<(typeof VS_TRUTH_COLUMNS)[number], string | number | boolean | null>;

const p8 = (x: number): number => Number(x.toPrecision(8));
const errPct = (got: number, truth: number): number => Number(((100 * (got - truth)) / truth).toPrecision(4));

/** One bundle's ingested run totals against its truth. */
export function vsTruthRow(b: BundleResult, t: TruthFile): VsTruthRow {
  // Energy per record × its repetitions (llama-bench), over the records that got an energy.
  const pairs = b.inferences
    .filter((r) => r.energyGrossJ !== null)
    .map((r) => ({ r, t: t.inferences.find((x) => x.index === r.index) }))
    .filter((p): p is { r: (typeof p)["r"]; t: NonNullable<(typeof p)["t"]> } => p.t !== undefined);
  const trueJ = pairs.reduce((s, p) => s + p.t.energyJ * p.t.repetitions, 0);
  const gotJ = pairs.reduce((s, p) => s + p.r.energyGrossJ! * p.t.repetitions, 0);
  const boundJ = pairs.reduce((s, p) => s + p.t.energyToleranceJ * p.t.repetitions, 0);
  const span = b.run.spanEnergyJ;
  return {
    run_id: b.runId,
    meter: t.meter.id,
    runtime: t.runtime,
    sample_hz: t.request.sampleHz,
    inferences: b.inferences.length,
    energy_true_j: p8(trueJ),
    energy_ingested_j: p8(gotJ),
    energy_err_pct: errPct(gotJ, trueJ),
    energy_bound_j: Number(boundJ.toPrecision(6)),
    within_bound: Math.abs(gotJ - trueJ) <= boundJ,
    span_energy_true_j: p8(t.totals.span_energy_j),
    span_energy_ingested_j: span === null ? null : p8(span),
    span_energy_err_pct: span === null ? null : errPct(span, t.totals.span_energy_j),
    latency_true_s: p8(t.totals.latency_s),
    latency_ingested_s: p8(b.inferences.reduce((s, r) => s + r.latencyS, 0)),
    tokens_true: t.totals.tokens,
    tokens_ingested: b.inferences.reduce((s, r) => s + (r.promptTokens ?? 0) + (r.genTokens ?? 0), 0),
  };
}

/** `simulated-vs-truth.csv`: a row per bundle that has a truth (by run id), in the results' order. */
export function simulatedVsTruthCsv(results: readonly BundleResult[], truths: ReadonlyMap<string, TruthFile>): string {
  const rows = results.flatMap((b) => {
    const t = truths.get(b.runId);
    return t === undefined ? [] : [vsTruthRow(b, t)];
  });
  return formatCsv(VS_TRUTH_COLUMNS, rows);
}
