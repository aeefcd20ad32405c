/**
 * Display helpers for notebooks: turn a danfojs frame (or anything with `columns` and `values`)
 * into an HTML table, which Jupyter, VS Code, GitHub and nbviewer all render. Pure functions; the
 * notebook passes the result to `tslab.display.html`.
 */

/** The part of a danfojs DataFrame a table needs. */
export interface FrameLike {
  columns: string[];
  values: unknown[] | unknown[][];
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A cell as text: numbers with up to `digits` significant digits, in the paper's `1.33e8` style
 * from a million up and below a thousandth; nothing for null/NaN.
 */
export function cellText(v: unknown, digits = 6): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "";
    const abs = Math.abs(v);
    if (abs !== 0 && Number.isFinite(v) && (abs >= 1e6 || abs < 1e-3)) {
      const [mantissa, exponent] = v.toExponential(digits - 1).split("e");
      return `${Number(mantissa)}e${Number(exponent)}`;
    }
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(digits)));
  }
  // Anything else as JavaScript writes it (an array comma-joined), as the stored notebooks show it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}

/**
 * An HTML table of a frame: header row from its columns, one row per record, numbers right-aligned.
 * Long frames are cut at `maxRows` with a note saying how many rows were left out.
 */
export function frameHtml(
  frame: FrameLike,
  options: { maxRows?: number; caption?: string; digits?: number } = {},
): string {
  const maxRows = options.maxRows ?? 200;
  const rows = (
    frame.values.length > 0 && !Array.isArray(frame.values[0]) ? [frame.values] : frame.values
  ) as unknown[][];
  const shown = rows.slice(0, maxRows);
  const head = frame.columns.map((c) => `<th>${escapeHtml(String(c))}</th>`).join("");
  const td = (v: unknown): string =>
    `<td${typeof v === "number" ? ' style="text-align:right"' : ""}>${escapeHtml(cellText(v, options.digits))}</td>`;
  const body = shown.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("\n");
  const caption = options.caption
    ? `<caption style="caption-side:top;text-align:left">${escapeHtml(options.caption)}</caption>`
    : "";
  const more =
    rows.length > shown.length
      ? `<p><em>${rows.length - shown.length} more rows not shown (of ${rows.length}).</em></p>`
      : "";
  return `<table>${caption}\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`;
}

/** The part of tslab's `display` that shows a figure (`import * as tslab from "tslab"; tslab.display`). */
export interface FigureDisplay {
  png(bytes: Uint8Array): void;
  markdown(text: string): void;
}

/**
 * Show a rendered figure in a notebook: the image, which carries the figure's title (plotly draws
 * it), then its caption and an optional note as text under it. The title is not repeated as a
 * heading above the image (it was, and every notebook printed each title twice).
 */
export function showFigure(display: FigureDisplay, figure: { caption: string }, png: Uint8Array, note?: string): void {
  display.png(png);
  display.markdown(note === undefined || note === "" ? figure.caption : `${figure.caption}\n\n${note}`);
}
