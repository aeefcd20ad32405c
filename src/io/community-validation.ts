import type { CommunityValidation, GroupError, Quantity, QuantitySummary } from "../model/community/validate.js";

/**
 * The `validate --scheme loo-board|loo-source|loo-runtime --json` document (and
 * figures/tables/validation-<scheme>.json): per quantity (`decode`, `prefill`, `power`) the
 * fields the issue fixes — median_ape_pct, mape_pct, coverage_pct, by_board, by_runtime — plus the
 * signed median and n; numbers to 6 significant digits.
 */
const round = (x: number | null): number | null =>
  x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(6));

const groupWire = (g: Record<string, GroupError>) =>
  Object.fromEntries(Object.entries(g).map(([k, v]) => [k, { median_ape_pct: round(v.medianApePct), n: v.n }]));

const quantityWire = (s: QuantitySummary | null) =>
  s === null
    ? null
    : {
        median_ape_pct: round(s.medianApePct),
        mape_pct: round(s.mapePct),
        coverage_pct: round(s.coveragePct),
        median_signed_pct: round(s.medianSignedPct),
        n: s.n,
        by_board: groupWire(s.byBoard),
        by_runtime: groupWire(s.byRuntime),
      };

const perQuantity = (q: Record<Quantity, QuantitySummary | null>) => ({
  decode: quantityWire(q.decode),
  prefill: quantityWire(q.prefill),
  power: quantityWire(q.power),
});

export function communityValidationJson(
  r: CommunityValidation,
  context: { rowsUsed: number; unresolved: { rowId: string; reason: string }[] },
): unknown {
  return {
    scheme: r.scheme,
    folds: r.folds,
    rows_used: context.rowsUsed,
    ...perQuantity(r.quantities),
    baselines: {
      statistical: perQuantity(r.baselines.statistical),
      roofline_uncalibrated: perQuantity(r.baselines.rooflineUncalibrated),
    },
    peak_bound: { n: r.peakBoundViolations.n, above: r.peakBoundViolations.above },
    unresolved: context.unresolved.map((u) => ({ row_id: u.rowId, reason: u.reason })),
    checks: r.checks.map((c) => ({
      id: c.id,
      fold: c.fold,
      board: c.board,
      runtime: c.runtime,
      quantity: c.quantity,
      measured: round(c.measured),
      predicted: round(c.predicted),
      low: round(c.low),
      high: round(c.high),
      ape_pct: round(c.apePct),
      statistical: round(c.baselines.statistical),
      roofline_uncalibrated: round(c.baselines.rooflineUncalibrated),
    })),
  };
}
