import { BENCHMARKS, type Benchmark } from "../domain/ids.js";
import { fromPrinted, div, mul, scale, type Interval } from "../util/interval.js";
import { SECONDS_PER_HOUR } from "../metrics/units.js";
import { parsePrinted } from "./printed-number.js";
import type { PaperCell } from "./types.js";

/** How many inferences a benchmark ran, as the published tables imply it, with the evidence. */
export interface InferenceCountEvidence {
  benchmark: Benchmark;
  inferences: number;
  /** Relations (EDP, power, MMLU per-Wh, accuracy granularity) that the count satisfies. */
  supporting: number;
  /** All relations tried. */
  total: number;
  /** What each kind of relation says. */
  byRelation: { relation: string; supporting: number; total: number }[];
}

type Key = string;
const key = (c: { device: string; backend: string; model: string; benchmark: string | null }): Key =>
  `${c.device}/${c.backend}/${c.model}/${c.benchmark}`;

/** Interval of N implied by one relation between published cells of one (platform, model, benchmark). */
interface NRelation {
  relation: string;
  test: (n: number) => boolean;
  upper: number;
}

function relationsFor(cells: readonly PaperCell[], benchmark: Benchmark): NRelation[] {
  const by = new Map<Key, Map<string, PaperCell>>();
  for (const c of cells) {
    if (c.benchmark !== benchmark) continue;
    const k = key(c);
    if (!by.has(k)) by.set(k, new Map());
    by.get(k)!.set(c.metric, c);
  }
  const iv = (c: PaperCell): Interval => fromPrinted(parsePrinted(c.printed));
  const out: NRelation[] = [];
  const inside =
    (r: Interval): NRelation["test"] =>
    (n) =>
      n >= r.lo && n <= r.hi;
  for (const m of by.values()) {
    const e = m.get("energy_wh");
    const l = m.get("latency_s");
    const edp = m.get("edp_js");
    const p = m.get("power_wh_per_s");
    const perWh = m.get("per_wh");
    const acc = m.get("accuracy_pct");
    if (e && l && edp) {
      // EDP = E[J] × N × L  →  N = EDP / (E[J] × L)
      const r = div(iv(edp), mul(scale(iv(e), SECONDS_PER_HOUR), iv(l)));
      out.push({ relation: "edp_js = energy_wh × 3600 × N × latency_s", test: inside(r), upper: r.hi });
    }
    if (e && l && p) {
      // P = E / (N × L)  →  N = E / (P × L)
      const r = div(iv(e), mul(iv(p), iv(l)));
      out.push({ relation: "power_wh_per_s = energy_wh / (N × latency_s)", test: inside(r), upper: r.hi });
    }
    if (benchmark === "mmlu" && e && perWh) {
      // MMLU per-Wh counts inferences: per_wh = N / E  →  N = per_wh × E
      const r = mul(iv(perWh), iv(e));
      out.push({ relation: "per_wh (MMLU) = N / energy_wh", test: inside(r), upper: r.hi });
    }
    if (acc) {
      // A whole number of correct answers: acc × N / 100 is an integer within rounding.
      const a = iv(acc);
      out.push({
        relation: "accuracy_pct × N / 100 is a whole number of correct answers",
        test: (n) => {
          const lo = (a.lo * n) / 100;
          const hi = (a.hi * n) / 100;
          return Math.floor(hi + 1e-9) >= Math.ceil(lo - 1e-9);
        },
        upper: 0,
      });
    }
  }
  return out;
}

/**
 * Derive the number of inferences of each benchmark from the published cells: the whole number N
 * that satisfies the most relations (EDP = E·N·L, power = E/(N·L), MMLU's per-Wh = N/E, and
 * accuracies being whole counts of N). Discrepant cells simply fail to support it.
 */
export function deriveInferenceCounts(cells: readonly PaperCell[]): Record<Benchmark, InferenceCountEvidence> {
  const out = {} as Record<Benchmark, InferenceCountEvidence>;
  for (const b of BENCHMARKS) {
    const rels = relationsFor(cells, b);
    const maxN = Math.min(1_000_000, Math.ceil(Math.max(1, ...rels.map((r) => r.upper))));
    let best = 0;
    let bestN = 1;
    for (let n = 1; n <= maxN; n++) {
      let s = 0;
      for (const r of rels) if (r.test(n)) s++;
      if (s > best) {
        best = s;
        bestN = n;
      }
    }
    const names = [...new Set(rels.map((r) => r.relation))];
    out[b] = {
      benchmark: b,
      inferences: bestN,
      supporting: best,
      total: rels.length,
      byRelation: names.map((relation) => {
        const rs = rels.filter((r) => r.relation === relation);
        return { relation, supporting: rs.filter((r) => r.test(bestN)).length, total: rs.length };
      }),
    };
  }
  return out;
}

/** Just the counts: `{mmlu: N, hellaswag: N, winogrande: N}`. */
export function inferenceCounts(cells: readonly PaperCell[]): Record<Benchmark, number> {
  const ev = deriveInferenceCounts(cells);
  return { mmlu: ev.mmlu.inferences, hellaswag: ev.hellaswag.inferences, winogrande: ev.winogrande.inferences };
}
