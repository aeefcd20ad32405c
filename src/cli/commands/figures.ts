import { resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optList, optString } from "../command.js";
import { FIGURE_FORMATS, parseFormats } from "../../figures/types.js";
import { FIGURES } from "../../figures/registry.js";
import { generateFigures } from "../../pipeline/figures/generate.js";

const usage = `Usage: slm-energy figures [--format svg,png,pdf,html] [--only NAME[,NAME…]] [--out DIR] [--json]

Draws every figure from data (the paper's tables under data/paper/, its audit, and the cited GPU
table figures/data/gpus.csv) and exports it with one headless Chromium for the whole batch:

  <out>/<name>.svg   vector, committed to the repository
  <out>/<name>.png   bitmap at 2× the figure's size
  <out>/<name>.pdf   vector, one page of exactly the figure's size
  <out>/html/<name>.html   interactive page; all pages share one <out>/html/plotly.js
  <out>/html/index.html    links to every interactive page

Files are written atomically and only when their bytes change: regenerating unchanged figures
touches nothing.

Options:
  --format LIST   formats to write, comma-separated (default: ${FIGURE_FORMATS.join(",")})
  --only LIST     figures to write, comma-separated (default: all)
  --out DIR       output folder, relative to the current folder (default: figures/ in the project root)
  --json          print {"outDir", "figures", "files": [{figure, format, path, changed, bytes}],
                  "elapsedS", "warnings"}
  --list          print the figure names and exit

Figures:
${FIGURES.map((f) => `  ${f.name.padEnd(26)} ${f.origin === "paper" ? "a figure of the paper" : "analysis"}`).join(
  "\n",
)}

Needs Chromium (/usr/bin/chromium, or $SLM_ENERGY_CHROMIUM); \`bash scripts/setup.sh\` installs it.
Exit codes: 0 ok, 1 failure (e.g. no browser), 2 bad input or usage.`;

export const figuresCommand: Command = {
  name: "figures",
  summary: "render every figure (SVG, PNG, PDF, interactive HTML) with headless Chromium",
  usage,
  options: {
    format: { type: "string", multiple: true },
    only: { type: "string", multiple: true },
    out: { type: "string" },
    json: { type: "boolean" },
    list: { type: "boolean" },
  },
  async run(ctx) {
    if (optFlag(ctx, "list")) {
      ctx.stdout(FIGURES.map((f) => f.name).join("\n") + "\n");
      return 0;
    }
    const formats = parseFormats(optList(ctx, "format"));
    const only = optList(ctx, "only");
    // --out is taken from where the user runs the command, like any other path argument.
    const out = optString(ctx, "out");
    const outDir = out === undefined ? undefined : resolve(process.cwd(), out);
    const result = await generateFigures({
      root: ctx.root,
      formats,
      ...(only === undefined ? {} : { only }),
      ...(outDir === undefined ? {} : { outDir }),
    });
    for (const w of result.warnings) ctx.stderr(`warning: ${w}\n`);
    if (optFlag(ctx, "json")) {
      ctx.stdout(JSON.stringify(result, null, 2) + "\n");
      return 0;
    }
    const changed = result.files.filter((f) => f.changed);
    for (const f of changed) ctx.stdout(`wrote ${f.path}\n`);
    ctx.stdout(
      `${result.figures.length} figures × ${formats.join(", ")}: ${changed.length} files written, ` +
        `${result.files.length - changed.length} unchanged, in ${result.elapsedS.toFixed(1)} s → ${result.outDir}/\n`,
    );
    return 0;
  },
};
