import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS } from "../../src/figures/export/chromium.js";
import { chromiumPath } from "../../src/io/figures/chromium.js";
import { runCli } from "../helpers.js";

// The interactive pages as `slm-energy figures` writes them: every link and script resolves to a
// file beside the page, whatever formats were asked for, and the plot follows the window's width.
const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), "slm-figures-html-"));
  dirs.push(d);
  return d;
};
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every href and src of a page, resolved against the page's folder (fragments and URLs left out). */
function references(pagePath: string): string[] {
  const html = readFileSync(pagePath, "utf8");
  return [...html.matchAll(/\b(?:href|src)="([^"#]+)"/g)]
    .map((m) => m[1]!)
    .filter((u) => !/^[a-z]+:/.test(u))
    .map((u) => resolve(dirname(pagePath), u));
}

const pages = (out: string): string[] =>
  readdirSync(join(out, "html"))
    .filter((f) => f.endsWith(".html"))
    .map((f) => join(out, "html", f));

describe("figures --format html", () => {
  it("alone: links no static file, and every link of every page resolves", async () => {
    const out = scratch();
    const r = await runCli(["figures", "--format", "html", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const all = pages(out);
    expect(all.length).toBeGreaterThan(5);
    for (const p of all) {
      const refs = references(p);
      expect(refs.length, p).toBeGreaterThan(0);
      for (const ref of refs) expect(existsSync(ref), `${p} → ${ref}`).toBe(true);
      expect(readFileSync(p, "utf8"), p).not.toMatch(/\.(svg|png|pdf)"/);
    }
  }, 120_000);

  it("with svg: links the SVG that now exists beside it, and not the PNG or PDF that do not", async () => {
    const out = scratch();
    const r = await runCli(["figures", "--only", "energy-per-inference", "--format", "svg,html", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const page = join(out, "html", "energy-per-inference.html");
    const html = readFileSync(page, "utf8");
    expect(html).toContain('href="../energy-per-inference.svg"');
    expect(html).not.toContain(".png");
    expect(html).not.toContain(".pdf");
    for (const p of pages(out)) for (const ref of references(p)) expect(existsSync(ref), `${p} → ${ref}`).toBe(true);
  }, 120_000);

  it("draws a plot as wide as the window, and redraws it narrower when the window shrinks", async () => {
    const out = scratch();
    const r = await runCli(["figures", "--only", "gpu-performance-vs-energy", "--format", "html", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`file://${join(out, "html", "gpu-performance-vs-energy.html")}`);
      await page.waitForSelector("#figure .main-svg");
      const width = (): Promise<number> => page.$eval("#figure .main-svg", (el) => el.getBoundingClientRect().width);
      const bodyWidth = await page.$eval("figure", (el) => el.getBoundingClientRect().width);
      expect(await width()).toBeGreaterThan(0.98 * bodyWidth);
      expect(await width()).toBeGreaterThan(1300); // not the figure's 820 px, nor 55 % of the window
      await page.setViewportSize({ width: 700, height: 900 });
      await expect.poll(width, { timeout: 10_000 }).toBeLessThan(700);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
