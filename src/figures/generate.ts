import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { usageError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { figureHtml, figureIndexHtml, SHARED_PLOTLY_FILE } from "./export/html.js";
import { figureFontWarning } from "./export/chromium.js";
import { plotlyBundlePath, withRenderer, type RenderedFigure } from "./export/renderer.js";
import { FIGURE_FONT_FAMILY } from "./theme.js";
import type { FigureInputs } from "./inputs.js";
import { loadFigureInputs } from "./load-inputs.js";
import { buildFigures, FIGURES } from "./registry.js";
import { FIGURE_FORMATS, isFigureFormat, type FigureFormat, type FigureSpec } from "./types.js";

/** Default output folder, relative to the project root. */
export const FIGURES_DIR = "figures";

export interface GenerateFiguresOptions {
  /** Project root (holds data/ and figures/data/). */
  root: string;
  /** Formats to write; default all: svg, png, pdf, html. */
  formats?: readonly FigureFormat[];
  /** Figure names to write; default all. */
  only?: readonly string[];
  /** Output folder; default `<root>/figures`. Relative paths are taken from the root. */
  outDir?: string;
  /** Chromium binary; default $SLM_ENERGY_CHROMIUM or /usr/bin/chromium. */
  chromium?: string;
  /** Pre-loaded inputs (tests, notebooks); default: read them from the root. */
  inputs?: FigureInputs;
}

/** One file the generator wrote or found already up to date. */
export interface FigureFile {
  /** The figure it belongs to, or null for shared files (plotly.js, the index page). */
  figure: string | null;
  format: FigureFormat;
  /** Path relative to the project root when inside it, else absolute. */
  path: string;
  /** false when the file already held exactly these bytes (left untouched). */
  changed: boolean;
  bytes: number;
}

export interface GenerateFiguresResult {
  outDir: string;
  figures: string[];
  files: FigureFile[];
  /** Wall-clock time of the whole call, including browser start (s). */
  elapsedS: number;
  /** Things the user should know (e.g. the pinned font is missing); empty when all is well. */
  warnings: string[];
}

/** Check a format list from the command line; a usage error names what is wrong. */
export function parseFormats(list: readonly string[] | undefined): FigureFormat[] {
  if (!list || list.length === 0) return [...FIGURE_FORMATS];
  const bad = list.filter((f) => !isFigureFormat(f));
  if (bad.length > 0) throw usageError(`unknown format ${bad.map((b) => `"${b}"`).join(", ")}`, `formats are: ${FIGURE_FORMATS.join(", ")}`);
  return FIGURE_FORMATS.filter((f) => list.includes(f));
}

/**
 * Write the figures: `<out>/<name>.svg|png|pdf` rendered by one headless Chromium for the whole
 * batch, and `<out>/html/<name>.html` interactive pages sharing one `<out>/html/plotly.js`, plus
 * `<out>/html/index.html`. Every file is written atomically and only when its bytes change, so
 * regenerating unchanged figures touches nothing.
 */
export async function generateFigures(options: GenerateFiguresOptions): Promise<GenerateFiguresResult> {
  const t0 = performance.now();
  const root = resolve(options.root);
  const formats = parseFormats(options.formats);
  const outDir = options.outDir === undefined ? join(root, FIGURES_DIR) : isAbsolute(options.outDir) ? options.outDir : join(root, options.outDir);
  const inputs = options.inputs ?? loadFigureInputs(root);
  const specs = buildFigures(inputs, options.only);
  const files: FigureFile[] = [];
  const show = (p: string): string => {
    const rel = relative(root, p);
    return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
  };
  const write = (figure: string | null, format: FigureFormat, path: string, content: string | Uint8Array): void => {
    const changed = writeFileAtomic(path, content);
    files.push({ figure, format, path: show(path), changed, bytes: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength });
  };

  const warnings: string[] = [];
  const staticFormats = formats.filter((f) => f !== "html");
  if (staticFormats.length > 0) {
    const font = figureFontWarning(FIGURE_FONT_FAMILY);
    if (font) warnings.push(font);
    await withRenderer(
      async (renderer) => {
        for (const spec of specs) {
          const out = await renderer.render(spec, staticFormats);
          if (out.svg !== undefined) write(spec.name, "svg", join(outDir, `${spec.name}.svg`), out.svg);
          if (out.png !== undefined) write(spec.name, "png", join(outDir, `${spec.name}.png`), out.png);
          if (out.pdf !== undefined) write(spec.name, "pdf", join(outDir, `${spec.name}.pdf`), out.pdf);
        }
      },
      options.chromium === undefined ? {} : { chromium: options.chromium },
    );
  }
  if (formats.includes("html")) {
    const htmlDir = join(outDir, "html");
    write(null, "html", join(htmlDir, SHARED_PLOTLY_FILE), readFileSync(plotlyBundlePath()));
    for (const spec of specs) write(spec.name, "html", join(htmlDir, `${spec.name}.html`), figureHtml(spec));
    // The index lists every figure: rebuild it when all were drawn, or when there is none yet
    // (building every spec just for the index would make `--only` as slow as a full run).
    const indexPath = join(htmlDir, "index.html");
    if (specs.length === FIGURES.length) write(null, "html", indexPath, figureIndexHtml(specs));
    else if (!existsSync(indexPath)) write(null, "html", indexPath, figureIndexHtml(buildFigures(inputs)));
  }
  return { outDir: show(outDir), figures: specs.map((s) => s.name), files, elapsedS: (performance.now() - t0) / 1000, warnings };
}

/** A figure's spec with its rendered bytes, for showing inline (notebooks) without writing files. */
export interface RenderedFigureSpec extends RenderedFigure {
  spec: FigureSpec;
}

/** Build and render figures in memory with one browser (default: PNG of every figure). */
export async function renderFigures(options: {
  root: string;
  only?: readonly string[];
  formats?: readonly FigureFormat[];
  inputs?: FigureInputs;
  chromium?: string;
}): Promise<RenderedFigureSpec[]> {
  const formats = options.formats ?? ["png"];
  const specs = buildFigures(options.inputs ?? loadFigureInputs(resolve(options.root)), options.only);
  return withRenderer(
    async (renderer) => {
      const out: RenderedFigureSpec[] = [];
      for (const spec of specs) out.push({ spec, ...(await renderer.render(spec, formats)) });
      return out;
    },
    options.chromium === undefined ? {} : { chromium: options.chromium },
  );
}
