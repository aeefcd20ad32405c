import type { Data, Layout } from "plotly.js-dist";
import { expectedRelError } from "../../ingest/energy/error-estimate.js";
import { METER_IDS, type MeterId } from "../../simulate/meters/types.js";
import {
  studyCell,
  studyRates,
  STUDY_LENGTHS_S,
  STUDY_IDLE_W,
  STUDY_MEAN_W,
  type SamplingCell,
} from "../../simulate/study.js";
import type { FigureInputs } from "../inputs.js";
import { spreadColumn } from "../label-placement.js";
import { axisId, panelTitle } from "../layout-helpers.js";
import { baseLayout, logAxis, PALETTE } from "../theme.js";
import type { FigureSpec } from "../types.js";

const METER_COLORS: Record<MeterId, string> = {
  tegrastats: PALETTE.blue,
  jtop: PALETTE.skyBlue,
  pmic: PALETTE.vermillion,
  fnirsi: PALETTE.bluishGreen,
  "usb-csv": PALETTE.orange,
  rapl: PALETTE.reddishPurple,
  "nvidia-smi": PALETTE.black,
};

/**
 * Sampling rates, slow to fast: eight different hues of the palette (warm for slow, cool for
 * fast) and eight marker symbols, so neighbouring rates differ in colour and in shape; each line
 * is also labelled with its rate at its right end.
 */
const RATE_STYLES: readonly { color: string; symbol: string }[] = [
  { color: PALETTE.orange, symbol: "circle" },
  { color: PALETTE.vermillion, symbol: "square" },
  { color: PALETTE.reddishPurple, symbol: "diamond" },
  { color: PALETTE.yellow, symbol: "triangle-up" },
  { color: PALETTE.bluishGreen, symbol: "triangle-down" },
  { color: PALETTE.skyBlue, symbol: "cross" },
  { color: PALETTE.blue, symbol: "x" },
  { color: PALETTE.black, symbol: "star" },
];

/** The error threshold the study reads its results against (%), drawn in both panels. */
export const SAMPLING_THRESHOLD_PCT = 5;

type CellOf = (m: MeterId, hz: number, L: number) => SamplingCell;

/** Left panel: every meter at 1 Hz, with the edge-step theory. */
function metersPanel(get: CellOf, lengths: number[]): Data[] {
  const data: Data[] = [];
  for (const m of METER_IDS) {
    if (!studyRates(m).includes(1)) continue;
    const ys = lengths.map((L) => get(m, 1, L).p95AbsErrPct);
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: m,
      x: lengths,
      y: ys,
      line: { color: METER_COLORS[m], width: 2 },
      marker: { color: METER_COLORS[m], size: 6 },
      xaxis: axisId("x", 0),
      yaxis: axisId("y", 0),
      hovertemplate: `${m} at 1 Hz: %{x} s inferences, 95th percentile %{y:.3g} %<extra></extra>`,
    });
  }
  data.push({
    type: "scatter",
    mode: "lines",
    name: "edge-step theory (RMS)",
    x: lengths,
    y: lengths.map((L) => 100 * expectedRelError(1, L)),
    line: { color: "#888888", width: 1.5, dash: "dot" },
    xaxis: axisId("x", 0),
    yaxis: axisId("y", 0),
    hoverinfo: "skip",
  });
  return data;
}

/** Log-axis range of the error panels (log10 %), and the plot height their end labels are spread over. */
const ERROR_RANGE: [number, number] = [-2, 2.1];
const END_LABEL_GAP_PX = 13;

/**
 * Right panel: tegrastats at each rate, each line labelled with its rate at its right end (labels
 * spread apart where lines end close together, so none covers another).
 */
function ratesPanel(
  get: CellOf,
  lengths: number[],
  plotHeightPx: number,
): { data: Data[]; labels: NonNullable<Layout["annotations"]> } {
  const data: Data[] = [];
  const rates = studyRates("tegrastats");
  const ends = rates.map((hz) => get("tegrastats", hz, lengths[lengths.length - 1]!).p95AbsErrPct);
  const toPx = (pct: number): number =>
    ((ERROR_RANGE[1] - Math.log10(pct)) / (ERROR_RANGE[1] - ERROR_RANGE[0])) * plotHeightPx;
  const labelPx = spreadColumn(ends.map(toPx), END_LABEL_GAP_PX, plotHeightPx);
  rates.forEach((hz, k) => {
    const style = RATE_STYLES[k % RATE_STYLES.length]!;
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${hz} Hz`,
      showlegend: false,
      x: lengths,
      y: lengths.map((L) => get("tegrastats", hz, L).p95AbsErrPct),
      line: { color: style.color, width: 2 },
      marker: { color: style.color, size: 7, symbol: style.symbol },
      xaxis: axisId("x", 1),
      yaxis: axisId("y", 1),
      hovertemplate: `tegrastats at ${hz} Hz: %{x} s inferences, 95th percentile %{y:.3g} %<extra></extra>`,
    } as Data);
  });
  const labels = rates.map((hz, k) => ({
    text: `${hz} Hz`,
    x: 1,
    y: 1 - labelPx[k]! / plotHeightPx,
    xref: "x2 domain" as never,
    yref: "y2 domain" as never,
    xanchor: "left" as const,
    yanchor: "middle" as const,
    xshift: 6,
    showarrow: false,
    font: { size: 10, color: RATE_STYLES[k % RATE_STYLES.length]!.color },
  }));
  return { data, labels };
}

/** The 5 % threshold across both panels, in the legend once (the same dashed line in both). */
function thresholdLines(lengths: number[]): Data[] {
  return [0, 1].map(
    (i) =>
      ({
        type: "scatter",
        mode: "lines",
        name: `${SAMPLING_THRESHOLD_PCT} % error threshold`,
        showlegend: i === 0,
        x: [lengths[0], lengths[lengths.length - 1]],
        y: [SAMPLING_THRESHOLD_PCT, SAMPLING_THRESHOLD_PCT],
        line: { color: "#555555", width: 1.2, dash: "dash" },
        xaxis: axisId("x", i),
        yaxis: axisId("y", i),
        hoverinfo: "skip",
      }) as Data,
  );
}

/** Where the two panels sit across the figure: the legend goes in the gap between them. */
const LEFT_DOMAIN: [number, number] = [0, 0.38];
const RIGHT_DOMAIN: [number, number] = [0.63, 0.93];

/**
 * The sampling study (simulated): 95th-percentile |error| of a single inference's energy against
 * its length, for every meter at 1 Hz (left) and for tegrastats at every rate (right). Computed
 * by the simulator and the ingester's own parser and integrator; the figure does not depend on
 * the paper's data (`inputs` is unused), only on the seeded simulation.
 */
export function samplingStudyFigure(_inputs: FigureInputs, cells?: readonly SamplingCell[]): FigureSpec {
  const get: CellOf = (m, hz, L) =>
    cells?.find((c) => c.meter === m && c.sampleHz === hz && c.inferenceS === L) ?? studyCell(m, hz, L);
  const widthPx = 1150;
  const heightPx = 480;
  const lengths = [...STUDY_LENGTHS_S];
  const last = lengths[lengths.length - 1]!;
  const margin = { l: 70, r: 70, t: 80, b: 60 };
  const rates = ratesPanel(get, lengths, heightPx - margin.t - margin.b);
  const data: Data[] = [...metersPanel(get, lengths), ...rates.data, ...thresholdLines(lengths)];
  const xRange: [number, number] = [Math.log10(lengths[0]!) - 0.08, Math.log10(last) + 0.08];
  const yTitle = "95th-percentile |energy error| (%)";
  const layout: Partial<Layout> = {
    ...baseLayout("Sampling study (simulated): energy error of one inference vs its length", widthPx, heightPx),
    xaxis: { ...logAxis("Inference length (s)", { range: xRange }), domain: LEFT_DOMAIN, anchor: "y" },
    yaxis: { ...logAxis(yTitle, { range: ERROR_RANGE }), anchor: "x" },
    xaxis2: { ...logAxis("Inference length (s)", { range: xRange }), domain: RIGHT_DOMAIN, anchor: "y2" },
    // The same quantity on the same range as the left panel's: its title would only crowd the legend.
    yaxis2: { ...logAxis("", { range: ERROR_RANGE }), anchor: "x2" },
    annotations: [
      panelTitle("Every meter at 1 Hz", LEFT_DOMAIN, 1.0),
      panelTitle("tegrastats at each sampling rate", RIGHT_DOMAIN, 1.0),
      ...rates.labels,
    ],
    legend: {
      title: { text: "Meter, at 1 Hz" },
      font: { size: 10 },
      x: LEFT_DOMAIN[1] + 0.01,
      xanchor: "left",
      y: 1,
      yanchor: "top",
    },
    margin,
  };
  return {
    name: "sampling-study",
    title: "Sampling study (simulated): energy error vs inference length",
    caption:
      `SIMULATED. 95th percentile of |measured − true| / true energy of single inferences, back to back ~50 ms ` +
      `apart on a board idling at ${STUDY_IDLE_W} W ` +
      `and running at ${STUDY_MEAN_W} W; each meter's log is written in its real format and read by the ingester's ` +
      `parser and integrator ` +
      "(slm-energy sampling-study; full table in figures/tables/sampling-study.md). Counters and averaging meters " +
      "(RAPL, nvidia-smi) see energy between readings; " +
      "point-sampling meters (tegrastats, jtop, PMIC, USB CSV) miss it. Dotted: the RMS error of an on/off step " +
      "(δ/√6·T) at 1 Hz. Dashed: the 5 % error threshold. Right: every line is labelled with its rate.",
    data,
    layout,
    widthPx,
    heightPx,
  };
}
