import type { Data, Layout } from "plotly.js-dist";
import { usageError } from "../errors.js";

/** The file formats a figure can be exported to. */
export const FIGURE_FORMATS = ["svg", "png", "pdf", "html"] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/**
 * A figure as plotly.js draws it: traces and layout, plus its file name and its size in CSS
 * pixels (the PNG is rendered at 2× this size, the PDF page has exactly this size).
 */
export interface FigureSpec {
  /** File stem, kebab-case: `energy-per-inference` → `energy-per-inference.svg`. */
  name: string;
  /** One-line title shown above the plot and in the HTML page's <title>. */
  title: string;
  /** What the figure shows and where its numbers come from (the HTML caption, the notebook text). */
  caption: string;
  data: Data[];
  layout: Partial<Layout>;
  widthPx: number;
  heightPx: number;
}

export function isFigureFormat(s: string): s is FigureFormat {
  return (FIGURE_FORMATS as readonly string[]).includes(s);
}

/** Check a format list (e.g. from the command line); a usage error names what is wrong. Default: all. */
export function parseFormats(list: readonly string[] | undefined): FigureFormat[] {
  if (!list || list.length === 0) return [...FIGURE_FORMATS];
  const bad = list.filter((f) => !isFigureFormat(f));
  if (bad.length > 0) {
    const names = bad.map((b) => `"${b}"`).join(", ");
    throw usageError(`unknown format ${names}`, `formats are: ${FIGURE_FORMATS.join(", ")}`);
  }
  return FIGURE_FORMATS.filter((f) => list.includes(f));
}
