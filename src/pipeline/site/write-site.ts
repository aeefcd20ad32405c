/**
 * The site stage: the study as a static folder (site/), self-contained and byte-stable. Pages are
 * pure functions of the study's outputs (src/site/); the predictor's script is bundled by esbuild
 * from src/site/browser/ with the model code `predict` runs, and its data (catalogs, calibration,
 * the corpus's model cases) is embedded as one script with sorted keys; plotly.js is one minified copy.
 */
import { existsSync, openSync, readFileSync, readSync, closeSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import type { FigureInputs } from "../../figures/inputs.js";
import { buildFigures } from "../../figures/registry.js";
import { loadDeviceCatalog } from "../../io/catalog/devices.js";
import { loadGridCatalog } from "../../io/catalog/grid-intensity.js";
import { loadModelCatalog } from "../../io/catalog/models.js";
import { loadQuantCatalog } from "../../io/catalog/quantization.js";
import { loadCalibration } from "../../io/calibration.js";
import { readCorpus } from "../../io/corpus.js";
import type { AuditCell } from "../../audit/types.js";
import type { PaperData } from "../../paper/types.js";
import { ASSETS, SITE_CSS, sortedJson } from "../../site/html.js";
import { claimsPage, corpusPage, figuresPage, indexPage, tablesPage, validationPage } from "../../site/pages.js";
import type { PredictSiteData } from "../../site/predict-data.js";
import { predictPage } from "../../site/predict-page.js";
import { loadFigureInputs } from "../figures/load-inputs.js";
import { loadCommunityInputs } from "../model/community.js";
import { PATHS } from "../paths.js";
import { outputFolder, type Written } from "../written.js";

const require = createRequire(import.meta.url);
/** The project's own sources (the browser entries are bundled from TypeScript, beside this module's dist/ twin). */
const SRC_DIR = fileURLToPath(new URL("../../../src/", import.meta.url));

const PAPER_SCHEMES = ["loo-pair", "loo-model", "loo-device"];
const CORPUS_SCHEMES = ["loo-board", "loo-source", "loo-runtime"];

/** What the predictor page embeds; catalog `file`s are named relative to the root (no machine's paths). */
export function predictSiteData(root: string): PredictSiteData {
  const rel = <T extends { file: string }>(c: T): T => ({ ...c, file: relative(root, c.file) });
  const community = loadCommunityInputs(root);
  return {
    devices: rel(loadDeviceCatalog(root)),
    models: rel(loadModelCatalog(root)),
    quants: rel(loadQuantCatalog(root)),
    calibration: loadCalibration(join(root, PATHS.paperCalibration)),
    grid: rel(loadGridCatalog(root)),
    corpus: { cases: community.cases, powerCases: community.powerCases },
  };
}

/** The browser scripts, bundled from src/site/browser/ (iife, minified, no source map: stable bytes). */
export async function bundleBrowserScripts(): Promise<{ predict: string; table: string }> {
  const r = await build({
    entryPoints: { predict: join(SRC_DIR, "site/browser/predict.ts"), table: join(SRC_DIR, "site/browser/table.ts") },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    outdir: "/assets",
    logLevel: "silent",
  });
  const text = (name: string) => {
    const f = r.outputFiles.find((o) => o.path.endsWith(`/${name}.js`));
    if (f === undefined) throw new Error(`esbuild wrote no ${name}.js`);
    return f.text;
  };
  return { predict: text("predict"), table: text("table") };
}

/** The first line of a file, or "" (to see whether plotly needs minifying again). */
function firstLine(path: string): string {
  if (!existsSync(path)) return "";
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(200);
    const n = readSync(fd, buf, 0, 200, 0);
    return buf.toString("utf8", 0, n).split("\n")[0] ?? "";
  } finally {
    closeSync(fd);
  }
}

/** plotly.js minified once per plotly version (the banner says which; an unchanged one is not redone). */
async function plotlyMinified(target: string): Promise<string | null> {
  const pkg = JSON.parse(readFileSync(require.resolve("plotly.js-dist/package.json"), "utf8")) as { version: string };
  const esbuildVersion = (
    JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }
  ).version;
  const banner = `/* plotly.js-dist ${pkg.version} (MIT), minified by esbuild ${esbuildVersion} */`;
  if (firstLine(target) === banner) return null;
  const source = readFileSync(require.resolve("plotly.js-dist"), "utf8");
  const r = await transform(source, { minify: true, legalComments: "none", charset: "utf8" });
  return `${banner}\n${r.code}`;
}

const readJson = (root: string, rel: string) =>
  JSON.parse(readFileSync(join(root, rel), "utf8")) as Record<string, unknown>;

/** Write `outDir` (default `<root>/site`): every page, the bundles, the data and plotly. */
export async function writeSite(
  root: string,
  inputs: { paper: PaperData; audit: readonly AuditCell[]; figures?: FigureInputs },
  outDir: string = join(root, PATHS.siteDir),
): Promise<Written[]> {
  const out = outputFolder(root, outDir);
  const specs = buildFigures(inputs.figures ?? loadFigureInputs(root));
  const claims = readJson(root, `${PATHS.tablesDir}/claims.json`) as unknown as Parameters<typeof claimsPage>[0];
  const corpus = readCorpus(join(root, PATHS.communityCorpus));
  const data = predictSiteData(root);
  const scheme = (s: string) => ({ scheme: s, doc: readJson(root, `${PATHS.tablesDir}/validation-${s}.json`) });
  out.put(
    "index.html",
    indexPage({
      figures: specs.length,
      corpusRows: corpus.length,
      claims: claims.claims.length,
      auditedCells: inputs.audit.length,
    }),
  );
  out.put("tables.html", tablesPage(inputs.paper, inputs.audit));
  out.put("figures.html", figuresPage(specs));
  out.put("claims.html", claimsPage(claims));
  out.put("validation.html", validationPage(PAPER_SCHEMES.map(scheme), CORPUS_SCHEMES.map(scheme)));
  out.put("corpus.html", corpusPage(corpus));
  out.put("predict.html", predictPage(data));
  out.put(ASSETS.css, SITE_CSS);
  out.put(ASSETS.predictData, `globalThis.SLM_PREDICT_DATA = ${sortedJson(data)};\n`);
  const scripts = await bundleBrowserScripts();
  out.put(ASSETS.predictApp, scripts.predict);
  out.put(ASSETS.tableApp, scripts.table);
  const plotly = await plotlyMinified(join(outDir, ASSETS.plotly));
  if (plotly === null) out.written.push({ path: relative(root, join(outDir, ASSETS.plotly)), changed: false });
  else out.put(ASSETS.plotly, plotly);
  return out.written;
}
