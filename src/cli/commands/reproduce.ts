import { REPRODUCE_STAGES, reproduceContext, runReproduce, type StageReport } from "../../pipeline/reproduce.js";
import { auditSummaryText } from "../../report/audit-report.js";
import { optFlag, optList, type Command } from "../command.js";
import { usageError } from "../../errors.js";

export const reproduceCommand: Command = {
  name: "reproduce",
  summary: "rebuild everything that can be rebuilt from data/ (tables, audit, figures, README findings)",
  usage: `Usage: slm-energy reproduce [--quiet]

Rebuilds every output that can be rebuilt from data/, in order:
  ingest          the bundled raw runs in data/raw/ (simulated, labelled so) into data/processed/
                  (inferences.csv, runs.csv, quarantine.csv, and simulated-vs-truth.csv)
  calibrate       the analytical model fitted to the paper's tables (models/calibrated/paper.json)
  validate        the model cross-validated three ways beside its two baselines
                  (figures/tables/validation.md, validation-<scheme>.json)
  validate-corpus the runtime-aware model cross-validated on the community corpus, leaving out a
                  board, a source or a runtime (validation-corpus.md, validation-loo-board.json …)
  tables          the paper's tables regenerated from data/paper (CSV, Markdown, LaTeX) and the
                  audit (figures/tables/audit.md, audit.json)
  claims          the paper's conclusions checked against the data (figures/tables/claims.md, .json)
  sampling-study  energy error vs sampling rate and inference length per meter
                  (figures/tables/sampling-study.csv, .md)
  figures         every figure as SVG, PNG (2×), PDF and interactive HTML under figures/,
                  rendered by headless Chromium (one browser for the batch)
  site            the study as a static site under site/ (tables with the audit, interactive
                  figures, claims, validation, the corpus, and the predictor running in the browser)
  readme          the README's generated sections: what the audit found, the sampling study's
                  conclusion, and the Predict validation tables
Prints each file it wrote ("wrote" or "unchanged") and a one-screen summary. Idempotent: running it
twice changes nothing the second time. Every file is written atomically.

Options:
  --only STEP[,STEP]   run only these steps
  --skip STEP[,STEP]   skip these steps (e.g. --skip figures on a machine without Chromium)
  --quiet              only the summary
  -h, --help  this help`,
  options: {
    quiet: { type: "boolean" },
    only: { type: "string", multiple: true },
    skip: { type: "string", multiple: true },
  },
  async run(ctx) {
    const quiet = optFlag(ctx, "quiet");
    const names = REPRODUCE_STAGES.map((s) => s.name);
    const only = optList(ctx, "only");
    const skip = optList(ctx, "skip") ?? [];
    for (const n of [...(only ?? []), ...skip]) {
      if (!names.includes(n)) throw usageError(`unknown step "${n}"`, `steps are: ${names.join(", ")}`);
    }
    const selected = REPRODUCE_STAGES.filter(
      (s) => (only === undefined || only.includes(s.name)) && !skip.includes(s.name),
    );
    const pipeline = reproduceContext(ctx.root);
    const print = (r: StageReport): void => {
      const changed = r.written.filter((w) => w.changed).length;
      if (!quiet) {
        for (const w of r.written) ctx.stdout(`  ${w.changed ? "wrote    " : "unchanged"} ${w.path}\n`);
      }
      ctx.stdout(`${r.name}: ${r.written.length} files (${changed} changed) in ${r.seconds.toFixed(2)} s\n`);
    };
    const reports = await runReproduce(pipeline, selected, print);
    const total = reports.reduce((n, r) => n + r.written.length, 0);
    const changed = reports.reduce((n, r) => n + r.written.filter((w) => w.changed).length, 0);
    ctx.stdout(`\n${auditSummaryText(pipeline.audit)}`);
    ctx.stdout(`\n${total} outputs, ${changed} changed.\n`);
    return 0;
  },
};
