import type { Benchmark } from "../domain/ids.js";
import { parsePrinted } from "../paper/printed-number.js";
import { sourceJson } from "../paper/cells.js";
import type { PaperCell, PaperData, PaperHighlight } from "../paper/types.js";
import { div, fromPrinted, overlaps, scale, type Interval } from "../util/interval.js";
import type { CellIndex } from "./cell-index.js";
import { classify, type Classification } from "./classify.js";
import type { AuditCell } from "./types.js";

const iv = (c: PaperCell): Interval => fromPrinted(parsePrinted(c.printed));

interface Reference {
  rec: Interval;
  formula: string;
  /** The cell the claim picks, and the cells it claims to beat. */
  picked: PaperCell | undefined;
  peers: PaperCell[];
  direction: "min" | "max" | null;
  /** An alternative reading to test when the main one fails (a unit label slip). */
  alternative?: { rec: Interval; why: string };
}

const TOKEN_BENCHMARKS: (Benchmark | null)[] = ["hellaswag", "winogrande"];

/** EDP/B highlights: the normalized cell, or a consolidated EDP ÷ size (or, misprinted, not divided). */
function edpPerBReference(
  h: PaperHighlight,
  cells: readonly PaperCell[],
  idx: CellIndex,
  size: number | undefined,
): Reference | null {
  if (h.benchmark === null) {
    const picked = idx.get(h, null, "edp_per_b");
    if (!picked) return null;
    const peers = cells.filter((c) => c.metric === "edp_per_b");
    return { rec: iv(picked), formula: "the normalized table's EDP/B cell", picked, peers, direction: "min" };
  }
  const edp = idx.get(h, h.benchmark, "edp_js");
  if (!edp || size === undefined) return null;
  const peers = cells.filter((c) => c.metric === "edp_js");
  return {
    rec: scale(iv(edp), 1 / size),
    formula: `the consolidated EDP of the cell ÷ ${size} B`,
    picked: edp,
    peers,
    direction: h.aggregate === "worst" ? "max" : "min",
    alternative: {
      rec: iv(edp),
      why: `the value is the consolidated EDP in J·s, printed with the unit J·s/B (not divided by the ${size} B size)`,
    },
  };
}

/** Highlights of a consolidated metric: the cell, best among its peers (or the largest). */
function consolidatedReference(
  h: PaperHighlight,
  metric: "latency_s" | "accuracy_pct" | "energy_wh",
  cells: readonly PaperCell[],
  idx: CellIndex,
): Reference | null {
  const picked = idx.get(h, h.benchmark, metric);
  if (!picked) return null;
  const lowerIsBetter = metric !== "accuracy_pct";
  const peers =
    h.aggregate === "best"
      ? cells.filter(
          (c) =>
            c.metric === metric && c.model === h.model && c.benchmark === h.benchmark && c.table === "consolidated",
        )
      : cells.filter((c) => c.metric === metric && c.model === h.model && c.table === "consolidated");
  const direction = h.aggregate === "best" ? (lowerIsBetter ? "min" : "max") : h.aggregate === "max" ? "max" : null;
  return { rec: iv(picked), formula: `the consolidated ${metric} cell`, picked, peers, direction };
}

/** A speedup: the slower platform is this row's; the faster one is the "best" row printed on the same line. */
function speedupReference(h: PaperHighlight, paper: PaperData, idx: CellIndex): Reference | null {
  const best = paper.highlights.find((x) => x.source.sourceLine === h.source.sourceLine && x.aggregate === "best");
  const slow = idx.get(h, h.benchmark, "latency_s");
  const fast = best ? idx.get(best, h.benchmark, "latency_s") : undefined;
  if (!slow || !fast) return null;
  return {
    rec: div(iv(slow), iv(fast)),
    formula: `latency ${slow.printed} s / ${fast.printed} s`,
    picked: undefined,
    peers: [],
    direction: null,
  };
}

/** What a highlight claims, recomputed from the table it summarises, with the cells it claims to beat. */
function reference(
  h: PaperHighlight,
  paper: PaperData,
  idx: CellIndex,
  N: Record<Benchmark, number>,
): Reference | null {
  const cells = paper.cells;
  const size = paper.models.find((m) => m.model === h.model)?.sizeB;
  const same = (c: PaperCell): boolean => c.device === h.device && c.backend === h.backend && c.model === h.model;
  switch (h.metric) {
    case "per_wh": {
      const picked = idx.get(h, h.benchmark, "per_wh");
      if (!picked) return null;
      const peers = cells.filter((c) => c.metric === "per_wh" && TOKEN_BENCHMARKS.includes(c.benchmark));
      return { rec: iv(picked), formula: "the throughput table's tokens/Wh cell", picked, peers, direction: "max" };
    }
    case "edp_per_b":
      return edpPerBReference(h, cells, idx, size);
    case "latency_s":
    case "accuracy_pct":
    case "energy_wh":
      return consolidatedReference(h, h.metric, cells, idx);
    case "energy_per_inference_wh": {
      const e = idx.get(h, h.benchmark, "energy_wh");
      if (!e || !h.benchmark) return null;
      const peers = cells.filter((c) => c.metric === "energy_wh" && c.model === h.model && c.benchmark === h.benchmark);
      return {
        rec: scale(iv(e), 1 / N[h.benchmark]),
        formula: `consolidated energy_wh / ${N[h.benchmark]} inferences`,
        picked: e,
        peers,
        direction: "min",
      };
    }
    case "throughput": {
      const mine = cells.filter((c) => same(c) && c.metric === "throughput" && TOKEN_BENCHMARKS.includes(c.benchmark));
      const picked = [...mine].sort((a, b) => b.value - a.value)[0];
      if (!picked) return null;
      return {
        rec: iv(picked),
        formula: "the largest tokens/s cell of this model on this platform",
        picked,
        peers: mine,
        direction: "max",
      };
    }
    case "speedup":
      return speedupReference(h, paper, idx);
    default:
      return null;
  }
}

/** Audit the highlight tables and headline statements against the tables they summarise. */
export function auditHighlights(paper: PaperData, idx: CellIndex, N: Record<Benchmark, number>): AuditCell[] {
  const out: AuditCell[] = [];
  for (const h of paper.highlights) {
    const ref = reference(h, paper, idx, N);
    if (!ref) continue;
    let cls: Classification = classify(h.printed, ref.rec);
    if (
      cls.verdict !== "consistent" &&
      ref.alternative &&
      overlaps(fromPrinted(parsePrinted(h.printed)), ref.alternative.rec)
    ) {
      cls = {
        verdict: "unit-factor",
        ratio: cls.ratio,
        explanation: `printed ${h.printed} ${h.printedUnit}: ${ref.alternative.why}`,
      };
    }
    let claim = "";
    if (ref.direction && ref.picked && ref.peers.length > 1) {
      const extreme =
        ref.direction === "max"
          ? Math.max(...ref.peers.map((c) => c.value))
          : Math.min(...ref.peers.map((c) => c.value));
      const holds = ref.picked.value === extreme;
      claim = holds
        ? `; the claim holds: it is the ${ref.direction === "max" ? "largest" : "smallest"} of ` +
          `${ref.peers.length} comparable cells`
        : `; the claim does NOT hold: the ${ref.direction === "max" ? "largest" : "smallest"} of ` +
          `${ref.peers.length} comparable cells is ${extreme}`;
    }
    out.push({
      table: h.table,
      device: h.device,
      backend: h.backend,
      model: h.model,
      benchmark: h.benchmark,
      metric: h.metric,
      published: h.value,
      printed: h.printed,
      recomputed: (ref.rec.lo + ref.rec.hi) / 2,
      recomputed_low: ref.rec.lo,
      recomputed_high: ref.rec.hi,
      ratio: cls.ratio,
      verdict: cls.verdict,
      explanation: `${h.label}: ${cls.explanation}${claim}`,
      formula: ref.formula,
      source: sourceJson(h.source),
    });
  }
  return out;
}
