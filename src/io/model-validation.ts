import type {
  CellChecks,
  ErrorSummary,
  MetricSummary,
  PredictorSummary,
  ValidationReport,
  ValueCheck,
} from "../model/validate.js";

/**
 * The `validate --json` document (and figures/tables/validation-<scheme>.json): the validation
 * report under its wire names (field names fixed by the issue), numbers to 6 significant digits.
 */
const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6)));

function roundDeep(v: unknown): unknown {
  if (typeof v === "number") return round(v);
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return v;
}

const summaryWire = (s: ErrorSummary) => ({
  mape_pct: s.mapePct,
  median_ape_pct: s.medianApePct,
  max_ape_pct: s.maxApePct,
  coverage_pct: s.coveragePct,
  n: s.n,
});

const metricWire = (s: MetricSummary) => ({
  ...summaryWire(s),
  by_benchmark: Object.fromEntries(Object.entries(s.byBenchmark).map(([b, v]) => [b, summaryWire(v)])),
});

const predictorWire = (p: PredictorSummary) => ({ latency: metricWire(p.latency), energy: metricWire(p.energy) });

const checkWire = (c: ValueCheck) => ({
  measured: c.measured,
  predicted: c.predicted,
  low: c.low,
  high: c.high,
  ape_pct: c.apePct,
});

const checksWire = (c: CellChecks) => ({ latency_s: checkWire(c.latencyS), energy_wh: checkWire(c.energyWh) });

export function validationJson(r: ValidationReport): unknown {
  return roundDeep({
    scheme: r.scheme,
    ...predictorWire(r),
    baselines: {
      statistical: predictorWire(r.baselines.statistical),
      roofline_uncalibrated: predictorWire(r.baselines.rooflineUncalibrated),
    },
    folds: r.folds,
    bootstrap: r.bootstrap,
    cells: r.cells.map((c) => ({
      fold: c.fold,
      device: c.device,
      backend: c.backend,
      power_mode: c.powerMode,
      model: c.model,
      benchmark: c.benchmark,
      ...checksWire(c),
      baselines: {
        statistical: checksWire(c.baselines.statistical),
        roofline_uncalibrated: checksWire(c.baselines.rooflineUncalibrated),
      },
      transfers: c.transfers,
    })),
  });
}
