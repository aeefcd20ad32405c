/**
 * Every figure the toolkit draws, in one list, each with the data it is drawn from (its source).
 *
 * Adding a figure is one line in FIGURE_REGISTRY:
 *
 *     figure("paper", "my-figure", "analysis", myFigure),
 *
 * where `myFigure` is a builder in specs/ — a pure function of the source's inputs returning a
 * FigureSpec named "my-figure" (units in every axis title, theme.ts colours). A builder that takes
 * other arguments is adapted in place: `(i) => sweepRateFigure(i.sweep, i.machineLabel)`.
 * Figures of the "paper" source are drawn by `slm-energy figures` and `reproduce` (committed SVGs,
 * the HTML index, notebook 02, the rendering tests all pick them up); the other sources' figures are
 * drawn where their data is (notebooks, the command that measures it) with `buildSourceFigures`.
 * A figure drawn from a new kind of data adds one line to FigureSources naming its inputs.
 */
import { usageError } from "../errors.js";
import type { BundleResult } from "../ingest/bundle/result.js";
import type { SweepResult } from "../probe/sweep.js";
import type { FigureInputs } from "./inputs.js";
import { accuracyPerWhFigure } from "./specs/accuracy-per-wh.js";
import { auditDiscrepanciesFigure } from "./specs/audit-discrepancies.js";
import { energyPerInferenceFigure } from "./specs/energy-per-inference.js";
import { gpuPerformanceVsEnergyFigure, gpuPerformanceVsPriceFigure } from "./specs/gpu-performance.js";
import { paretoAccuracyEnergyFigure } from "./specs/pareto-accuracy-energy.js";
import { phaseEnergyFigure } from "./specs/phase-energy.js";
import { samplingStudyFigure } from "./specs/sampling-study.js";
import { statsFrontiersFigure } from "./specs/stats-frontiers.js";
import { statsScalingFigure } from "./specs/stats-scaling.js";
import { sweepParityFigure, sweepRateFigure } from "./specs/sweep.js";
import { timeEnergyThroughputFigure } from "./specs/time-energy-throughput.js";
import type { FigureSpec } from "./types.js";

/** A bandwidth sweep of one machine (sweep.json) and the label its figures name the machine by. */
export interface SweepFigureInputs {
  sweep: SweepResult;
  machineLabel: string;
}

/** What each source of figures is drawn from: one line per kind of data. */
export interface FigureSources {
  /** The paper's tables, their audit, the GPU table, the model scales (`loadFigureInputs(root)`). */
  paper: FigureInputs;
  /** A bandwidth sweep of this machine (`slm-energy sweep`, data/measured/this-machine/sweep.json). */
  sweep: SweepFigureInputs;
  /** Ingested run bundles (`ingestBundles(dirs)`): per-inference and per-run energies. */
  runs: { results: readonly BundleResult[] };
}

export type FigureSource = keyof FigureSources;

/** A figure the toolkit can draw: its file name, its source and its builder (a pure function of the inputs). */
export interface FigureDefinition<S extends FigureSource = "paper"> {
  name: string;
  /** Where it comes from: a figure the paper shows, or one this project adds. */
  origin: "paper" | "analysis";
  /** The data it is drawn from. */
  source: S;
  build: (inputs: FigureSources[S]) => FigureSpec;
}

/** A definition of any source. */
export type AnyFigureDefinition = { [S in FigureSource]: FigureDefinition<S> }[FigureSource];

/** One registry entry (typed by its source, so the builder is checked against the source's inputs). */
export const figure = <S extends FigureSource>(
  source: S,
  name: string,
  origin: "paper" | "analysis",
  build: (inputs: FigureSources[S]) => FigureSpec,
): FigureDefinition<S> => ({ name, origin, source, build });

/** Every figure: the paper's in the order the paper shows them, then the analysis figures. */
export const FIGURE_REGISTRY: readonly AnyFigureDefinition[] = [
  figure("paper", "gpu-performance-vs-energy", "paper", gpuPerformanceVsEnergyFigure),
  figure("paper", "gpu-performance-vs-price", "paper", gpuPerformanceVsPriceFigure),
  figure("paper", "accuracy-per-wh", "paper", accuracyPerWhFigure),
  figure("paper", "energy-per-inference", "paper", energyPerInferenceFigure),
  figure("paper", "time-energy-throughput", "paper", timeEnergyThroughputFigure),
  figure("paper", "pareto-accuracy-energy", "analysis", paretoAccuracyEnergyFigure),
  figure("paper", "audit-discrepancies", "analysis", auditDiscrepanciesFigure),
  figure("paper", "sampling-study", "analysis", samplingStudyFigure),
  figure("paper", "stats-frontiers", "analysis", statsFrontiersFigure),
  figure("paper", "stats-scaling", "analysis", statsScalingFigure),
  figure("sweep", "sweep-decode-rate", "analysis", (i) => sweepRateFigure(i.sweep, i.machineLabel)),
  figure("sweep", "sweep-parity", "analysis", (i) => sweepParityFigure(i.sweep, i.machineLabel)),
  figure("runs", "phase-energy", "analysis", (i) => phaseEnergyFigure(i.results)),
];

/** The figures drawn from `source`, in registry order. */
export function figuresOf<S extends FigureSource>(source: S): FigureDefinition<S>[] {
  return FIGURE_REGISTRY.filter((d): d is FigureDefinition<S> & AnyFigureDefinition => d.source === source);
}

/** The figures drawn from the paper's data: what `slm-energy figures` and `reproduce` write. */
export const FIGURES: readonly FigureDefinition[] = figuresOf("paper");

export const FIGURE_NAMES: readonly string[] = FIGURES.map((d) => d.name);

function select<S extends FigureSource>(source: S, only?: readonly string[]): FigureDefinition<S>[] {
  const all = figuresOf(source);
  if (!only || only.length === 0) return all;
  const names = all.map((d) => d.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `"${n}"`).join(", ");
    throw usageError(`unknown figure ${list}`, `figures are: ${names.join(", ")}`);
  }
  return all.filter((d) => only.includes(d.name));
}

/** The paper-data definitions named in `only` (all when undefined or empty); a usage error names unknown ones. */
export function selectFigures(only?: readonly string[]): FigureDefinition[] {
  return select("paper", only);
}

/** Build the specs of one source's figures (no browser involved): what the exporter renders and notebooks show. */
export function buildSourceFigures<S extends FigureSource>(
  source: S,
  inputs: FigureSources[S],
  only?: readonly string[],
): FigureSpec[] {
  return select(source, only).map((d) => {
    const spec = d.build(inputs);
    if (spec.name !== d.name) throw new Error(`figure builder for ${d.name} returned a spec named ${spec.name}`);
    return spec;
  });
}

/** Build the specs of the paper-data figures (no browser involved). */
export function buildFigures(inputs: FigureInputs, only?: readonly string[]): FigureSpec[] {
  return buildSourceFigures("paper", inputs, only);
}
