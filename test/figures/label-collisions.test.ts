import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS } from "../../src/figures/export/chromium.js";
import { FigureRenderer } from "../../src/figures/export/renderer.js";
import { buildFigures } from "../../src/figures/registry.js";
import { chromiumPath } from "../../src/io/figures/chromium.js";
import { loadFigureInputs } from "../../src/pipeline/figures/load-inputs.js";
import { ROOT } from "../helpers.js";

// Draws the labelled figures with the real renderer, then measures every label's box as Chromium
// lays the SVG text out: point labels (plotly's .textpoint) and annotations (guide-line labels,
// line-end labels). No two may overlap, and no drawn line may run through one. (Before the fix the
// "line runs through" check failed on both GPU figures: "H100 SXM5" sat on its 100 GFLOPS/W guide.)
const inputs = loadFigureInputs(ROOT);
const LABELLED = ["gpu-performance-vs-energy", "gpu-performance-vs-price", "sampling-study"];
const specs = buildFigures(inputs, LABELLED);
const svgs = new Map<string, string>();
let browser: Browser;

beforeAll(async () => {
  const renderer = await FigureRenderer.launch();
  try {
    for (const s of specs) svgs.set(s.name, (await renderer.render(s, ["svg"])).svg!);
  } finally {
    await renderer.close();
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Box {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

async function labelBoxes(svg: string): Promise<Box[]> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.$$eval(".textpoint text, .annotation-text", (els) =>
      els
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { text: el.textContent ?? "", x0: r.left, x1: r.right, y0: r.top, y1: r.bottom };
        })
        .filter((b) => b.text.trim() !== "" && b.x1 > b.x0),
    );
  } finally {
    await page.close();
  }
}

/** Points along every drawn line (scatter lines, guide lines), in page pixels, inside a plot area. */
async function linePoints(svg: string): Promise<{ x: number; y: number }[]> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.evaluate(() => {
      // Each subplot's plot area: its clipped .overplot group's position and the size of the rect it is clipped to.
      const areas = [...document.querySelectorAll(".overplot > g[clip-path]")].map((el) => {
        const id = /#([^)'"]+)/.exec(el.getAttribute("clip-path") ?? "")![1]!;
        const r = document.getElementById(id)!.querySelector("rect")!;
        const m = (el as SVGGraphicsElement).getScreenCTM()!;
        const [w, h] = [Number(r.getAttribute("width")), Number(r.getAttribute("height"))];
        return { left: m.e, top: m.f, right: m.e + w, bottom: m.f + h };
      });
      const out: { x: number; y: number }[] = [];
      for (const el of document.querySelectorAll(".scatterlayer path.js-line")) {
        const path = el as SVGPathElement;
        const m = path.getScreenCTM()!;
        const len = path.getTotalLength();
        for (let d = 0; d <= len; d += 2) {
          const p = path.getPointAtLength(d);
          const x = m.a * p.x + m.c * p.y + m.e;
          const y = m.b * p.x + m.d * p.y + m.f;
          if (areas.some((a) => x >= a.left && x <= a.right && y >= a.top && y <= a.bottom)) out.push({ x, y });
        }
      }
      return out;
    });
  } finally {
    await page.close();
  }
}

/** Overlap area of two boxes, less a 1 px tolerance on each side (glyph boxes include line gap). */
const overlapPx2 = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) - 1) *
  Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) - 1);

describe("labels drawn by Chromium", () => {
  it.each(LABELLED)("%s: no two labels' boxes overlap", async (name) => {
    const boxes = await labelBoxes(svgs.get(name)!);
    expect(boxes.length, name).toBeGreaterThan(5);
    const clashes: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (overlapPx2(boxes[i]!, boxes[j]!) > 0) clashes.push(`"${boxes[i]!.text}" × "${boxes[j]!.text}"`);
      }
    }
    expect(clashes, name).toEqual([]);
  });

  it.each(LABELLED)("%s: no line runs through a label", async (name) => {
    const svg = svgs.get(name)!;
    const boxes = await labelBoxes(svg);
    const points = await linePoints(svg);
    expect(points.length, name).toBeGreaterThan(100);
    const crossed = boxes
      .filter((b) => points.some((p) => p.x > b.x0 + 1 && p.x < b.x1 - 1 && p.y > b.y0 + 1 && p.y < b.y1 - 1))
      .map((b) => b.text);
    expect(crossed, name).toEqual([]);
  });
});
