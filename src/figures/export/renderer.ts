import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Data } from "plotly.js-dist";
import { internalError, SlmError } from "../../errors.js";
import { FIGURE_FONT_FAMILY } from "../theme.js";
import type { FigureFormat, FigureSpec } from "../types.js";
import { chromiumPath } from "../../io/figures/chromium.js";
import { CHROMIUM_ARGS } from "./chromium.js";
import { normalizePdf } from "./pdf.js";
import { normalizeSvg } from "./svg.js";

/** The bytes of one figure in the static formats asked for. */
export interface RenderedFigure {
  svg?: string;
  png?: Uint8Array;
  pdf?: Uint8Array;
}

/** The part of the page's plotly.js global the renderer calls. */
interface PlotlyInPage {
  toImage(figure: unknown, options: Record<string, unknown>): Promise<string>;
}

/** What the in-page drawing function receives (serialised into the page). */
interface DrawArgs {
  data: Data[];
  layout: Record<string, unknown>;
  width: number;
  height: number;
  scale: number;
  png: boolean;
}

/** PNGs are rendered at twice the figure's CSS size (print resolution for a column-wide figure). */
export const PNG_SCALE = 2;

const require = createRequire(import.meta.url);

/** Path of the plotly.js bundle this project renders with (the same file the HTML pages load). */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist");
}

const BLANK_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;padding:0;background:#fff;font-family:"${FIGURE_FONT_FAMILY}"}
</style></head><body></body></html>`;

/**
 * Renders figures with one headless Chromium for a whole batch: plotly.js is loaded once into a
 * page, and each figure is exported from there with Plotly.toImage (SVG, and PNG at 2×); PDFs
 * are printed from the SVG on a second page, so they are vector and identical to the SVG.
 * Always `close()` it (or use `withRenderer`).
 */
export class FigureRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly plotPage: Page,
    private readonly printPage: Page,
  ) {}

  static async launch(options: { chromium?: string } = {}): Promise<FigureRenderer> {
    const executablePath = options.chromium ?? chromiumPath();
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 60_000 });
    } catch (e) {
      throw new SlmError(
        "E_ENV",
        `could not start Chromium (${executablePath}): ${(e as Error).message.split("\n")[0]}`,
        {
          hint: "check that `chromium --headless --no-sandbox --dump-dom about:blank` works on this machine",
          cause: e,
        },
      );
    }
    try {
      const context = await browser.newContext({ deviceScaleFactor: 1, locale: "en-US", timezoneId: "UTC" });
      const plotPage = await context.newPage();
      await plotPage.setContent(BLANK_PAGE);
      await plotPage.addScriptTag({ path: plotlyBundlePath() });
      const printPage = await context.newPage();
      return new FigureRenderer(browser, plotPage, printPage);
    } catch (e) {
      await browser.close().catch(() => undefined);
      throw e;
    }
  }

  /** Render one figure into the requested static formats ("html" needs no browser and is ignored). */
  async render(spec: FigureSpec, formats: readonly FigureFormat[]): Promise<RenderedFigure> {
    const want = new Set(formats);
    const out: RenderedFigure = {};
    if (!want.has("svg") && !want.has("png") && !want.has("pdf")) return out;
    const data = withStableUids(spec.data, spec.name);
    const layout = { ...spec.layout, width: spec.widthPx, height: spec.heightPx };
    // Plotly.toImage draws the figure object off-screen by itself: no visible plot is needed.
    const draw = async ({
      data,
      layout,
      width,
      height,
      scale,
      png,
    }: DrawArgs): Promise<{ svgUrl: string; pngUrl: string | null }> => {
      // Runs inside the page: the project has no DOM types, so reach the global untyped.
      const P = (globalThis as unknown as { Plotly: PlotlyInPage }).Plotly;
      const figure = { data, layout, config: { staticPlot: true, displayModeBar: false } };
      const svgUrl: string = await P.toImage(figure, { format: "svg", width, height });
      const pngUrl: string | null = png ? await P.toImage(figure, { format: "png", width, height, scale }) : null;
      return { svgUrl, pngUrl };
    };
    const args: DrawArgs = {
      data,
      layout,
      width: spec.widthPx,
      height: spec.heightPx,
      scale: PNG_SCALE,
      png: want.has("png"),
    };
    const result = await this.plotPage.evaluate(draw, args).catch((e: unknown) => {
      throw internalError(`plotly could not draw figure "${spec.name}": ${(e as Error).message.split("\n")[0]}`, e);
    });
    const svg = normalizeSvg(decodeSvgDataUrl(result.svgUrl), spec.name);
    if (want.has("svg")) out.svg = svg;
    if (result.pngUrl) out.png = Buffer.from(result.pngUrl.replace(/^data:image\/png;base64,/, ""), "base64");
    if (want.has("pdf")) out.pdf = await this.printPdf(svg, spec.widthPx, spec.heightPx);
    return out;
  }

  private async printPdf(svg: string, widthPx: number, heightPx: number): Promise<Uint8Array> {
    await this.printPage.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>
@page{size:${widthPx}px ${heightPx}px;margin:0}
html,body{margin:0;padding:0;width:${widthPx}px;height:${heightPx}px;overflow:hidden}
svg{display:block}
</style></head><body>${svg}</body></html>`,
    );
    const pdf = await this.printPage.pdf({
      width: `${widthPx}px`,
      height: `${heightPx}px`,
      printBackground: true,
      preferCSSPageSize: true,
      pageRanges: "1",
      margin: { top: "0", right: "0", bottom: "0", left: "0" },
    });
    return normalizePdf(pdf);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Launch a renderer, run `fn` with it, and close the browser whatever happens. */
export async function withRenderer<T>(
  fn: (r: FigureRenderer) => Promise<T>,
  options: { chromium?: string } = {},
): Promise<T> {
  const renderer = await FigureRenderer.launch(options);
  try {
    return await fn(renderer);
  } finally {
    await renderer.close();
  }
}

/** Give every trace a fixed uid (plotly draws a random one otherwise, and it shows up in class names). */
function withStableUids(data: Data[], name: string): Data[] {
  return data.map((trace, i) => ({ uid: `${name}-${i}`, ...trace }));
}

function decodeSvgDataUrl(url: string): string {
  const comma = url.indexOf(",");
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
}
