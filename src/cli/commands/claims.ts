import type { Command } from "../command.js";
import { optFlag } from "../command.js";
import { runAudit } from "../../audit/audit.js";
import { loadPaper } from "../../io/paper.js";
import { claimInputs, evaluateClaims } from "../../claims/evaluate.js";
import { claimsJson, verdictCounts } from "../../claims/report.js";
import { claimsMethod } from "../../claims/method.js";
import { stableJson } from "../../report/format.js";

const usage = `Usage: slm-energy claims [--json]

Checks each conclusion of the paper against its own primary data (accuracy, energy, latency) with
their uncertainty — Wilson intervals at the study's n, the rounding of the printed numbers,
paired bootstrap intervals and exact tests — and gives a verdict: supported, partly supported or
not supported, with the numbers, and the discrepant published cells a claim rests on.

The full report (claims.md, claims.json and the stats-*.csv tables behind it) is written to
figures/tables/ by \`slm-energy reproduce\`.

Options:
  --json      {"claims": [{"id", "statement", "source": {"line", "section"}, "test", "verdict",
              "finding", "evidence": [{"label", "value", "lo", "hi", "unit", "note"}],
              "restsOnDiscrepant"}], "summary": {verdict: count}, "method": {...}}
  -h, --help  this help

Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

export const claimsCommand: Command = {
  name: "claims",
  summary: "check the paper's conclusions against its data, with uncertainty",
  usage,
  options: { json: { type: "boolean" } },
  run(ctx) {
    const paper = loadPaper(ctx.root);
    const inputs = claimInputs(paper, runAudit(paper));
    const claims = evaluateClaims(inputs);
    const method = claimsMethod(paper, inputs);
    if (optFlag(ctx, "json")) {
      ctx.stdout(stableJson(claimsJson(claims, method)));
      return Promise.resolve(0);
    }
    const counts = verdictCounts(claims);
    const lines = [
      `${claims.length} claims of the paper: ${Object.entries(counts)
        .map(([v, n]) => `${n} ${v}`)
        .join(", ")}`,
      "",
    ];
    claims.forEach((c, i) => {
      lines.push(`${i + 1}. [${c.verdict}] ${c.statement} (slides line ${c.source.line})`);
      lines.push(`   ${c.finding}`);
      if (c.restsOnDiscrepant.length > 0)
        lines.push(
          `   Rests on ${c.restsOnDiscrepant.length} discrepant published cell(s): ` +
            `${c.restsOnDiscrepant.slice(0, 3).join("; ")}${c.restsOnDiscrepant.length > 3 ? "; …" : ""}`,
        );
      lines.push("");
    });
    ctx.stdout(lines.join("\n"));
    return Promise.resolve(0);
  },
};
