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
  const out: AuditCell[] = [];

  // Tokens per inference: latent, estimated per (model, benchmark) for the token benchmarks.
  const tokens: TokenEstimate[] = [];
  const models = [...new Set(paper.cells.map((c) => c.model))];
  for (const m of models) {
    for (const b of ["hellaswag", "winogrande"] as const)
      tokens.push(estimateTokensPerInference(paper.cells, m, b, N[b]));
  }
  const tokensFor = (m: string, b: Benchmark): TokenEstimate | undefined =>
    tokens.find((t) => t.model === m && t.benchmark === b);

  for (const c of paper.cells) {
    const b = c.benchmark;
    if (c.table === "consolidated") {
      if (c.metric === "accuracy_pct" && b) out.push(auditAccuracy(c, N[b]));
      if (c.metric === "edp_js" && b) {
        const e = idx.get(c, b, "energy_wh");
        const l = idx.get(c, b, "latency_s");
        if (e && l) {
          const rec = scale(mul(scale(iv(e), SECONDS_PER_HOUR), iv(l)), N[b]);
          out.push(
            cellOf(
              c,
              rec,
              classify(c.printed, rec),
              `edp_js = energy_wh × 3600 × latency_s × ${N[b]} (total energy × total time)`,
            ),
          );
        }
      }
    } else if (c.table === "throughput" && b) {
      const e = idx.get(c, b, "energy_wh");
      const l = idx.get(c, b, "latency_s");
      if (!e || !l) continue;
      if (c.metric === "power_wh_per_s") {
        const rec = div(iv(e), scale(iv(l), N[b]));
        out.push(cellOf(c, rec, classify(c.printed, rec), `power_wh_per_s = energy_wh / (${N[b]} × latency_s)`));
      } else if (b === "mmlu") {
        if (c.metric === "throughput") {
          const rec = div(point(1), iv(l));
          out.push(cellOf(c, rec, classify(c.printed, rec), "throughput (MMLU, inferences/s) = 1 / latency_s"));
        } else if (c.metric === "per_wh") {
          const rec = div(point(N[b]), iv(e));
          out.push(cellOf(c, rec, classify(c.printed, rec), `per_wh (MMLU, inferences/Wh) = ${N[b]} / energy_wh`));
        }
      } else {
        const t = tokensFor(c.model, b);
        if (!t) continue;
        const T = t.tokensPerInference;
        const ctx = ` (tokens per inference ${T.lo.toFixed(2)}–${T.hi.toFixed(2)}, the value ${t.agreeing.length} of ${t.tried.length} cells of this model and benchmark agree on)`;
        if (c.metric === "throughput") {
          const rec = div(T, iv(l));
          out.push(
            cellOf(
              c,
              rec,
              classify(c.printed, rec, ctx, { digitTypos: false }),
              "throughput (tokens/s) = tokens per inference / latency_s",
            ),
          );
        } else if (c.metric === "per_wh") {
          const rec = div(scale(T, N[b]), iv(e));
          out.push(
            cellOf(
              c,
              rec,
              classify(c.printed, rec, ctx, { digitTypos: false }),
              `per_wh (tokens/Wh) = tokens per inference × ${N[b]} / energy_wh`,
            ),
          );
        }
      }
    }
  }

  // Normalized table: Wh/B is mean energy over benchmarks ÷ nominal size; EDP/B is tried
  // against every plausible formula.
  const edpCells = paper.cells.filter((c) => c.table === "normalized" && c.metric === "edp_per_b");
  const inputsFor = (c: PaperCell): EdpPerBInputs | null => {
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
  const formulaResults: EdpPerBFormulaResult[] = EDP_PER_B_FORMULAS.map((f) => {
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
  const bestFormula = [...formulaResults].sort((a, b) => b.reproduces - a.reproduces)[0];
  const literal = EDP_PER_B_FORMULAS[0]!; // "EDP / size, averaged across benchmarks", as the paper words it
  // A formula is taken as the paper's definition only if it reproduces most of the column;
  // a single coincidental match proves nothing.
  const acceptedId = bestFormula && bestFormula.reproduces > edpCells.length / 2 ? bestFormula.id : undefined;
  const accepted = EDP_PER_B_FORMULAS.find((f) => f.id === acceptedId);

  for (const c of paper.cells.filter((x) => x.table === "normalized")) {
    const size = sizeOf.get(c.model);
    if (!size) continue;
    if (c.metric === "wh_per_b") {
      const es = BENCHMARKS.map((b) => idx.get(c, b, "energy_wh"))
        .filter((x): x is PaperCell => !!x)
        .map(iv);
      const rec = div(mean(es), point(size.sizeB));
      out.push(
        cellOf(
          c,
          rec,
          classify(c.printed, rec),
          `wh_per_b = mean over benchmarks of energy_wh / ${size.sizeB} (the paper's nominal size)`,
        ),
      );
    } else if (c.metric === "edp_per_b") {
      const x = inputsFor(c);
      if (!x) continue;
      const matching = EDP_PER_B_FORMULAS.filter((f) => overlaps(iv(c), f.compute(x)));
      const chosen = accepted ?? literal;
      const rec = chosen.compute(x);
      let cls: Classification;
      if (accepted && overlaps(iv(c), rec)) {
        cls = {
          verdict: "consistent",
          ratio: c.value / ((rec.lo + rec.hi) / 2),
          explanation: `reproduced by the paper's apparent definition: ${accepted.description}`,
        };
      } else {
        const alone =
          matching.length > 0
            ? `; only ${matching.map((m) => `"${m.description}"`).join(", ")} matches this one cell, and it fails on most others`
            : "";
        cls = {
          verdict: "unexplained",
          ratio: c.value / ((rec.lo + rec.hi) / 2),
          explanation: `printed ${c.printed} is ${(c.value / ((rec.lo + rec.hi) / 2)).toPrecision(3)}× the literal reading (${chosen.description}); none of ${EDP_PER_B_FORMULAS.length} plausible definitions reproduces the EDP/B column (the best reproduces ${bestFormula?.reproduces ?? 0} of ${edpCells.length} cells)${alone}`,
        };
      }
      out.push(cellOf(c, rec, cls, `edp_per_b: ${chosen.description}`));
    }
  }

  out.push(...auditHighlights(paper, idx, N));

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
  return {
    cells: out,
    summary: {
      audited: out.length,
      byVerdict,
      byMetric,
      inferences: evidence,
      tokens,
      edpPerB: formulaResults,
      primaryCells: paper.cells.filter(
        (c) => c.table === "consolidated" && (c.metric === "energy_wh" || c.metric === "latency_s"),
      ).length,
    },
  };
}
