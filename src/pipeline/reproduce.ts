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
import { writeCommunityValidation } from "./model/community.js";
import type { CommunityValidation } from "../model/community/validate.js";
import { communityValidationMarkdown } from "../model/community/validation-table.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PATHS } from "./paths.js";
import type { PaperData } from "../paper/types.js";
import { auditFindingsMarkdown } from "../report/audit-report.js";
import { runSamplingStudy, type SamplingStudy } from "../simulate/study.js";
import { samplingFindingsMarkdown } from "../simulate/study-report.js";
import { ingestBundledRaw } from "./bundled-raw.js";
import { writeClaimsReport } from "./claims.js";
import { updateReadmeSections, writeTablesAndAudit } from "./report.js";
import { writeSamplingStudy } from "./sampling-study.js";
import type { Written } from "./written.js";
import { writeSite } from "./site/write-site.js";
import type { FigureInputs } from "../figures/inputs.js";
import { loadFigureInputs } from "./figures/load-inputs.js";
import { cachedStage, recordStage } from "./stage-cache.js";

/** What every stage may use: the project root and the inputs several stages share, computed once. */
export interface ReproduceContext {
  root: string;
  /** Worker threads for the validation folds (1: in this thread). */
  jobs: number;
  paper: PaperData;
  audit: AuditResult;
  /** The sampling study (run on first use: two stages need it). */
  study(): SamplingStudy;
  /** The corpus validation of every scheme, with the files it wrote (run on first use). */
  corpusValidation(): Promise<{ written: Written[]; reports: CommunityValidation[] }>;
  /** What the figures are drawn from (loaded on first use: the figures and the site draw them). */
  figureInputs(): FigureInputs;
}

/** One stage of the pipeline: what it rebuilds and from what. */
export interface ReproduceStage {
  name: string;
  /**
   * The files and folders (relative to the root) the stage reads, for the stage cache; the code
   * itself is always an input. Err on the side of more: a path left out would keep stale outputs.
   */
  inputs: readonly string[];
  run(ctx: ReproduceContext): Promise<Written[]>;
}

/** The bundled raw runs in data/raw/ into data/processed/, with simulated-vs-truth.csv. */
export const ingestStage = (ctx: ReproduceContext): Promise<Written[]> => ingestBundledRaw(ctx.root);
/** The analytical model fitted to the paper's tables (models/calibrated/paper.json). */
export const calibrateStage = (ctx: ReproduceContext): Promise<Written[]> =>
  writePaperCalibration(ctx.root, { jobs: ctx.jobs });
/** The model cross-validated beside its baselines (figures/tables/validation.md, .json). */
export const validateStage = (ctx: ReproduceContext): Promise<Written[]> =>
  writeValidation(ctx.root, { jobs: ctx.jobs });
/** The runtime-aware model cross-validated on the community corpus (validation-loo-board.json …). */
export const validateCorpusStage = async (ctx: ReproduceContext): Promise<Written[]> =>
  (await ctx.corpusValidation()).written;
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
  (await generateFigures({ root: ctx.root, inputs: ctx.figureInputs() })).files.map((f) => ({
    path: f.path,
    changed: f.changed,
  }));
/** The study as a static site (site/): tables with the audit, figures, claims, validation, corpus, predictor. */
export const siteStage = (ctx: ReproduceContext): Promise<Written[]> =>
  writeSite(ctx.root, { paper: ctx.paper, audit: ctx.audit.cells, figures: ctx.figureInputs() });
/** The README's generated sections: the audit's findings and the sampling study's conclusion. */
export const readmeStage = async (ctx: ReproduceContext): Promise<Written[]> => {
  const corpus = (await ctx.corpusValidation()).reports;
  return [
    updateReadmeSections(ctx.root, {
      audit: auditFindingsMarkdown(ctx.audit),
      sampling: samplingFindingsMarkdown(ctx.study()),
      "predict-validation": predictValidationMarkdown(ctx, corpus),
    }),
  ];
};

const CATALOG = "data/catalog";
const PAPER = PATHS.paperDir;

/** The stages, in order. */
export const REPRODUCE_STAGES: readonly ReproduceStage[] = [
  { name: "ingest", inputs: [PATHS.rawDir, CATALOG], run: ingestStage },
  { name: "calibrate", inputs: [PAPER, CATALOG], run: calibrateStage },
  { name: "validate", inputs: [PAPER, CATALOG], run: validateStage },
  { name: "validate-corpus", inputs: [PATHS.communityCorpus, PAPER, CATALOG], run: validateCorpusStage },
  { name: "tables", inputs: [PAPER, CATALOG], run: tablesStage },
  { name: "claims", inputs: [PAPER, CATALOG, PATHS.processedDir, "models"], run: claimsStage },
  { name: "sampling-study", inputs: [], run: samplingStudyStage },
  {
    name: "figures",
    inputs: [PAPER, CATALOG, "data/community", PATHS.processedDir, PATHS.measuredDir, "models", PATHS.figuresDir],
    run: figuresStage,
  },
  {
    name: "site",
    inputs: [PAPER, CATALOG, "data/community", PATHS.processedDir, PATHS.measuredDir, "models", PATHS.figuresDir],
    run: siteStage,
  },
  { name: "readme", inputs: [PAPER, CATALOG, PATHS.communityCorpus, PATHS.tablesDir], run: readmeStage },
];

/** The shared inputs of a reproduce run from `root`: the paper, its audit, the sampling study on demand. */
export function reproduceContext(root: string, jobs = 1): ReproduceContext {
  const paper = loadPaper(root);
  const audit = runAudit(paper);
  let study: SamplingStudy | undefined;
  let corpus: ReturnType<typeof writeCommunityValidation> | undefined;
  let figures: FigureInputs | undefined;
  return {
    root,
    jobs,
    paper,
    audit,
    study: () => (study ??= runSamplingStudy()),
    corpusValidation: () => (corpus ??= writeCommunityValidation(root, jobs)),
    figureInputs: () => (figures ??= loadFigureInputs(root)),
  };
}

/** What one stage wrote, and how long it took. */
export interface StageReport {
  name: string;
  written: Written[];
  seconds: number;
  /** Skipped: its record in the stage cache matched its inputs, the code and its outputs. */
  cached: boolean;
}

/** Run `stages` in order, calling `onStage` after each; with `cache`, skip those whose record holds. */
export async function runReproduce(
  ctx: ReproduceContext,
  stages: readonly ReproduceStage[] = REPRODUCE_STAGES,
  onStage: (r: StageReport) => void = () => {},
  options: { cache?: boolean } = {},
): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of stages) {
    const t0 = performance.now();
    const hit = options.cache === true ? cachedStage(ctx.root, stage.name, stage.inputs) : null;
    const written = hit ?? (await stage.run(ctx));
    if (hit === null) recordStage(ctx.root, stage.name, stage.inputs, written);
    const report = { name: stage.name, written, seconds: (performance.now() - t0) / 1000, cached: hit !== null };
    reports.push(report);
    onStage(report);
  }
  return reports;
}

/** The README's Predict tables: the paper schemes (from validate's JSON) and the corpus schemes. */
function predictValidationMarkdown(ctx: ReproduceContext, corpus: readonly CommunityValidation[]): string {
  const paper = ["loo-pair", "loo-model", "loo-device"].map((scheme) => {
    const j = JSON.parse(readFileSync(join(ctx.root, PATHS.tablesDir, `validation-${scheme}.json`), "utf8")) as {
      latency: { mape_pct: number; coverage_pct: number | null };
      energy: { mape_pct: number };
      baselines: Record<string, { latency: { mape_pct: number }; energy: { mape_pct: number } }>;
    };
    const f = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${x.toFixed(1)} %`);
    return (
      `| ${scheme} | ${f(j.latency.mape_pct)} / ${f(j.energy.mape_pct)} | ${f(j.latency.coverage_pct)} | ` +
      `${f(j.baselines.statistical?.latency.mape_pct)} / ${f(j.baselines.statistical?.energy.mape_pct)} | ` +
      `${f(j.baselines.roofline_uncalibrated?.latency.mape_pct)} / ` +
      `${f(j.baselines.roofline_uncalibrated?.energy.mape_pct)} |`
    );
  });
  return [
    "On the paper's cells (calibrated model, latency / energy MAPE per inference):",
    "",
    "| scheme | calibrated model | 90 % coverage (latency) | statistical baseline | uncalibrated roofline |",
    "|---|---:|---:|---:|---:|",
    ...paper,
    "",
    "On the community corpus (runtime-aware model, held-out boards, sources or runtimes):",
    "",
    communityValidationMarkdown(corpus),
    "",
  ].join("\n");
}
