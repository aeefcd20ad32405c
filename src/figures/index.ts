/** Publication figures: plotly specs built from data, rendered by headless Chromium. */
export * from "./types.js";
export { OKABE_ITO, PALETTE, platformColor, MODEL_SYMBOLS, FIGURE_FONT_FAMILY } from "./theme.js";
export * from "./inputs.js";
export * from "./registry.js";
export { sweepRateFigure, sweepParityFigure } from "./specs/sweep.js";
export { FigureRenderer, withRenderer, plotlyBundlePath, PNG_SCALE, type RenderedFigure } from "./export/renderer.js";
export { figureHtml, figureIndexHtml, SHARED_PLOTLY_FILE } from "./export/html.js";
export { normalizeSvg, svgTexts } from "./export/svg.js";
export { normalizePdf, pdfPageCount } from "./export/pdf.js";
export { pngSizePx } from "./export/png.js";
export { CHROMIUM_ARGS } from "./export/chromium.js";
