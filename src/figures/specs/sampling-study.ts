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
import { axisId, gridAxes, panelTitle } from "../layout-helpers.js";
import { baseLayout, logAxis, OKABE_ITO } from "../theme.js";
import type { FigureSpec } from "../types.js";

const METER_COLORS: Record<MeterId, string> = {
  tegrastats: OKABE_ITO.blue,
  jtop: OKABE_ITO.skyBlue,
  pmic: OKABE_ITO.vermillion,
  fnirsi: OKABE_ITO.bluishGreen,
  "usb-csv": OKABE_ITO.orange,
  rapl: OKABE_ITO.reddishPurple,
  "nvidia-smi": OKABE_ITO.black,
};

/** Sequential blues for sampling rates, slow (light) to fast (dark). */
const RATE_COLORS = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b", "#041b3f"];

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
      legendgroup: "meters",
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
    name: "edge-step theory, RMS (δ/√6·T)",
    x: lengths,
    y: lengths.map((L) => 100 * expectedRelError(1, L)),
    line: { color: "#888888", width: 1.5, dash: "dot" },
    xaxis: axisId("x", 0),
    yaxis: axisId("y", 0),
    hoverinfo: "skip",
  });
  return data;
}

/** Right panel: tegrastats at each rate. */
function ratesPanel(get: CellOf, lengths: number[]): Data[] {
  const data: Data[] = [];
  studyRates("tegrastats").forEach((hz, k) => {
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `tegrastats ${hz} Hz`,
      legendgroup: "rates",
      x: lengths,
      y: lengths.map((L) => get("tegrastats", hz, L).p95AbsErrPct),
      line: { color: RATE_COLORS[k % RATE_COLORS.length], width: 2 },
      marker: { color: RATE_COLORS[k % RATE_COLORS.length], size: 6 },
      xaxis: axisId("x", 1),
      yaxis: axisId("y", 1),
      hovertemplate: `tegrastats at ${hz} Hz: %{x} s inferences, 95th percentile %{y:.3g} %<extra></extra>`,
    });
  });
  return data;
}

/** The 5 % line across both panels. */
function fivePercentLines(lengths: number[]): Data[] {
  const data: Data[] = [];
  for (const i of [0, 1]) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: "5 %",
      showlegend: i === 0,
      x: [lengths[0], lengths[lengths.length - 1]],
      y: [5, 5],
      line: { color: OKABE_ITO.vermillion, width: 1, dash: "dash" },
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      hoverinfo: "skip",
    } as Data);
  }
  return data;
}

/**
 * The sampling study (simulated): 95th-percentile |error| of a single inference's energy against
 * its length, for every meter at 1 Hz (left) and for tegrastats at every rate (right). Computed
 * by the simulator and the ingester's own parser and integrator; the figure does not depend on
 * the paper's data (`inputs` is unused), only on the seeded simulation.
 */
export function samplingStudyFigure(_inputs: FigureInputs, cells?: readonly SamplingCell[]): FigureSpec {
  const get: CellOf = (m, hz, L) =>
    cells?.find((c) => c.meter === m && c.sampleHz === hz && c.inferenceS === L) ?? studyCell(m, hz, L);
  const widthPx = 1100;
  const heightPx = 480;
  const lengths = [...STUDY_LENGTHS_S];
  const data: Data[] = [...metersPanel(get, lengths), ...ratesPanel(get, lengths), ...fivePercentLines(lengths)];
  const grid = gridAxes(
    1,
    2,
    () => logAxis("Inference length (s)"),
    () => logAxis("95th-percentile |energy error| (%)", { range: [-2, 2.1] }),
    { x: 0.1, y: 0.1 },
  );
  const layout: Partial<Layout> = {
    ...baseLayout("Sampling study (simulated): energy error of one inference vs its length", widthPx, heightPx),
    ...grid,
    annotations: [
      panelTitle("Every meter at 1 Hz", [0, 0.45], 1.0),
      panelTitle("tegrastats at each sampling rate", [0.55, 1], 1.0),
    ],
    legend: { font: { size: 10 }, x: 1.02, y: 1, bgcolor: "rgba(255,255,255,0.85)" },
    margin: { l: 70, r: 170, t: 80, b: 60 },
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
      "(δ/√6·T) at 1 Hz.",
    data,
    layout,
    widthPx,
    heightPx,
  };
}
