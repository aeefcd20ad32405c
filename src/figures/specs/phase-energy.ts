import type { Data, Layout } from "plotly.js-dist";
import type { BundleResult } from "../../ingest/bundle/result.js";
import { energyPerInferenceWh } from "../../metrics/energy.js";
import { jToWh, whToJ } from "../../metrics/units.js";
import { FIGURE_FONT_FAMILY, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

/** One run's per-phase figures, as the figure draws them (null where the run lacks them). */
export interface PhaseEnergyBar {
  runId: string;
  /** Mean prefill and decode energy per inference (J, gross). */
  prefillJ: number;
  decodeJ: number;
  /** Prefill J per prompt token and decode J per generated token (gross). */
  jPerPromptToken: number | null;
  jPerGenToken: number | null;
}

/**
 * The runs whose every inference has both phase energies (their sums are then set), with the
 * mean per inference of each phase; the others are left out (and named in the caption).
 */
export function phaseEnergyBars(results: readonly BundleResult[]): { bars: PhaseEnergyBar[]; without: string[] } {
  const bars: PhaseEnergyBar[] = [];
  const without: string[] = [];
  for (const b of results) {
    const r = b.run;
    const n = r.gross.inferences;
    if (r.prefillEnergyJ === null || r.decodeEnergyJ === null || n === 0 || r.prefillEnergyJ < 0) {
      without.push(b.runId);
      continue;
    }
    const mean = (totalJ: number) => whToJ(energyPerInferenceWh(jToWh(totalJ), n));
    bars.push({
      runId: b.runId,
      prefillJ: mean(r.prefillEnergyJ),
      decodeJ: mean(r.decodeEnergyJ),
      jPerPromptToken: r.jPerPromptToken,
      jPerGenToken: r.jPerGenToken,
    });
  }
  return { bars, without };
}

const PREFILL = PALETTE.skyBlue;
const DECODE = PALETTE.vermillion;

function traces(bars: readonly PhaseEnergyBar[]): Data[] {
  const x = bars.map((b) => b.runId);
  const perToken = (k: "jPerPromptToken" | "jPerGenToken") => bars.map((b) => b[k]);
  return [
    {
      type: "bar",
      name: "prefill (J per inference)",
      x,
      y: bars.map((b) => b.prefillJ),
      marker: { color: PREFILL },
      legendgroup: "p",
    },
    {
      type: "bar",
      name: "decode (J per inference)",
      x,
      y: bars.map((b) => b.decodeJ),
      marker: { color: DECODE },
      legendgroup: "d",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "prefill, J per prompt token",
      x,
      y: perToken("jPerPromptToken"),
      xaxis: "x2",
      yaxis: "y2",
      marker: { color: PREFILL, symbol: "circle", size: 10 },
      legendgroup: "p",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "decode, J per generated token",
      x,
      y: perToken("jPerGenToken"),
      xaxis: "x2",
      yaxis: "y2",
      marker: { color: DECODE, symbol: "diamond", size: 10 },
      legendgroup: "d",
    },
  ] as Data[];
}

/**
 * Energy per phase of ingested runs: left, each run's mean energy per inference split into
 * prefill and decode (stacked, J, gross); right, the energy of one token in each phase — prefill
 * J per prompt token, decode J per generated token (log scale). A phase's energy is the power
 * log integrated over that phase's part of the inference's window (its printed duration), as
 * `inferences.csv` reports it.
 */
export function phaseEnergyFigure(results: readonly BundleResult[]): FigureSpec {
  const { bars, without } = phaseEnergyBars(results);
  const title = "Energy per phase: prefill and decode";
  const layout: Partial<Layout> = {
    font: { family: FIGURE_FONT_FAMILY, size: 12 },
    title: { text: title },
    barmode: "stack",
    grid: { rows: 1, columns: 2, pattern: "independent" },
    xaxis: { title: { text: "run" }, domain: [0, 0.45], automargin: true },
    yaxis: { title: { text: "energy per inference (J)" }, rangemode: "tozero" },
    xaxis2: { title: { text: "run" }, domain: [0.57, 1], automargin: true },
    yaxis2: { title: { text: "energy per token (J/token)" }, type: "log", anchor: "x2" },
    legend: { orientation: "h", x: 0, y: -0.3 },
    margin: { l: 70, r: 20, t: 50, b: 110 },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
  };
  const left = without.length === 0 ? "" : ` Left out (a phase duration or the power missing): ${without.join(", ")}.`;
  return {
    name: "phase-energy",
    title,
    caption:
      "Left: mean energy per inference of each run, split into prefill (prompt processing) and decode " +
      "(generation), gross of idle; each phase's energy is the power log integrated over that phase of the " +
      "inference's window. Right: prefill J per prompt token and decode J per generated token (log scale). " +
      `From the ingested bundles (inferences.csv, runs.csv).${left}`,
    data: traces(bars),
    layout,
    widthPx: 900,
    heightPx: 420,
  };
}
