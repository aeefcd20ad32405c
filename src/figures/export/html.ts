import type { FigureSpec } from "../types.js";
import { FIGURE_FONT_FAMILY } from "../theme.js";

/** File name of the one shared copy of plotly.js that every interactive page loads. */
export const SHARED_PLOTLY_FILE = "plotly.js";

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/** A link from a figure's page to one of its static files, relative to the page ("../name.svg"). */
export interface StaticLink {
  /** What the reader sees: "SVG", "PNG", "PDF". */
  label: string;
  href: string;
}

/**
 * An interactive page for one figure. It loads plotly.js from `plotlyHref` (one shared copy beside
 * the pages instead of 10 MB inlined into each) and draws the same spec as the static exports. The
 * plot takes the page's whole width and keeps the figure's aspect ratio (at most 92 % of the
 * window's height), and plotly redraws it whenever the window is resized. `staticLinks` are the
 * static files to link, and only those: the caller passes the ones that exist. Deterministic: the
 * same arguments give the same bytes.
 */
export function figureHtml(
  spec: FigureSpec,
  plotlyHref: string = SHARED_PLOTLY_FILE,
  staticLinks: readonly StaticLink[] = [],
): string {
  const layout = { ...spec.layout, width: undefined, height: undefined, autosize: true };
  const config = {
    responsive: true,
    displaylogo: false,
    toImageButtonOptions: { format: "svg", filename: spec.name, width: spec.widthPx, height: spec.heightPx },
  };
  const statics = staticLinks.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(" ");
  const nav = `<nav><a href="index.html">All figures</a>${statics === "" ? "" : ` · static: ${statics}`}</nav>`;
  const missing = `plotly.js did not load: ${SHARED_PLOTLY_FILE} must sit beside this page.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)} — slm-energy</title>
<style>
body{margin:0;padding:1rem 1.5rem;font-family:"${FIGURE_FONT_FAMILY}",sans-serif;color:#222;background:#fff}
figure{margin:0}
#figure{width:100%;aspect-ratio:${spec.widthPx} / ${spec.heightPx};max-height:92vh;min-height:320px}
figcaption{max-width:70rem;font-size:0.9rem;line-height:1.4;color:#444;margin-top:0.5rem}
nav{font-size:0.85rem;margin-bottom:0.5rem}
</style>
<script src="${escapeHtml(plotlyHref)}"></script>
</head>
<body>
${nav}
<figure>
<div id="figure"></div>
<figcaption>${escapeHtml(spec.caption)}</figcaption>
</figure>
<script type="application/json" id="figure-spec">${scriptJson({ data: spec.data, layout, config })}</script>
<script>
const spec = JSON.parse(document.getElementById("figure-spec").textContent);
if (typeof Plotly === "undefined") {
  document.getElementById("figure").textContent = "${missing}";
} else {
  Plotly.newPlot("figure", spec.data, spec.layout, spec.config);
}
</script>
</body>
</html>
`;
}

/** An index page linking every figure's interactive page, with its caption. */
export function figureIndexHtml(specs: readonly FigureSpec[]): string {
  const items = specs
    .map(
      (s) =>
        `<li><a href="${escapeHtml(s.name)}.html">${escapeHtml(s.title)}</a>` +
        `<br><small>${escapeHtml(s.caption)}</small></li>`,
    )
    .join("\n");
  const style =
    `body{font-family:"${FIGURE_FONT_FAMILY}",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}` +
    "li{margin:0 0 1rem}small{color:#555}";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>slm-energy figures</title>
<style>${style}</style>
</head>
<body>
<h1>slm-energy figures</h1>
<ul>
${items}
</ul>
</body>
</html>
`;
}
