/**
 * The main job: every output that can be rebuilt from data/, as named stages in the order data
 * flows (raw → processed → models → tables → figures → README). `slm-energy reproduce` runs them.
 */
import { performance } from "node:perf_hooks";
import { runAudit } from "../audit/audit.js";
import type { AuditResult } from "../audit/types.js";
import { generateFigures } from "./figures/generate.js";
import { loadPaper } from "../io/paper.js";
import { writePaperCalibration } from "./model/paper-calibration.js";
import { writeValidation } from "./model/validation.js";
import type { PaperData } from "../paper/types.js";
import { auditFindingsMarkdown } from "../report/audit-report.js";
import { runSamplingStudy, type SamplingStudy } from "../simulate/study.js";
import { samplingFindingsMarkdown } from "../simulate/study-report.js";
import { ingestBundledRaw } from "./bundled-raw.js";
import { writeClaimsReport } from "./claims.js";
import { updateReadmeSections, writeTablesAndAudit } from "./report.js";
import { writeSamplingStudy } from "./sampling-study.js";
import type { Written } from "./written.js";

/** What every stage may use: the project root and the inputs several stages share, computed once. */
export interface ReproduceContext {
  root: string;
  paper: PaperData;
  audit: AuditResult;
  /** The sampling study (run on first use: two stages need it). */
  study(): SamplingStudy;
}

/** One stage of the pipeline: what it rebuilds and from what. */
export interface ReproduceStage {
  name: string;
  run(ctx: ReproduceContext): Promise<Written[]>;
}

/** The bundled raw runs in data/raw/ into data/processed/, with simulated-vs-truth.csv. */
export const ingestStage = (ctx: ReproduceContext): Promise<Written[]> => ingestBundledRaw(ctx.root);
/** The analytical model fitted to the paper's tables (models/calibrated/paper.json). */
export const calibrateStage = (ctx: ReproduceContext): Promise<Written[]> =>
  Promise.resolve(writePaperCalibration(ctx.root));
/** The model cross-validated beside its baselines (figures/tables/validation.md, .json). */
export const validateStage = (ctx: ReproduceContext): Promise<Written[]> => Promise.resolve(writeValidation(ctx.root));
/** The paper's tables regenerated, and the audit. */
export const tablesStage = (ctx: ReproduceContext): Promise<Written[]> =>
  Promise.resolve(writeTablesAndAudit(ctx.root, undefined, ctx.paper, ctx.audit));
/** The paper's conclusions checked against the data, and the statistics tables behind them. */
export const claimsStage = (ctx: ReproduceContext): Promise<Written[]> =>
  Promise.resolve(writeClaimsReport(ctx.root, undefined, ctx.paper, ctx.audit));
/** Energy error vs sampling rate and inference length per meter. */
export const samplingStudyStage = (ctx: ReproduceContext): Promise<Written[]> =>
  writeSamplingStudy(ctx.root, ctx.study());
/** Every figure, rendered by headless Chromium. */
export const figuresStage = async (ctx: ReproduceContext): Promise<Written[]> =>
  (await generateFigures({ root: ctx.root })).files.map((f) => ({ path: f.path, changed: f.changed }));
/** The README's generated sections: the audit's findings and the sampling study's conclusion. */
export const readmeStage = (ctx: ReproduceContext): Promise<Written[]> =>
  Promise.resolve([
    updateReadmeSections(ctx.root, {
      audit: auditFindingsMarkdown(ctx.audit),
      sampling: samplingFindingsMarkdown(ctx.study()),
    }),
  ]);

/** The stages, in order. */
export const REPRODUCE_STAGES: readonly ReproduceStage[] = [
  { name: "ingest", run: ingestStage },
  { name: "calibrate", run: calibrateStage },
  { name: "validate", run: validateStage },
  { name: "tables", run: tablesStage },
  { name: "claims", run: claimsStage },
  { name: "sampling-study", run: samplingStudyStage },
  { name: "figures", run: figuresStage },
  { name: "readme", run: readmeStage },
];

/** The shared inputs of a reproduce run from `root`: the paper, its audit, the sampling study on demand. */
export function reproduceContext(root: string): ReproduceContext {
  const paper = loadPaper(root);
  const audit = runAudit(paper);
  let study: SamplingStudy | undefined;
  return { root, paper, audit, study: () => (study ??= runSamplingStudy()) };
}

/** What one stage wrote, and how long it took. */
export interface StageReport {
  name: string;
  written: Written[];
  seconds: number;
}

/** Run `stages` in order, calling `onStage` after each. */
export async function runReproduce(
  ctx: ReproduceContext,
  stages: readonly ReproduceStage[] = REPRODUCE_STAGES,
  onStage: (r: StageReport) => void = () => {},
): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of stages) {
    const t0 = performance.now();
    const written = await stage.run(ctx);
    const report = { name: stage.name, written, seconds: (performance.now() - t0) / 1000 };
    reports.push(report);
    onStage(report);
  }
  return reports;
}
