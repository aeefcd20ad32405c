import { BENCHMARK_LABELS, MODEL_LABELS, platformLabel } from "../domain/ids.js";
import type { AuditCell, AuditResult } from "../audit/types.js";
import { VERDICTS, type Verdict } from "../audit/classify.js";

const sgn = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} %`;
const where = (c: AuditCell): string =>
  `${platformLabel(c)} · ${MODEL_LABELS[c.model]}${c.benchmark ? ` · ${BENCHMARK_LABELS[c.benchmark]}` : ""}`;
/** An explanation's text after its first ": " (the detail after the headline). */
const afterColon = (explanation: string): string => explanation.split(": ").slice(1).join(": ");
/** A token-benchmark throughput or per-Wh cell the audit does not find consistent. */
const tokenCellOffBeyondRounding = (c: AuditCell): boolean =>
  (c.metric === "throughput" || c.metric === "per_wh") && c.benchmark !== "mmlu" && c.verdict !== "consistent";
const typoText = (c: AuditCell): string =>
  `${c.metric} ${c.printed} (${where(c)}; ${afterColon(c.explanation).split(" (")[0]})`;
const brokenText = (c: AuditCell): string =>
  `"${c.explanation.split(":")[0]}" (${c.verdict}: ${afterColon(c.explanation).split(";")[0]})`;
const nonConsistent = (r: AuditResult): AuditCell[] => r.cells.filter((c) => c.verdict !== "consistent");

/** Counts of discrepancies grouped by table.metric and verdict, largest first. */
function groups(r: AuditResult): { key: string; verdict: Verdict; cells: AuditCell[] }[] {
  const m = new Map<string, { key: string; verdict: Verdict; cells: AuditCell[] }>();
  for (const c of nonConsistent(r)) {
    const key = `${c.table}.${c.metric}`;
    const k = `${key}|${c.verdict}`;
    if (!m.has(k)) m.set(k, { key, verdict: c.verdict, cells: [] });
    m.get(k)!.cells.push(c);
  }
  return [...m.values()].sort((a, b) => b.cells.length - a.cells.length || a.key.localeCompare(b.key));
}

/**
 * The README's "what the audit found": a few generated sentences, every number from the audit.
 */
export function auditFindingsMarkdown(r: AuditResult): string {
  const s = r.summary;
  const n = s.inferences;
  const lines: string[] = [];
  lines.push(
    `- **${s.audited} derived cells** were recomputed from the primary ones (accuracy, total energy, latency): ` +
      `${s.byVerdict.consistent} consistent, ${s.byVerdict["unit-factor"]} off by a unit factor, ` +
      `${s.byVerdict.typo} typos, ${s.byVerdict.unexplained} unexplained.`,
  );
  lines.push(
    `- **Inferences per benchmark**, derived from the tables: MMLU ${n.mmlu.inferences}, HellaSwag ` +
      `${n.hellaswag.inferences}, Winogrande ${n.winogrande.inferences} ` +
      `(satisfying ${n.mmlu.supporting}/${n.mmlu.total}, ${n.hellaswag.supporting}/${n.hellaswag.total} and ` +
      `${n.winogrande.supporting}/${n.winogrande.total} of the relations that imply them; every accuracy is ` +
      `a whole number of correct answers out of these).`,
  );
  const edp = r.cells.filter((c) => c.metric === "edp_js" && c.table === "consolidated");
  const edpBad = edp.filter((c) => c.verdict !== "consistent");
  const factors = new Map<string, number>();
  for (const c of edpBad.filter((x) => x.verdict === "unit-factor")) {
    const f = /([÷×][0-9.]+)/.exec(c.explanation)?.[1] ?? "?";
    factors.set(f, (factors.get(f) ?? 0) + 1);
  }
  lines.push(
    `- **EDP** (= total energy in J × total time in s): ${edpBad.length} of ${edp.length} cells disagree ` +
      `with their own energy and latency` +
      (factors.size
        ? ` — ${[...factors.entries()].map(([f, k]) => `${k} by ${f}`).join(", ")} (a J/Wh slip: 3.6 = 3600/1000)`
        : "") +
      `, ${edpBad.filter((c) => c.verdict === "typo").length} by a typo, ` +
      `${edpBad.filter((c) => c.verdict === "unexplained").length} unexplained.`,
  );
  const edpB = s.edpPerB;
  const best = [...edpB].sort((a, b) => b.reproduces - a.reproduces)[0];
  if (best) {
    lines.push(
      `- **EDP/B**: none of ${edpB.length} plausible definitions reproduces the column (the best matches ` +
        `${best.reproduces} of ${best.cells} cells); ` +
        `the literal reading "mean EDP ÷ size" is off by ×${edpB[0]!.ratioMin.toPrecision(2)} to ` +
        `×${edpB[0]!.ratioMax.toPrecision(2)}. Wh/B is reproduced ` +
        `(${r.cells.filter((c) => c.metric === "wh_per_b" && c.verdict === "consistent").length} of ` +
        `${r.cells.filter((c) => c.metric === "wh_per_b").length} cells).`,
    );
  }
  const typos = r.cells.filter((c) => c.verdict === "typo");
  if (typos.length) {
    lines.push(`- **Typos**: ${typos.map(typoText).join("; ")}.`);
  }
  const offsets = s.tokens
    .filter((t) => t.fromThroughput !== null && t.fromPerWh !== null)
    .map((t) => t.fromThroughput! / t.fromPerWh! - 1);
  if (offsets.length) {
    const lo = Math.min(...offsets);
    const hi = Math.max(...offsets);
    lines.push(
      `- **Tokens per inference** are not printed; tokens/s × latency and tokens/Wh × energy ÷ N both imply ` +
        `them. The two families differ by ${sgn(lo)} to ${sgn(hi)} (tokens/s relative to tokens/Wh) across ` +
        `model × benchmark — small, but beyond rounding for ` +
        `${r.cells.filter(tokenCellOffBeyondRounding).length} cells.`,
    );
  }
  const hl = r.cells.filter(
    (c) => c.table === "model-efficiency" || c.table === "hardware-impact" || c.table === "headline",
  );
  const broken = hl.filter((c) => c.verdict !== "consistent" || c.explanation.includes("does NOT hold"));
  lines.push(
    `- **Highlights**: ${hl.length - broken.length} of ${hl.length} highlight and headline numbers match ` +
      `the tables and their claims hold` +
      (broken.length ? `; not so for ${broken.map(brokenText).join(", ")}` : "") +
      ".",
  );
  return lines.join("\n") + "\n";
}

/** The full human audit report (Markdown). */
export function auditReportMarkdown(r: AuditResult): string {
  const s = r.summary;
  const out: string[] = [];
  out.push("# Forensic audit of the paper's tables", "");
  out.push(
    "Generated by `slm-energy audit` from `data/paper/`. Every printed number is read as the interval its " +
      "printed precision allows; every derived cell is recomputed from the primary cells (accuracy, total " +
      "energy, per-inference latency) and classified.",
    "",
  );
  out.push("## What the audit found", "", auditFindingsMarkdown(r));
  out.push(
    "## Verdicts",
    "",
    "| table.metric | " + VERDICTS.join(" | ") + " |",
    "| --- | " + VERDICTS.map(() => "---:").join(" | ") + " |",
  );
  for (const [k, v] of Object.entries(s.byMetric).sort())
    out.push(`| ${k} | ${VERDICTS.map((x) => v[x]).join(" | ")} |`);
  out.push(`| **all** | ${VERDICTS.map((x) => s.byVerdict[x]).join(" | ")} |`, "");
  out.push("## Inferences per benchmark (derived)", "");
  for (const ev of Object.values(s.inferences)) {
    out.push(
      `- **${BENCHMARK_LABELS[ev.benchmark]}: ${ev.inferences}** — ` +
        `${ev.byRelation.map((b) => `${b.relation}: ${b.supporting}/${b.total}`).join("; ")}`,
    );
  }
  out.push(
    "",
    "## Tokens per inference (estimated; never printed)",
    "",
    "| model | benchmark | estimate | agreeing cells | from tokens/s | from tokens/Wh |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  );
  for (const t of s.tokens) {
    out.push(
      `| ${MODEL_LABELS[t.model]} | ${BENCHMARK_LABELS[t.benchmark]} | ` +
        `${((t.tokensPerInference.lo + t.tokensPerInference.hi) / 2).toFixed(2)} | ` +
        `${t.agreeing.length}/${t.tried.length} | ${t.fromThroughput?.toFixed(2) ?? "–"} | ` +
        `${t.fromPerWh?.toFixed(2) ?? "–"} |`,
    );
  }
  out.push(
    "",
    "## EDP/B: which definition?",
    "",
    "| definition | reproduces | published ÷ recomputed |",
    "| --- | ---: | --- |",
  );
  for (const f of s.edpPerB)
    out.push(
      `| ${f.description} | ${f.reproduces}/${f.cells} | ${f.ratioMin.toPrecision(3)} … ${f.ratioMax.toPrecision(3)} |`,
    );
  out.push("", "## Discrepancies", "");
  for (const g of groups(r)) {
    out.push(`### ${g.key} — ${g.verdict} (${g.cells.length})`, "");
    out.push(
      "| where | printed | recomputed | ratio | explanation | slide line |",
      "| --- | ---: | ---: | ---: | --- | ---: |",
    );
    for (const c of g.cells) {
      out.push(
        `| ${where(c)} | ${c.printed} | ${c.recomputed.toPrecision(4)} | ${c.ratio.toPrecision(4)} | ${c.explanation.replace(/\|/g, "\\|")} | ${c.source.source_line} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}

/** The one-screen summary `reproduce` and `audit` print. */
export function auditSummaryText(r: AuditResult): string {
  const s = r.summary;
  const lines = [
    `audited ${s.audited} derived cells: ${VERDICTS.map((v) => `${s.byVerdict[v]} ${v}`).join(", ")}`,
    `inferences per benchmark (derived): mmlu ${s.inferences.mmlu.inferences}, hellaswag ` +
      `${s.inferences.hellaswag.inferences}, winogrande ${s.inferences.winogrande.inferences}`,
  ];
  for (const g of groups(r)) lines.push(`  ${String(g.cells.length).padStart(3)} × ${g.verdict.padEnd(11)} ${g.key}`);
  return lines.join("\n") + "\n";
}
