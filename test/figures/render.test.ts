import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateFigures, type GenerateFiguresResult } from "../../src/pipeline/figures/generate.js";
import { loadFigureInputs } from "../../src/pipeline/figures/load-inputs.js";
import { buildFigures, FIGURE_NAMES } from "../../src/figures/registry.js";
import { svgTexts } from "../../src/figures/export/svg.js";
import { pdfPageCount } from "../../src/figures/export/pdf.js";
import { pngSizePx } from "../../src/figures/export/png.js";
import { PNG_SCALE } from "../../src/figures/export/renderer.js";
import { ROOT } from "../helpers.js";

// Renders every figure in every format with the real headless Chromium, once, then checks the
// files themselves. Needs /usr/bin/chromium (scripts/setup.sh installs it).
const inputs = loadFigureInputs(ROOT);
const specs = buildFigures(inputs);
let out: string;
let first: GenerateFiguresResult;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "slm-figures-"));
  first = await generateFigures({ root: ROOT, outDir: out, inputs });
}, 180_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("figures rendered by headless Chromium", () => {
  it("writes SVG, PNG and PDF for every figure and an interactive page per figure", () => {
    for (const name of FIGURE_NAMES) {
      for (const f of [`${name}.svg`, `${name}.png`, `${name}.pdf`, `html/${name}.html`])
        expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(first.files.every((f) => f.changed)).toBe(true);
  });

  it("renders PNGs at twice the figure's size (IHDR)", () => {
    for (const s of specs) {
      expect(pngSizePx(readFileSync(join(out, `${s.name}.png`)))).toEqual({
        widthPx: s.widthPx * PNG_SCALE,
        heightPx: s.heightPx * PNG_SCALE,
      });
    }
  });

  it("draws the title and every axis title as text in the SVG", () => {
    for (const s of specs) {
      const svg = readFileSync(join(out, `${s.name}.svg`), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain(`width="${s.widthPx}"`);
      const texts = svgTexts(svg);
      const wanted = Object.entries(s.layout as Record<string, { title?: { text?: string } }>)
        .filter(([k]) => /^[xy]axis\d*$/.test(k))
        .map(([, a]) => a.title?.text ?? "")
        .filter((t) => t !== "");
      expect(wanted.length, s.name).toBeGreaterThan(0);
      for (const t of new Set(wanted)) expect(texts, `${s.name}: "${t}"`).toContain(t);
    }
    expect(svgTexts(readFileSync(join(out, "energy-per-inference.svg"), "utf8"))).toContain(
      "Energy per inference (Wh)",
    );
  });

  it("prints each PDF as one vector page of the figure's size", () => {
    for (const s of specs) {
      const pdf = readFileSync(join(out, `${s.name}.pdf`));
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pdfPageCount(pdf), s.name).toBe(1);
      const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
      expect(box, s.name).not.toBeNull();
      // CSS px → PDF points: × 0.75, within 1 pt: Chromium rounds the page size to its own device
      // units (the 1150 px sampling study prints 863.04 pt wide, not 862.5).
      expect(Math.abs(Number(box![1]) - s.widthPx * 0.75), s.name).toBeLessThan(1);
      expect(Math.abs(Number(box![2]) - s.heightPx * 0.75), s.name).toBeLessThan(1);
      expect(pdf.toString("latin1")).not.toMatch(/\/Subtype\s*\/Image/); // vector, not a bitmap
    }
  });

  it("shares one copy of plotly.js among the interactive pages", () => {
    const html = readdirSync(join(out, "html"));
    expect(html.filter((f) => f.endsWith(".js"))).toEqual(["plotly.js"]);
    for (const s of specs) {
      const page = readFileSync(join(out, "html", `${s.name}.html`), "utf8");
      expect(page).toContain('<script src="plotly.js"></script>');
      expect(page.length).toBeLessThan(200_000);
      expect(page).toContain(s.title.replace(/&/g, "&amp;"));
    }
    expect(readFileSync(join(out, "html", "index.html"), "utf8")).toContain("energy-per-inference.html");
  });

  it("draws each interactive page in a real browser from the shared plotly.js, without errors", async () => {
    const { chromium } = await import("playwright-core");
    const { CHROMIUM_ARGS } = await import("../../src/figures/export/chromium.js");
    const { chromiumPath } = await import("../../src/io/figures/chromium.js");
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      for (const s of specs.slice(0, 3)) {
        await page.goto(`file://${join(out, "html", `${s.name}.html`)}`);
        await page.waitForSelector("#figure .main-svg", { timeout: 30_000 });
        const texts = await page.locator("#figure svg text").allTextContents();
        const yTitle = (s.layout as { yaxis?: { title?: { text?: string } } }).yaxis?.title?.text;
        expect(texts, s.name).toContain(yTitle);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("regenerates byte-identical files, so nothing churns when nothing changed", async () => {
    const again = await generateFigures({ root: ROOT, outDir: out, inputs, formats: ["svg", "pdf", "png", "html"] });
    expect(again.files.filter((f) => f.changed).map((f) => f.path)).toEqual([]);
  }, 180_000);

  it("has an SVG committed under figures/ for every figure, with its axis titles", () => {
    // Not byte-compared: another Chromium or font build may place text a pixel differently.
    for (const s of specs) {
      const committed = join(ROOT, "figures", `${s.name}.svg`);
      expect(existsSync(committed), `${s.name}.svg missing: run \`slm-energy figures\``).toBe(true);
      const texts = svgTexts(readFileSync(committed, "utf8"));
      const x = (s.layout as { xaxis?: { title?: { text?: string } } }).xaxis?.title?.text;
      if (x) expect(texts).toContain(x);
    }
  });
});
