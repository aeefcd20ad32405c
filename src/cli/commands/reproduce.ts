import { REPRODUCE_STAGES, reproduceContext, runReproduce, type StageReport } from "../../pipeline/reproduce.js";
import { auditSummaryText } from "../../report/audit-report.js";
import { optFlag, optInt, optList, type Command } from "../command.js";
import { defaultJobs } from "../../pipeline/pool/pool.js";
import { usageError } from "../../errors.js";

export const reproduceCommand: Command = {
  name: "reproduce",
  summary: "rebuild everything that can be rebuilt from data/ (tables, audit, figures, README findings)",
  usage: `Usage: slm-energy reproduce [--only STEP,...] [--skip STEP,...] [--jobs N] [--no-cache] [--quiet]

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

Stage cache: each step records under .cache/reproduce/ a hash of the files it reads, of the code
(this build's modules and package-lock.json) and of each file it wrote; a later run skips a step
whose record still holds and reports it "cached" (its files count as unchanged). Changing an input,
rebuilding, or deleting or editing one of its outputs reruns that step.

Options:
  --only STEP[,STEP]   run only these steps
  --skip STEP[,STEP]   skip these steps (e.g. --skip figures on a machine without Chromium)
  --jobs N             worker threads for the validation folds (default: the cores, here ${defaultJobs()});
                       the files are the same for every N
  --no-cache           run every step, whatever the cache says (the records are rewritten)
  --quiet              only the summary
  -h, --help  this help`,
  options: {
    quiet: { type: "boolean" },
    only: { type: "string", multiple: true },
    skip: { type: "string", multiple: true },
    jobs: { type: "string" },
    "no-cache": { type: "boolean" },
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
    const jobs = optInt(ctx, "jobs", { min: 1, max: 256 }) ?? defaultJobs();
    const pipeline = reproduceContext(ctx.root, jobs);
    const print = (r: StageReport): void => {
      const changed = r.written.filter((w) => w.changed).length;
      if (!quiet) {
        for (const w of r.written) ctx.stdout(`  ${w.changed ? "wrote    " : "unchanged"} ${w.path}\n`);
      }
      const how = r.cached ? "cached" : `${changed} changed`;
      ctx.stdout(`${r.name}: ${r.written.length} files (${how}) in ${r.seconds.toFixed(2)} s\n`);
    };
    const reports = await runReproduce(pipeline, selected, print, { cache: !optFlag(ctx, "no-cache") });
    const total = reports.reduce((n, r) => n + r.written.length, 0);
    const changed = reports.reduce((n, r) => n + r.written.filter((w) => w.changed).length, 0);
    ctx.stdout(`\n${auditSummaryText(pipeline.audit)}`);
    ctx.stdout(`\n${total} outputs, ${changed} changed.\n`);
    return 0;
  },
};
