import type { MetricSummary, ValidationReport } from "./validate.js";

const pctS = (x: number | null) => (x === null || !Number.isFinite(x) ? "   —  " : `${x.toFixed(1).padStart(5)}%`);

function row(label: string, s: MetricSummary): string {
  const by = Object.entries(s.byBenchmark)
    .map(([b, v]) => `${b} ${pctS(v.mapePct).trim()}`)
    .join(", ");
  return (
    `  ${label.padEnd(24)} ${pctS(s.mapePct)}  ${pctS(s.medianApePct)}  ${pctS(s.maxApePct)}  ` +
    `${pctS(s.coveragePct)}   ${by}`
  );
}

/** The text tables of a validation (what `slm-energy validate` prints and validation.md holds). */
export function validationTable(r: ValidationReport): string {
  const out: string[] = [];
  out.push(
    `validation ${r.scheme}: ${r.folds} folds, ${r.cells.length} held-out cells, ` +
      `${r.bootstrap} bootstrap replicates per fold`,
  );
  for (const [title, k] of [
    ["latency (per inference)", "latency"],
    ["energy (per inference)", "energy"],
  ] as const) {
    out.push("");
    out.push(`${title}            MAPE   median     max  coverage   MAPE by benchmark`);
    out.push(row("calibrated model", r[k]));
    out.push(row("statistical baseline", r.baselines.statistical[k]));
    out.push(row("uncalibrated roofline", r.baselines.rooflineUncalibrated[k]));
  }
  out.push("");
  out.push("coverage: share of held-out measurements inside the 90% prediction interval (the roofline has none).");
  return out.join("\n");
}
