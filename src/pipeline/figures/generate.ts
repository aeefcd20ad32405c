/**
 * The figures stage: build every paper-data figure of the registry and write it in each format,
 * or render figures in memory for a notebook.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { figureHtml, figureIndexHtml, SHARED_PLOTLY_FILE, type StaticLink } from "../../figures/export/html.js";
import { plotlyBundlePath, withRenderer, type RenderedFigure } from "../../figures/export/renderer.js";
import type { FigureInputs } from "../../figures/inputs.js";
import { buildFigures, FIGURES } from "../../figures/registry.js";
import { FIGURE_FONT_FAMILY } from "../../figures/theme.js";
import { parseFormats, type FigureFormat, type FigureSpec } from "../../figures/types.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { figureFontWarning } from "../../io/figures/chromium.js";
import { PATHS } from "../paths.js";
import { loadFigureInputs } from "./load-inputs.js";

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
  const outDir = outputFolder(root, options.outDir);
  const inputs = options.inputs ?? loadFigureInputs(root);
  const specs = buildFigures(inputs, options.only);
  const out = new FigureWriter(root);
  const warnings: string[] = [];
  const staticFormats = formats.filter((f) => f !== "html");
  if (staticFormats.length > 0) {
    const font = figureFontWarning(FIGURE_FONT_FAMILY);
    if (font) warnings.push(font);
    await writeStatic(out, specs, staticFormats, outDir, options.chromium);
  }
  if (formats.includes("html")) writeHtml(out, specs, outDir);
  return {
    outDir: out.show(outDir),
    figures: specs.map((s) => s.name),
    files: out.files,
    elapsedS: (performance.now() - t0) / 1000,
    warnings,
  };
}

function outputFolder(root: string, outDir: string | undefined): string {
  if (outDir === undefined) return join(root, PATHS.figuresDir);
  return isAbsolute(outDir) ? outDir : join(root, outDir);
}

/** Writes files atomically, remembering each (path shown relative to the root when inside it). */
class FigureWriter {
  readonly files: FigureFile[] = [];
  constructor(private readonly root: string) {}

  show(p: string): string {
    const rel = relative(this.root, p);
    return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
  }

  write(figure: string | null, format: FigureFormat, path: string, content: string | Uint8Array): void {
    const changed = writeFileAtomic(path, content);
    const bytes = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    this.files.push({ figure, format, path: this.show(path), changed, bytes });
  }
}

/** `<out>/<name>.svg|png|pdf`, rendered by one headless Chromium for the whole batch. */
async function writeStatic(
  out: FigureWriter,
  specs: readonly FigureSpec[],
  formats: readonly FigureFormat[],
  outDir: string,
  chromium: string | undefined,
): Promise<void> {
  await withRenderer(
    async (renderer) => {
      for (const spec of specs) {
        const r = await renderer.render(spec, formats);
        if (r.svg !== undefined) out.write(spec.name, "svg", join(outDir, `${spec.name}.svg`), r.svg);
        if (r.png !== undefined) out.write(spec.name, "png", join(outDir, `${spec.name}.png`), r.png);
        if (r.pdf !== undefined) out.write(spec.name, "pdf", join(outDir, `${spec.name}.pdf`), r.pdf);
      }
    },
    chromium === undefined ? {} : { chromium },
  );
}

/** The static files of a figure that exist in `outDir`, as links from its page in `<outDir>/html/`. */
function existingStaticLinks(outDir: string, name: string): StaticLink[] {
  return (["svg", "png", "pdf"] as const)
    .filter((f) => existsSync(join(outDir, `${name}.${f}`)))
    .map((f) => ({ label: f.toUpperCase(), href: `../${name}.${f}` }));
}

/**
 * `<out>/html/<name>.html` sharing one `<out>/html/plotly.js`, and `<out>/html/index.html`. Each
 * page links the static files of its figure that exist in `<out>` (written now or before), no others.
 */
function writeHtml(out: FigureWriter, specs: readonly FigureSpec[], outDir: string): void {
  const htmlDir = join(outDir, "html");
  out.write(null, "html", join(htmlDir, SHARED_PLOTLY_FILE), readFileSync(plotlyBundlePath()));
  for (const spec of specs) {
    const page = figureHtml(spec, SHARED_PLOTLY_FILE, existingStaticLinks(outDir, spec.name));
    out.write(spec.name, "html", join(htmlDir, `${spec.name}.html`), page);
  }
  // The index lists every figure when all were drawn. After `--only` it is left as it is, or, when
  // there is none yet, lists the pages written now: it links no page that does not exist.
  const indexPath = join(htmlDir, "index.html");
  if (specs.length === FIGURES.length || !existsSync(indexPath)) {
    out.write(null, "html", indexPath, figureIndexHtml(specs));
  }
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
