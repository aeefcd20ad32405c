import { performance } from "node:perf_hooks";
import { runAudit } from "../../audit/audit.js";
import { loadPaper } from "../../paper/load.js";
import { auditSummaryText } from "../../report/audit-report.js";
import { updateReadmeSections, writeTablesAndAudit, type Written } from "../../report/write.js";
import { generateFigures } from "../../pipeline/figures/generate.js";
import { writeClaimsReport } from "../../claims/write.js";
import { writePaperCalibration } from "../../model/write-paper-calibration.js";
import { writeValidation } from "../../model/validation-output.js";
import { ingestBundledRaw, samplingFindingsMarkdown, writeSamplingStudy } from "../../simulate/outputs.js";
import { runSamplingStudy, type SamplingStudy } from "../../simulate/study.js";
import { auditFindingsMarkdown } from "../../report/audit-report.js";
import { optFlag, optList, type Command } from "../command.js";
import { usageError } from "../../errors.js";

/** One stage of the pipeline: what it rebuilds and from what. */
interface Step {
  name: string;
  run(root: string): Promise<Written[]>;
}

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
  tables          the paper's tables regenerated from data/paper (CSV, Markdown, LaTeX) and the
                  audit (figures/tables/audit.md, audit.json)
  claims          the paper's conclusions checked against the data (figures/tables/claims.md, .json)
  sampling-study  energy error vs sampling rate and inference length per meter
                  (figures/tables/sampling-study.csv, .md)
  figures         every figure as SVG, PNG (2×), PDF and interactive HTML under figures/,
                  rendered by headless Chromium (one browser for the batch)
  readme          the README's generated sections: what the audit found, and the sampling
                  study's conclusion
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
    const paper = loadPaper(ctx.root);
    const audit = runAudit(paper);
    let studyResult: SamplingStudy | undefined;
    const study = (): SamplingStudy => (studyResult ??= runSamplingStudy());
    const steps: Step[] = [
      { name: "ingest", run: async (root) => ingestBundledRaw(root) },
      { name: "calibrate", run: async (root) => writePaperCalibration(root) },
      { name: "validate", run: async (root) => writeValidation(root) },
      { name: "tables", run: async (root) => writeTablesAndAudit(root, undefined, paper, audit) },
      { name: "claims", run: async (root) => writeClaimsReport(root, undefined, paper, audit) },
      { name: "sampling-study", run: async (root) => writeSamplingStudy(root, study()) },
      {
        name: "figures",
        run: async (root) => (await generateFigures({ root })).files.map((f) => ({ path: f.path, changed: f.changed })),
      },
      {
        name: "readme",
        run: async (root) => [
          updateReadmeSections(root, {
            audit: auditFindingsMarkdown(audit),
            sampling: samplingFindingsMarkdown(study()),
          }),
        ],
      },
    ];
    const names = steps.map((s) => s.name);
    const only = optList(ctx, "only");
    const skip = optList(ctx, "skip") ?? [];
    for (const n of [...(only ?? []), ...skip]) {
      if (!names.includes(n)) throw usageError(`unknown step "${n}"`, `steps are: ${names.join(", ")}`);
    }
    const selected = steps.filter((s) => (only === undefined || only.includes(s.name)) && !skip.includes(s.name));
    let changed = 0;
    let total = 0;
    for (const step of selected) {
      const t0 = performance.now();
      const written = await step.run(ctx.root);
      const ms = performance.now() - t0;
      total += written.length;
      changed += written.filter((w) => w.changed).length;
      if (!quiet) {
        for (const w of written) ctx.stdout(`  ${w.changed ? "wrote    " : "unchanged"} ${w.path}\n`);
      }
      ctx.stdout(
        `${step.name}: ${written.length} files (${written.filter((w) => w.changed).length} changed) in ${(ms / 1000).toFixed(2)} s\n`,
      );
    }
    ctx.stdout(`\n${auditSummaryText(audit)}`);
    ctx.stdout(`\n${total} outputs, ${changed} changed.\n`);
    return 0;
  },
};
