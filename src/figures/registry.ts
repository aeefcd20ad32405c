import { usageError } from "../errors.js";
import type { FigureInputs } from "./inputs.js";
import { accuracyPerWhFigure } from "./specs/accuracy-per-wh.js";
import { auditDiscrepanciesFigure } from "./specs/audit-discrepancies.js";
import { energyPerInferenceFigure } from "./specs/energy-per-inference.js";
import { gpuPerformanceVsEnergyFigure, gpuPerformanceVsPriceFigure } from "./specs/gpu-performance.js";
import { paretoAccuracyEnergyFigure } from "./specs/pareto-accuracy-energy.js";
import { timeEnergyThroughputFigure } from "./specs/time-energy-throughput.js";
import { statsFrontiersFigure } from "./specs/stats-frontiers.js";
import { statsScalingFigure } from "./specs/stats-scaling.js";
import { samplingStudyFigure } from "./specs/sampling-study.js";
import type { FigureSpec } from "./types.js";

/** A figure the toolkit can draw: its file name and its builder (a pure function of the inputs). */
export interface FigureDefinition {
  name: string;
  /** Where it comes from: a figure the paper shows, or one this project adds. */
  origin: "paper" | "analysis";
  build: (inputs: FigureInputs) => FigureSpec;
}

/**
 * Every figure, in the order the paper shows them, then the analysis figures. Adding a figure:
 * write a builder `(inputs: FigureInputs) => FigureSpec` in specs/ (a pure function of the data;
 * units in every axis title, theme.ts colours), list it here, and run `slm-energy figures`:
 * the CLI, `reproduce`, the HTML index, notebook 02 and the rendering tests all pick it up.
 */
export const FIGURES: readonly FigureDefinition[] = [
  { name: "gpu-performance-vs-energy", origin: "paper", build: gpuPerformanceVsEnergyFigure },
  { name: "gpu-performance-vs-price", origin: "paper", build: gpuPerformanceVsPriceFigure },
  { name: "accuracy-per-wh", origin: "paper", build: accuracyPerWhFigure },
  { name: "energy-per-inference", origin: "paper", build: energyPerInferenceFigure },
  { name: "time-energy-throughput", origin: "paper", build: timeEnergyThroughputFigure },
  { name: "pareto-accuracy-energy", origin: "analysis", build: paretoAccuracyEnergyFigure },
  { name: "audit-discrepancies", origin: "analysis", build: auditDiscrepanciesFigure },
  { name: "sampling-study", origin: "analysis", build: samplingStudyFigure },
  { name: "stats-frontiers", origin: "analysis", build: statsFrontiersFigure },
  { name: "stats-scaling", origin: "analysis", build: statsScalingFigure },
];

export const FIGURE_NAMES: readonly string[] = FIGURES.map((d) => d.name);

/** The definitions named in `only` (all when undefined or empty); a usage error names unknown ones. */
export function selectFigures(only?: readonly string[]): FigureDefinition[] {
  if (!only || only.length === 0) return [...FIGURES];
  const unknown = only.filter((n) => !FIGURE_NAMES.includes(n));
  if (unknown.length > 0) {
    throw usageError(`unknown figure ${unknown.map((n) => `"${n}"`).join(", ")}`, `figures are: ${FIGURE_NAMES.join(", ")}`);
  }
  return FIGURES.filter((d) => only.includes(d.name));
}

/** Build the specs (no browser involved): what the exporter renders and the notebooks show. */
export function buildFigures(inputs: FigureInputs, only?: readonly string[]): FigureSpec[] {
  return selectFigures(only).map((d) => {
    const spec = d.build(inputs);
    if (spec.name !== d.name) throw new Error(`figure builder for ${d.name} returned a spec named ${spec.name}`);
    return spec;
  });
}
