/**
 * The site's page shell and HTML helpers: every page shares one stylesheet and one navigation bar,
 * links only relative paths (works from file:// and any static host), and holds no timestamps, so
 * the same inputs give the same bytes.
 */

/** The site's pages, in navigation order: file name and title. */
export const SITE_PAGES = [
  { file: "index.html", title: "Overview" },
  { file: "tables.html", title: "Paper tables" },
  { file: "figures.html", title: "Figures" },
  { file: "claims.html", title: "Claims" },
  { file: "validation.html", title: "Validation" },
  { file: "corpus.html", title: "Corpus" },
  { file: "predict.html", title: "Predictor" },
] as const;

export type SitePage = (typeof SITE_PAGES)[number]["file"];

/** Files under assets/ that pages load. */
export const ASSETS = {
  css: "assets/site.css",
  plotly: "assets/plotly.min.js",
  predictApp: "assets/predict.js",
  predictData: "assets/predict-data.js",
  tableApp: "assets/table.js",
} as const;

export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/** JSON with every object's keys sorted, so embedded data is byte-stable whatever order it was built in. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A page: head with the shared stylesheet, the navigation bar, `body`, then `scripts` (relative paths). */
export function page(p: { file: SitePage; title: string; body: string; scripts?: readonly string[]; inline?: string }) {
  const nav = SITE_PAGES.map((x) =>
    x.file === p.file ? `<b>${esc(x.title)}</b>` : `<a href="${x.file}">${esc(x.title)}</a>`,
  ).join(" ");
  const scripts = (p.scripts ?? []).map((s) => `<script src="${esc(s)}"></script>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} — slm-energy</title>
<link rel="stylesheet" href="${ASSETS.css}">
</head>
<body>
<header><span class="brand">slm-energy</span> <nav>${nav}</nav></header>
<main>
<h1>${esc(p.title)}</h1>
${p.body}
</main>
${scripts}${p.inline === undefined ? "" : `\n<script>\n${p.inline}\n</script>`}
</body>
</html>
`;
}

/** A table: header cells and rows of escaped cell HTML (a cell starting `<td` brings its own attributes). */
export function table(head: readonly string[], rows: readonly (readonly string[])[], attrs = ""): string {
  const th = head.map((h) => `<th>${h}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c) => (c.startsWith("<td") ? c : `<td>${c}</td>`)).join("")}</tr>`);
  return `<table${attrs}>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${tr.join("\n")}\n</tbody>\n</table>`;
}

/** A number for display: up to `digits` significant digits, "—" when there is none. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return Math.abs(x) >= 10 ** digits || (Math.abs(x) < 1e-3 && x !== 0)
    ? x.toPrecision(3)
    : String(Number(x.toPrecision(digits)));
}

/** The shared stylesheet. */
export const SITE_CSS = `*{box-sizing:border-box}
body{margin:0;font-family:"DejaVu Sans",Arial,sans-serif;color:#222;background:#fff;line-height:1.45}
header{background:#1f3b57;color:#fff;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline}
header .brand{font-weight:bold;font-size:1.1rem}
header nav a{color:#cfe3f7;margin-right:.8rem;text-decoration:none}
header nav b{color:#fff;margin-right:.8rem}
main{max-width:90rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.8rem 0 .6rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #ccd;padding:.2rem .45rem;text-align:right;vertical-align:top}
th{background:#eef2f6;text-align:center}
td.l,th.l{text-align:left}
table.paper td.l{white-space:nowrap}
.scroll{overflow-x:auto}
.v-consistent{background:#e3f4e3}
.v-unit-factor{background:#ffe2b8}
.v-typo{background:#f8c7c7}
.v-unexplained{background:#e7d4f5}
.v-primary{background:#fff}
td[title]{cursor:help}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.4rem;border:1px solid #ccd}
.verdict-supported{color:#1a6b1a;font-weight:bold}
.verdict-partly-supported{color:#9a5b00;font-weight:bold}
.verdict-not-supported{color:#a31515;font-weight:bold}
.figure{width:100%;height:520px;margin-bottom:.3rem}
figure{margin:0 0 2rem}
figcaption{font-size:.9rem;color:#444}
form.predict{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.6rem 1rem;margin-bottom:1rem}
form.predict label{display:flex;flex-direction:column;font-size:.85rem;gap:.15rem}
form.predict input,form.predict select,form.predict textarea{font:inherit;padding:.2rem}
fieldset{border:1px solid #ccd;padding:.4rem .6rem;min-width:0;grid-column:span 2}
fieldset select,fieldset textarea{width:100%}
.error{color:#a31515;font-weight:bold;white-space:pre-wrap}
.warn{color:#9a5b00}
.muted{color:#666;font-size:.85rem}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;font-size:.8rem}
input.filter{width:100%;max-width:30rem;padding:.3rem;margin:.3rem 0}
th.sortable{cursor:pointer}
`;
