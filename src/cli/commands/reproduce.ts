import { performance } from "node:perf_hooks";
import { runAudit } from "../../audit/audit.js";
import { loadPaper } from "../../paper/load.js";
import { auditSummaryText } from "../../report/audit-report.js";
import { updateReadmeAudit, writeTablesAndAudit, type Written } from "../../report/write.js";
import { optFlag, type Command } from "../command.js";

/** One stage of the pipeline: what it rebuilds and from what. */
interface Step {
  name: string;
  run(root: string): Promise<Written[]>;
}

export const reproduceCommand: Command = {
  name: "reproduce",
  summary: "rebuild everything that can be rebuilt from data/ (tables, audit, README findings)",
  usage: `Usage: slm-energy reproduce [--quiet]

Rebuilds every output that can be rebuilt from data/, in order:
  tables    the paper's tables regenerated from data/paper (CSV, Markdown, LaTeX) and the audit
            (figures/tables/audit.md, audit.json)
  readme    the README's generated "what the audit found" section
Prints each file it wrote ("wrote" or "unchanged") and a one-screen summary. Idempotent: running it
twice changes nothing the second time. Every file is written atomically.

Options:
  --quiet     only the summary
  -h, --help  this help`,
  options: { quiet: { type: "boolean" } },
  async run(ctx) {
    const quiet = optFlag(ctx, "quiet");
    const paper = loadPaper(ctx.root);
    const audit = runAudit(paper);
    const steps: Step[] = [
      { name: "tables", run: async (root) => writeTablesAndAudit(root, undefined, paper, audit) },
      { name: "readme", run: async (root) => [updateReadmeAudit(root, audit)] },
    ];
    let changed = 0;
    let total = 0;
    for (const step of steps) {
      const t0 = performance.now();
      const written = await step.run(ctx.root);
      const ms = performance.now() - t0;
      total += written.length;
      changed += written.filter((w) => w.changed).length;
      if (!quiet) {
        for (const w of written) ctx.stdout(`  ${w.changed ? "wrote    " : "unchanged"} ${w.path}\n`);
      }
      ctx.stdout(`${step.name}: ${written.length} files (${written.filter((w) => w.changed).length} changed) in ${(ms / 1000).toFixed(2)} s\n`);
    }
    ctx.stdout(`\n${auditSummaryText(audit)}`);
    ctx.stdout(`\n${total} outputs, ${changed} changed.\n`);
    return 0;
  },
};
