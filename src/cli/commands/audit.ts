import { runAudit } from "../../audit/audit.js";
import { loadPaper } from "../../io/paper.js";
import { auditReportMarkdown, auditSummaryText } from "../../report/audit-report.js";
import { auditJson } from "../../report/readme.js";
import { optFlag, type Command } from "../command.js";

export const auditCommand: Command = {
  name: "audit",
  summary: "recompute every derived published cell and classify the discrepancies",
  usage: `Usage: slm-energy audit [--json] [--report]

Recomputes every derived cell the paper prints (EDP, throughput, per-Wh, energy per second, Wh/B,
EDP/B, highlights) from the primary cells (accuracy, total energy, latency), reading each printed
number as the interval its precision allows, and classifies each cell:
  consistent   the recomputation is within what rounding allows
  unit-factor  off by a factor a unit slip explains (3.6 = 3600/1000, 36, 3600, 10^3k)
  typo         a misplaced decimal point, transposed digits or a wrong leading digit
  unexplained  none of these

Options:
  --json      {"cells": [{"table", "device", "backend", "model", "benchmark", "metric", "published",
              "recomputed", "ratio", "verdict", "explanation", …}], "summary": {…}}
  --report    print the full Markdown report instead of the summary
  -h, --help  this help

Exit code 0 whether or not discrepancies are found (they are findings, not failures).`,
  options: { json: { type: "boolean" }, report: { type: "boolean" } },
  run(ctx) {
    const result = runAudit(loadPaper(ctx.root));
    if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(auditJson(result), null, 2) + "\n");
    else if (optFlag(ctx, "report")) ctx.stdout(auditReportMarkdown(result));
    else ctx.stdout(auditSummaryText(result));
    return Promise.resolve(0);
  },
};
