import type { Data } from "plotly.js-dist";
import type { FigureSpec } from "../types.js";
import { cornerLabel, parityDiagonal } from "../layout-helpers.js";
import { baseLayout, logAxis, PALETTE } from "../theme.js";
import type { Check, CommunityValidation } from "../../model/community/validate.js";

/**
 * Held-out corpus measurements against the runtime-aware model and its two baselines, log–log,
 * one panel per predictor; colour: runtime. One figure per quantity (decode or prefill tokens/s,
 * average power W) and scheme.
 */
type Quantity = "decode" | "prefill" | "power";
type Which = "model" | "statistical" | "rooflineUncalibrated";

const PANELS: [Which, string][] = [
  ["model", "runtime-aware model"],
  ["statistical", "statistical baseline"],
  ["rooflineUncalibrated", "uncalibrated roofline"],
];

const RUNTIME_COLORS: Record<string, string> = {
  "llama.cpp": PALETTE.blue,
  ollama: PALETTE.orange,
  mlc: PALETTE.bluishGreen,
  other: PALETTE.reddishPurple,
};

const valueOf = (c: Check, w: Which): number | null =>
  w === "model" ? c.predicted : w === "statistical" ? c.baselines.statistical : c.baselines.rooflineUncalibrated;

const UNIT: Record<Quantity, string> = {
  decode: "decode tokens/s",
  prefill: "prefill tokens/s",
  power: "average power (W)",
};

function traces(checks: readonly Check[], lo: number, hi: number): Data[] {
  const data: Data[] = [];
  const runtimes = [...new Set(checks.map((c) => c.runtime))].sort();
  PANELS.forEach(([which], k) => {
    const ax = k === 0 ? "" : String(k + 1);
    data.push(parityDiagonal(ax, lo, hi));
    for (const rt of runtimes) {
      const cs = checks.filter((c) => c.runtime === rt && (valueOf(c, which) ?? 0) > 0);
      data.push({
        type: "scatter",
        mode: "markers",
        name: rt,
        legendgroup: rt,
        showlegend: k === 0,
        x: cs.map((c) => c.measured),
        y: cs.map((c) => valueOf(c, which) as number),
        text: cs.map((c) => `${c.id} (${c.board})`),
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        marker: { color: RUNTIME_COLORS[rt] ?? "#666", size: 6, opacity: 0.8, line: { width: 0.5, color: "#333" } },
      });
    }
  });
  return data;
}

export function corpusParityFigure(r: CommunityValidation, quantity: Quantity): FigureSpec {
  const checks = r.checks.filter((c) => c.quantity === quantity);
  const all = checks
    .flatMap((c) => [c.measured, ...PANELS.map(([w]) => valueOf(c, w) ?? NaN)])
    .filter((x) => x > 0 && Number.isFinite(x));
  const lo = (all.length ? Math.min(...all) : 1) / 1.5;
  const hi = (all.length ? Math.max(...all) : 10) * 1.5;
  const layout = baseLayout(`Held-out ${UNIT[quantity]} (${r.scheme}): measured vs predicted`, 1100, 420);
  const range: [number, number] = [Math.log10(lo), Math.log10(hi)];
  const summary = (w: Which) =>
    (w === "model"
      ? r.quantities[quantity]
      : w === "statistical"
        ? r.baselines.statistical[quantity]
        : r.baselines.rooflineUncalibrated[quantity]
    )?.medianApePct;
  Object.assign(layout, {
    grid: { rows: 1, columns: 3, pattern: "independent" },
    annotations: PANELS.map(([w, title], k) =>
      cornerLabel(`${title}<br>median APE ${summary(w)?.toFixed(1) ?? "—"}%`, k === 0 ? "" : String(k + 1)),
    ),
  });
  PANELS.forEach((_, k) => {
    const ax = k === 0 ? "" : String(k + 1);
    (layout as Record<string, unknown>)[`xaxis${ax}`] = logAxis(`measured ${UNIT[quantity]}`, { range });
    (layout as Record<string, unknown>)[`yaxis${ax}`] = logAxis(k === 0 ? `predicted ${UNIT[quantity]}` : "", {
      range,
    });
  });
  return {
    name: `corpus-parity-${quantity}-${r.scheme}`,
    title: `Held-out ${UNIT[quantity]}, ${r.scheme}`,
    caption:
      `Each point is one community-corpus measurement held out by ${r.scheme} cross-validation, against the ` +
      "prediction of a fit that never saw its fold. Colour: runtime; dotted: perfect prediction.",
    data: traces(checks, lo, hi),
    layout,
    widthPx: 1100,
    heightPx: 420,
  };
}
