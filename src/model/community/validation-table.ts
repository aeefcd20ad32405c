import type { CommunityValidation, Quantity, QuantitySummary } from "./validate.js";

const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "    —  " : `${x.toFixed(1).padStart(6)}%`;

const line = (label: string, s: QuantitySummary | null) =>
  `  ${label.padEnd(24)}${pct(s?.medianApePct)} ${pct(s?.mapePct)} ${pct(s?.coveragePct)} ${pct(s?.medianSignedPct)}` +
  `  ${String(s?.n ?? 0).padStart(4)}`;

const QUANTITIES: [Quantity, string][] = [
  ["decode", "decode tokens/s"],
  ["prefill", "prefill tokens/s"],
  ["power", "average power W"],
];

/** The text tables of a corpus validation (what `validate --scheme loo-board` prints). */
export function communityValidationTable(r: CommunityValidation, rowsUsed: number, unresolved: number): string {
  const out = [
    `validation ${r.scheme}: ${r.folds} folds over ${rowsUsed} corpus rows` +
      (unresolved ? ` (${unresolved} rows the catalogs cannot place yet are left out)` : ""),
  ];
  for (const [q, title] of QUANTITIES) {
    out.push("", `${title.padEnd(26)}median     MAPE coverage   signed     n`);
    out.push(line("runtime-aware model", r.quantities[q]));
    out.push(line("statistical baseline", r.baselines.statistical[q]));
    out.push(line("uncalibrated roofline", r.baselines.rooflineUncalibrated[q]));
    const worst = Object.entries(r.quantities[q]?.byBoard ?? {})
      .filter(([, g]) => g.n >= 2)
      .sort((a, b) => b[1].medianApePct - a[1].medianApePct)
      .slice(0, 3)
      .map(([b, g]) => `${b} ${g.medianApePct.toFixed(0)}% (n ${g.n})`);
    if (worst.length) out.push(`  worst boards: ${worst.join(", ")}`);
  }
  if (r.peakBoundViolations.n)
    out.push(
      "",
      `peak-wall readings: the predicted average exceeds ${r.peakBoundViolations.above} of ${r.peakBoundViolations.n}`,
    );
  out.push(
    "",
    "median/MAPE: absolute percentage error; coverage: share inside the 90% interval; signed: median " +
      "(predicted − measured)/measured.",
  );
  return out.join("\n");
}

const cell = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${x.toFixed(1)} %`;

/** The README's Predict table: every corpus scheme and quantity beside the two baselines. */
export function communityValidationMarkdown(reports: readonly CommunityValidation[]): string {
  const out = [
    "| scheme | quantity | n | runtime-aware model: median APE | MAPE | 90 % coverage | " +
      "statistical baseline | uncalibrated roofline |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of reports)
    for (const [q, title] of QUANTITIES) {
      const s = r.quantities[q];
      if (s === null) continue;
      out.push(
        `| ${r.scheme} | ${title} | ${s.n} | ${cell(s.medianApePct)} | ${cell(s.mapePct)} | ${cell(s.coveragePct)} | ` +
          `${cell(r.baselines.statistical[q]?.medianApePct)} | ` +
          `${cell(r.baselines.rooflineUncalibrated[q]?.medianApePct)} |`,
      );
    }
  return out.join("\n");
}
