import { BENCHMARKS, type Benchmark } from "../domain/ids.js";
import { SECONDS_PER_HOUR } from "../metrics/units.js";
import { inputError } from "../errors.js";
import { deriveInferenceCounts } from "../paper/inferences.js";
import { sourceJson } from "../paper/cells.js";
import { parsePrinted } from "../paper/printed-number.js";
import type { PaperCell, PaperData } from "../paper/types.js";
import { div, fromPrinted, mean, mul, overlaps, point, scale, type Interval } from "../util/interval.js";
import { classify, VERDICTS, type Classification, type Verdict } from "./classify.js";
import { EDP_PER_B_FORMULAS, type EdpPerBInputs } from "./edp-per-b.js";
import { CellIndex } from "./cell-index.js";
import { auditHighlights } from "./highlights.js";
import { estimateTokensPerInference, type TokenEstimate } from "./tokens.js";
import type { AuditCell, AuditResult, EdpPerBFormulaResult } from "./types.js";

const iv = (c: PaperCell): Interval => fromPrinted(parsePrinted(c.printed));

function cellOf(c: PaperCell, rec: Interval, cls: Classification, formula: string): AuditCell {
  return {
    table: c.table,
    device: c.device,
    backend: c.backend,
    model: c.model,
    benchmark: c.benchmark,
    metric: c.metric,
    published: c.value,
    printed: c.printed,
    recomputed: (rec.lo + rec.hi) / 2,
    recomputed_low: rec.lo,
    recomputed_high: rec.hi,
    ratio: cls.ratio,
    verdict: cls.verdict,
    explanation: cls.explanation,
    formula,
    source: sourceJson(c.source),
  };
}

/** Accuracy must be a whole number of correct answers out of N. */
function auditAccuracy(c: PaperCell, n: number): AuditCell {
  const a = iv(c);
  const lo = Math.ceil((a.lo * n) / 100 - 1e-9);
  const hi = Math.floor((a.hi * n) / 100 + 1e-9);
  const formula = `accuracy_pct = correct / ${n} × 100 with a whole number of correct answers`;
  if (hi >= lo) {
    const k = lo;
    const rec = point((k / n) * 100);
    return cellOf(
      c,
      rec,
      {
        verdict: "consistent",
        ratio: c.value / rec.lo,
        explanation: `${k} of ${n} correct = ${((k / n) * 100).toFixed(2)} %`,
      },
      formula,
    );
  }
  const k = Math.round((c.value * n) / 100);
  const rec = point((k / n) * 100);
  return cellOf(
    c,
    rec,
    classify(c.printed, rec, ` (no whole number of correct answers out of ${n} prints as ${c.printed} %)`),
    formula,
  );
}

type Counts = Record<Benchmark, number>;
type TokensFor = (m: string, b: Benchmark) => TokenEstimate | undefined;

/** A consolidated cell: accuracy against whole correct answers, EDP from total energy × total time. */
function auditConsolidatedCell(c: PaperCell, idx: CellIndex, N: Counts): AuditCell[] {
  const b = c.benchmark;
  if (!b) return [];
  if (c.metric === "accuracy_pct") return [auditAccuracy(c, N[b])];
  if (c.metric !== "edp_js") return [];
  const e = idx.get(c, b, "energy_wh");
  const l = idx.get(c, b, "latency_s");
  if (!e || !l) return [];
  const rec = scale(mul(scale(iv(e), SECONDS_PER_HOUR), iv(l)), N[b]);
  const formula = `edp_js = energy_wh × 3600 × latency_s × ${N[b]} (total energy × total time)`;
  return [cellOf(c, rec, classify(c.printed, rec), formula)];
}

/** A throughput-table cell: power, and items per second and per Wh (inferences for MMLU, else tokens). */
function auditThroughputCell(c: PaperCell, idx: CellIndex, N: Counts, tokensFor: TokensFor): AuditCell[] {
  const b = c.benchmark;
  if (!b) return [];
  const e = idx.get(c, b, "energy_wh");
  const l = idx.get(c, b, "latency_s");
  if (!e || !l) return [];
  const audited = (rec: Interval, formula: string, cls = classify(c.printed, rec)): AuditCell[] => [
    cellOf(c, rec, cls, formula),
  ];
  if (c.metric === "power_wh_per_s") {
    return audited(div(iv(e), scale(iv(l), N[b])), `power_wh_per_s = energy_wh / (${N[b]} × latency_s)`);
  }
  if (b === "mmlu") {
    if (c.metric === "throughput") {
      return audited(div(point(1), iv(l)), "throughput (MMLU, inferences/s) = 1 / latency_s");
    }
    if (c.metric === "per_wh")
      return audited(div(point(N[b]), iv(e)), `per_wh (MMLU, inferences/Wh) = ${N[b]} / energy_wh`);
    return [];
  }
  const t = tokensFor(c.model, b);
  if (!t) return [];
  const T = t.tokensPerInference;
  const ctx =
    ` (tokens per inference ${T.lo.toFixed(2)}–${T.hi.toFixed(2)}, the value ${t.agreeing.length} of ` +
    `${t.tried.length} cells of this model and benchmark agree on)`;
  const byTokens = (rec: Interval): Classification => classify(c.printed, rec, ctx, { digitTypos: false });
  if (c.metric === "throughput") {
    const rec = div(T, iv(l));
    return audited(rec, "throughput (tokens/s) = tokens per inference / latency_s", byTokens(rec));
  }
  if (c.metric === "per_wh") {
    const rec = div(scale(T, N[b]), iv(e));
    return audited(rec, `per_wh (tokens/Wh) = tokens per inference × ${N[b]} / energy_wh`, byTokens(rec));
  }
  return [];
}

type InputsFor = (c: PaperCell) => EdpPerBInputs | null;

/** What the EDP/B formulas need for a normalized cell: size, and per benchmark energy, latency, EDP. */
function edpPerBInputs(idx: CellIndex, sizeOf: ReadonlyMap<string, { sizeB: number }>, N: Counts): InputsFor {
  return (c) => {
    const size = sizeOf.get(c.model);
    if (!size) return null;
    const rec = <T>(f: (b: Benchmark) => T): Record<Benchmark, T> => ({
      mmlu: f("mmlu"),
      hellaswag: f("hellaswag"),
      winogrande: f("winogrande"),
    });
    const need = (b: Benchmark, m: string): Interval => {
      const x = idx.get(c, b, m);
      if (!x)
        throw inputError(`no published ${m} for ${c.device}/${c.backend} ${c.model} ${b}, which ${c.metric} needs`, {
          file: c.source.file,
          line: c.source.csvLine,
          hint: "every model in normalized.csv needs its consolidated.csv rows for all three benchmarks",
        });
      return iv(x);
    };
    return {
      sizeB: point(size.sizeB),
      energyWh: rec((b) => need(b, "energy_wh")),
      latencyS: rec((b) => need(b, "latency_s")),
      publishedEdpJs: rec((b) => need(b, "edp_js")),
      inferences: N,
    };
  };
}

interface EdpPerBRanking {
  results: EdpPerBFormulaResult[];
  best: EdpPerBFormulaResult | undefined;
  /** The formula taken as the paper's definition, if one reproduces most of the column. */
  accepted: (typeof EDP_PER_B_FORMULAS)[number] | undefined;
  cells: number;
}

/** Every plausible EDP/B formula against the whole published column. */
function rankEdpPerBFormulas(edpCells: readonly PaperCell[], inputsFor: InputsFor): EdpPerBRanking {
  const results: EdpPerBFormulaResult[] = EDP_PER_B_FORMULAS.map((f) => {
    let reproduces = 0;
    let ratioMin = Infinity;
    let ratioMax = -Infinity;
    for (const c of edpCells) {
      const x = inputsFor(c);
      if (!x) continue;
      const r = f.compute(x);
      if (overlaps(iv(c), r)) reproduces++;
      const ratio = c.value / ((r.lo + r.hi) / 2);
      ratioMin = Math.min(ratioMin, ratio);
      ratioMax = Math.max(ratioMax, ratio);
    }
    return { id: f.id, description: f.description, reproduces, cells: edpCells.length, ratioMin, ratioMax };
  });
  const best = [...results].sort((a, b) => b.reproduces - a.reproduces)[0];
  // A formula is taken as the paper's definition only if it reproduces most of the column;
  // a single coincidental match proves nothing.
  const acceptedId = best && best.reproduces > edpCells.length / 2 ? best.id : undefined;
  const accepted = EDP_PER_B_FORMULAS.find((f) => f.id === acceptedId);
  return { results, best, accepted, cells: edpCells.length };
}

/** One EDP/B cell against the accepted formula, or the literal reading when none is accepted. */
function auditEdpPerBCell(c: PaperCell, x: EdpPerBInputs, ranking: EdpPerBRanking): AuditCell {
  const { accepted, best } = ranking;
  const literal = EDP_PER_B_FORMULAS[0]!; // "EDP / size, averaged across benchmarks", as the paper words it
  const matching = EDP_PER_B_FORMULAS.filter((f) => overlaps(iv(c), f.compute(x)));
  const chosen = accepted ?? literal;
  const rec = chosen.compute(x);
  const ratio = c.value / ((rec.lo + rec.hi) / 2);
  let cls: Classification;
  if (accepted && overlaps(iv(c), rec)) {
    cls = {
      verdict: "consistent",
      ratio,
      explanation: `reproduced by the paper's apparent definition: ${accepted.description}`,
    };
  } else {
    const alone =
      matching.length > 0
        ? `; only ${matching.map((m) => `"${m.description}"`).join(", ")} matches this one cell, and it fails ` +
          `on most others`
        : "";
    cls = {
      verdict: "unexplained",
      ratio,
      explanation:
        `printed ${c.printed} is ${ratio.toPrecision(3)}× the literal reading (${chosen.description}); ` +
        `none of ${EDP_PER_B_FORMULAS.length} plausible definitions reproduces the EDP/B column ` +
        `(the best reproduces ${best?.reproduces ?? 0} of ${ranking.cells} cells)${alone}`,
    };
  }
  return cellOf(c, rec, cls, `edp_per_b: ${chosen.description}`);
}

/**
 * Normalized table: Wh/B is mean energy over benchmarks ÷ nominal size; EDP/B is tried against
 * every plausible formula.
 */
function auditNormalized(
  paper: PaperData,
  idx: CellIndex,
  sizeOf: ReadonlyMap<string, { sizeB: number }>,
  N: Counts,
): { cells: AuditCell[]; ranking: EdpPerBRanking } {
  const inputsFor = edpPerBInputs(idx, sizeOf, N);
  const edpCells = paper.cells.filter((c) => c.table === "normalized" && c.metric === "edp_per_b");
  const ranking = rankEdpPerBFormulas(edpCells, inputsFor);
  const out: AuditCell[] = [];
  for (const c of paper.cells.filter((x) => x.table === "normalized")) {
    const size = sizeOf.get(c.model);
    if (!size) continue;
    if (c.metric === "wh_per_b") {
      const es = BENCHMARKS.map((b) => idx.get(c, b, "energy_wh"))
        .filter((x): x is PaperCell => !!x)
        .map(iv);
      const rec = div(mean(es), point(size.sizeB));
      const formula = `wh_per_b = mean over benchmarks of energy_wh / ${size.sizeB} (the paper's nominal size)`;
      out.push(cellOf(c, rec, classify(c.printed, rec), formula));
    } else if (c.metric === "edp_per_b") {
      const x = inputsFor(c);
      if (x) out.push(auditEdpPerBCell(c, x, ranking));
    }
  }
  return { cells: out, ranking };
}

/** Counts of verdicts overall and per `table.metric`. */
function verdictCounts(out: readonly AuditCell[]): {
  byVerdict: Record<Verdict, number>;
  byMetric: Record<string, Record<Verdict, number>>;
} {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, out.filter((c) => c.verdict === v).length])) as Record<
    Verdict,
    number
  >;
  const byMetric: Record<string, Record<Verdict, number>> = {};
  for (const c of out) {
    const k = `${c.table}.${c.metric}`;
    byMetric[k] ??= Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
    byMetric[k][c.verdict]++;
  }
  return { byVerdict, byMetric };
}

/**
 * Recompute every derived published cell from the primary ones (accuracy, total energy, latency),
 * treating each printed number as the interval its precision allows, and classify each.
 */
export function runAudit(paper: PaperData): AuditResult {
  const idx = new CellIndex(paper.cells);
  const evidence = deriveInferenceCounts(paper.cells);
  const N = {
    mmlu: evidence.mmlu.inferences,
    hellaswag: evidence.hellaswag.inferences,
    winogrande: evidence.winogrande.inferences,
  };
  const sizeOf = new Map(paper.models.map((m) => [m.model, m]));

  // Tokens per inference: latent, estimated per (model, benchmark) for the token benchmarks.
  const tokens: TokenEstimate[] = [];
  const models = [...new Set(paper.cells.map((c) => c.model))];
  for (const m of models) {
    for (const b of ["hellaswag", "winogrande"] as const)
      tokens.push(estimateTokensPerInference(paper.cells, m, b, N[b]));
  }
  const tokensFor: TokensFor = (m, b) => tokens.find((t) => t.model === m && t.benchmark === b);

  const out: AuditCell[] = paper.cells.flatMap((c) =>
    c.table === "consolidated"
      ? auditConsolidatedCell(c, idx, N)
      : c.table === "throughput"
        ? auditThroughputCell(c, idx, N, tokensFor)
        : [],
  );
  const normalized = auditNormalized(paper, idx, sizeOf, N);
  out.push(...normalized.cells);
  out.push(...auditHighlights(paper, idx, N));

  return {
    cells: out,
    summary: {
      audited: out.length,
      ...verdictCounts(out),
      inferences: evidence,
      tokens,
      edpPerB: normalized.ranking.results,
      primaryCells: paper.cells.filter(
        (c) => c.table === "consolidated" && (c.metric === "energy_wh" || c.metric === "latency_s"),
      ).length,
    },
  };
}
