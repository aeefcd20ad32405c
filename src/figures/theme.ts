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

/**
 * The colours marks (points, lines, bars) are drawn in: the Okabe–Ito hues, each darkened in the
 * same hue just enough to reach a contrast of at least 3:1 against the white background (WCAG 2.1
 * non-text contrast; orange, sky blue, yellow and reddish purple are too light as published —
 * Okabe–Ito yellow is 1.3:1 on white). Every figure takes its mark colours from here.
 */
export const PALETTE = {
  black: OKABE_ITO.black,
  orange: "#BF8400",
  skyBlue: "#4897C4",
  bluishGreen: OKABE_ITO.bluishGreen,
  yellow: "#9A922A",
  blue: OKABE_ITO.blue,
  vermillion: OKABE_ITO.vermillion,
  reddishPurple: "#C675A2",
} as const;

/** The smallest contrast a mark's colour must have against the white background. */
export const MIN_MARK_CONTRAST = 3;

/** WCAG 2.1 relative luminance of a #RRGGBB colour. */
function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2.1 contrast ratio of two #RRGGBB colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** One colour per platform of the study, the same in every figure. */
const PLATFORM_COLORS: Record<string, string> = {
  "raspberry-pi-5/cpu": PALETTE.vermillion,
  "jetson-nano/cpu": PALETTE.orange,
  "jetson-orin-nano/cpu": PALETTE.skyBlue,
  "jetson-orin-nano/gpu": PALETTE.blue,
};

/** The colour of a platform; platforms outside the study get the remaining palette colours. */
export function platformColor(p: Platform): string {
  const known = PLATFORM_COLORS[platformKey(p)];
  if (known) return known;
  const spare = [PALETTE.bluishGreen, PALETTE.reddishPurple, PALETTE.yellow, PALETTE.black];
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

/** Mantissas of log-axis ticks, coarsest first: the first set giving enough ticks in the range is used. */
const LOG_TICK_MANTISSAS: readonly (readonly number[])[] = [
  [1],
  [1, 3],
  [1, 2, 5],
  [1, 2, 3, 5],
  [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9],
];

/**
 * Ticks wanted on a log axis: 3 powers of ten are enough; 1-3-10 steps are taken only when they
 * give at least 4 ticks (else 1-2-5 read better); finer steps need 3.
 */
const MIN_TICKS = 3;
const MIN_STEP_TICKS = 4;

/** A tick value m × 10^e, built from its decimal string so 3 × 10^-1 is 0.3 and not 0.30000000000000004. */
const tickValue = (m: number, e: number): number => Number(`${m}e${e}`);

/** "0.02", "5", "1,000" where every tick is between 10^-4 and 10^5; else "2×10^−6" for every tick. */
function tickLabels(vals: readonly number[]): string[] {
  const plain = vals.every((v) => v >= 1e-4 && v < 1e5);
  return vals.map((v) => {
    if (plain) return v.toLocaleString("en-US", { maximumSignificantDigits: 6 });
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Number((v / 10 ** e).toPrecision(3));
    const pow = `10<sup>${e < 0 ? `\u2212${-e}` : e}</sup>`;
    return m === 1 ? pow : `${m}×${pow}`;
  });
}

/**
 * Ticks of a log axis spanning [lo, hi] (data units): powers of ten when the range holds at least
 * three, else 1-3-10 steps, else 1-2-5 steps, finer steps for ranges under a decade. Every tick is labelled with its
 * full value in one style and one size (no unlabelled minor "2" and "5" beside "10^3").
 */
export function logTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  let vals: number[] = [];
  for (const [k, set] of LOG_TICK_MANTISSAS.entries()) {
    vals = [];
    for (let e = e0; e <= e1; e++) {
      for (const m of set) {
        const v = tickValue(m, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) vals.push(v);
      }
    }
    if (vals.length >= (k === 1 ? MIN_STEP_TICKS : MIN_TICKS)) break;
  }
  // Many decades: every second (third …) power of ten, so labels never crowd.
  const step = Math.ceil(vals.length / 8);
  if (step > 1) vals = vals.filter((_, i) => i % step === 0);
  return { tickvals: vals, ticktext: tickLabels(vals) };
}

/** The range (log10 units) of a log axis around positive values, padded by `padDecades` on each side. */
export function logRange(values: readonly number[], padDecades = 0.08): [number, number] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return [0, 1];
  const lo = Math.log10(Math.min(...pos));
  const hi = Math.log10(Math.max(...pos));
  const pad = Math.max(padDecades, (hi - lo) * 0.04);
  return [lo - pad, hi + pad];
}

/**
 * A log axis. Its range is `extra.range` (log10 units) when given, else fitted to `values`; its
 * ticks are chosen for that range by `logTicks` and labelled with full values. With neither, only
 * powers of ten are labelled.
 */
export function logAxis(
  title: string,
  extra: Partial<LayoutAxis> = {},
  values: readonly number[] = [],
): Partial<LayoutAxis> {
  const range = (extra.range as [number, number] | undefined) ?? (values.length > 0 ? logRange(values) : undefined);
  if (!range) return axis(title, { type: "log", exponentformat: "power", dtick: 1, ...extra });
  const ticks = logTicks(10 ** range[0], 10 ** range[1]);
  return axis(title, { type: "log", tickmode: "array", ...ticks, ...extra, range, autorange: false });
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
