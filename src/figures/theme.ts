/**
 * The look shared by every figure: one pinned font, the Okabe–Ito colour-blind-safe palette, one
 * colour per platform and one marker symbol per model, used identically in every figure so a
 * reader learns them once.
 */
import type { Layout, LayoutAxis } from "plotly.js-dist";
import { MODEL_IDS, PAPER_PLATFORMS, platformKey, type ModelId, type Platform } from "../domain/ids.js";

/** The font every figure uses. DejaVu Sans ships with Debian (fonts-dejavu-core), so renders are stable. */
export const FIGURE_FONT_FAMILY = "DejaVu Sans";

/**
 * Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable under the common
 * colour-vision deficiencies. https://jfly.uni-koeln.de/color/
 */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** One colour per platform of the study, the same in every figure. */
const PLATFORM_COLORS: Record<string, string> = {
  "raspberry-pi-5/cpu": OKABE_ITO.vermillion,
  "jetson-nano/cpu": OKABE_ITO.orange,
  "jetson-orin-nano/cpu": OKABE_ITO.skyBlue,
  "jetson-orin-nano/gpu": OKABE_ITO.blue,
};

/** The colour of a platform; platforms outside the study get the remaining palette colours. */
export function platformColor(p: Platform): string {
  const known = PLATFORM_COLORS[platformKey(p)];
  if (known) return known;
  const spare = [OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.yellow, OKABE_ITO.black];
  const i = [...platformKey(p)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % spare.length;
  return spare[i]!;
}

/** One marker symbol per model, so points stay identifiable in greyscale print. */
export const MODEL_SYMBOLS: Record<ModelId, string> = {
  "tinyllama-1.1b": "circle",
  "llama-3.2-1b": "square",
  "gemma-2-2b": "diamond",
  "phi-3-mini": "triangle-up",
};

/** The order models and platforms appear in legends and on category axes (the paper's order). */
export const MODEL_ORDER: readonly ModelId[] = MODEL_IDS;
export const PLATFORM_ORDER: readonly Platform[] = PAPER_PLATFORMS;

const AXIS_COLOR = "#444444";
const GRID_COLOR = "#E5E5E5";

/** Axis defaults: a title with its unit, light grid, outside ticks, a visible axis line. */
export function axis(title: string, extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  return {
    title: { text: title, font: { size: 13 } },
    showline: true,
    linecolor: AXIS_COLOR,
    ticks: "outside",
    tickcolor: AXIS_COLOR,
    gridcolor: GRID_COLOR,
    zeroline: false,
    automargin: true,
    ...extra,
  };
}

/** A log axis whose tick labels are plain powers of ten and 2·/5· steps, not 1e+3 strings. */
export function logAxis(title: string, extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  return axis(title, { type: "log", exponentformat: "power", dtick: "D2", ...extra });
}

/** Layout defaults every figure starts from. */
export function baseLayout(title: string, widthPx: number, heightPx: number): Partial<Layout> {
  return {
    title: { text: title, font: { size: 16 }, x: 0.01, xanchor: "left" },
    width: widthPx,
    height: heightPx,
    font: { family: FIGURE_FONT_FAMILY, size: 12, color: "#222222" },
    paper_bgcolor: "#FFFFFF",
    plot_bgcolor: "#FFFFFF",
    margin: { l: 70, r: 20, t: 60, b: 60 },
    legend: { font: { size: 11 }, bgcolor: "rgba(255,255,255,0.85)" },
    hoverlabel: { font: { family: FIGURE_FONT_FAMILY } },
  };
}
