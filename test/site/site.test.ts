/**
 * The static site in real Chromium, opened from file:// as a reader would: the predictor page
 * filled for several inputs shows exactly what `slm-energy predict --json` computes (to 6
 * significant digits, and the whole JSON document alike), a GGUF file is read in the browser,
 * no page logs an error, every internal link resolves, and a second build changes no byte.
 * Set SLM_SITE_SCREENSHOTS=DIR to also save a full-page screenshot of every page there.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit.js";
import { CHROMIUM_ARGS } from "../../src/figures/export/chromium.js";
import { chromiumPath } from "../../src/io/figures/chromium.js";
import { writeSyntheticGguf } from "../../src/io/gguf/writer.js";
import { loadPaper } from "../../src/io/paper.js";
import { writeSite } from "../../src/pipeline/site/write-site.js";
import { SITE_PAGES } from "../../src/site/html.js";
import { ROOT, runCli } from "../helpers.js";

let dir: string;
let site: string;
let ggufPath: string;
let browser: Browser;
let firstBuild: { path: string; changed: boolean }[];
const shots = process.env.SLM_SITE_SCREENSHOTS;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "slm-site-"));
  site = join(dir, "site");
  const paper = loadPaper(ROOT);
  firstBuild = await writeSite(ROOT, { paper, audit: runAudit(paper).cells }, site);
  ggufPath = join(dir, "tiny-test.gguf");
  await writeSyntheticGguf(
    {
      name: "Tiny Test 8L",
      layers: 8,
      hidden: 256,
      ffn: 704,
      heads: 8,
      kvHeads: 2,
      vocab: 1024,
      quant: "Q4_0",
      seed: 3,
    },
    ggufPath,
  );
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A page of the site, with every console error and uncaught exception it raised. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
  page.on("pageerror", (e) => void errors.push(String(e)));
  await page.goto(pathToFileURL(join(site, file)).href);
  await page.waitForLoadState("load");
  return { page, errors };
}

/** The page as a reviewer sees it: whole (the corpus: its first screen), and every figure on its own. */
async function screenshots(page: Page, file: string): Promise<void> {
  const name = file.replace(".html", "");
  await page.screenshot({ path: join(shots!, `${name}.png`), fullPage: file !== "corpus.html" });
  if (file !== "figures.html") return;
  const figures = page.locator("figure");
  for (let i = 0; i < (await figures.count()); i++)
    await figures.nth(i).screenshot({ path: join(shots!, `figure-${String(i + 1).padStart(2, "0")}.png`) });
}

interface Inputs {
  device: string;
  backend: string;
  powerMode?: string;
  runtime?: string;
  model?: string;
  quant?: string;
  gguf?: boolean;
  prompt: number;
  gen: number;
  region?: string;
  intensity?: number;
}

/** The same inputs as `predict` options. */
function cliArgs(i: Inputs): string[] {
  return [
    "predict",
    ...["--device", i.device, "--backend", i.backend],
    ...(i.powerMode ? ["--power-mode", i.powerMode] : []),
    ...(i.runtime ? ["--runtime", i.runtime] : []),
    ...(i.gguf ? ["--gguf", ggufPath] : ["--model", i.model!]),
    ...(i.quant ? ["--quant", i.quant] : []),
    ...["--prompt-tokens", String(i.prompt), "--gen-tokens", String(i.gen)],
    ...(i.region ? ["--region", i.region] : []),
    ...(i.intensity !== undefined ? ["--grid-intensity", String(i.intensity)] : []),
    "--json",
  ];
}

async function fill(page: Page, i: Inputs): Promise<void> {
  await page.selectOption('select[name="device"]', i.device);
  await page.selectOption('select[name="backend"]', i.backend);
  if (i.powerMode) await page.selectOption('select[name="powerMode"]', i.powerMode);
  await page.selectOption('select[name="runtime"]', i.runtime ?? "");
  if (i.gguf) {
    await page.check('input[name="modelKind"][value="gguf"]');
    await page.setInputFiles('input[name="gguf"]', ggufPath);
  } else {
    await page.check('input[name="modelKind"][value="catalog"]');
    await page.selectOption('select[name="model"]', i.model!);
  }
  await page.selectOption('select[name="quant"]', i.quant ?? "");
  await page.fill('input[name="promptTokens"]', String(i.prompt));
  await page.fill('input[name="genTokens"]', String(i.gen));
  const grid = i.region ? "region" : i.intensity !== undefined ? "intensity" : "none";
  await page.selectOption('select[name="gridKind"]', grid);
  if (i.region) await page.selectOption('select[name="region"]', i.region);
  if (i.intensity !== undefined) await page.fill('input[name="intensity"]', String(i.intensity));
  await page.evaluate(() => delete document.body.dataset.state);
  await page.click("#predict-button");
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
}

const at = (doc: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], doc);

const CASES: [string, Inputs][] = [
  [
    "a paper board (calibrated model)",
    { device: "raspberry-pi-5", backend: "cpu", model: "llama-3.2-1b", prompt: 100, gen: 50, region: "DEU" },
  ],
  [
    "a paper board in another power mode",
    { device: "jetson-orin-nano", backend: "gpu", powerMode: "15W", model: "phi-3-mini", prompt: 512, gen: 64 },
  ],
  [
    "a non-paper board with a runtime (runtime-aware model)",
    {
      device: "raspberry-pi-4",
      backend: "cpu",
      runtime: "ollama",
      model: "tinyllama-1.1b",
      quant: "Q4_K_M",
      prompt: 64,
      gen: 128,
      intensity: 250,
    },
  ],
  [
    "a GGUF file read in the browser",
    { device: "jetson-orin-nx", backend: "gpu", powerMode: "25W", gguf: true, prompt: 32, gen: 16, region: "USA" },
  ],
];

describe("the static site (site/) in Chromium", () => {
  it.each(CASES)("predict.html shows what predict --json computes for %s", async (_label, inputs) => {
    const cli = await runCli(cliArgs(inputs));
    expect(cli.code, cli.stderr).toBe(0);
    const want = JSON.parse(cli.stdout) as Record<string, unknown>;
    const { page, errors } = await open("predict.html");
    await fill(page, inputs);
    expect(await page.textContent("#predict-error")).toBe("");
    const shown = await page.$$eval("#predict-output [data-field]", (els) =>
      els.map((e) => [(e as HTMLElement).dataset.field!, e.textContent ?? ""] as const),
    );
    expect(shown.length).toBeGreaterThan(20);
    for (const [field, text] of shown) {
      const v = at(want, field);
      if (typeof v === "number") expect(Number(text).toPrecision(6), field).toBe(v.toPrecision(6));
      else expect(text, field).toBe(v === null || v === undefined ? "—" : String(v));
    }
    const doc = JSON.parse((await page.textContent("#predict-json")) ?? "null") as Record<string, unknown>;
    // The file's path names the model where it has no label: the page knows only the file's name.
    if (inputs.gguf) expect(JSON.stringify(doc)).toBe(JSON.stringify(want).replaceAll(ggufPath, "tiny-test.gguf"));
    else expect(doc).toEqual(want);
    if (inputs.runtime !== undefined || inputs.gguf)
      expect(await page.$$eval("#predict-priors table tbody tr", (r) => r.length)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says what is wrong with bad input, as the CLI does, instead of failing", async () => {
    const { page, errors } = await open("predict.html");
    await fill(page, { device: "raspberry-pi-5", backend: "cpu", model: "llama-3.2-1b", prompt: 0, gen: 0 });
    expect(await page.textContent("#predict-error")).toMatch(/prompt and generated tokens are both 0/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens every page from file:// without errors; every internal link resolves", async () => {
    if (shots) mkdirSync(shots, { recursive: true });
    for (const { file } of SITE_PAGES) {
      const { page, errors } = await open(file);
      if (file === "figures.html") await page.waitForFunction(() => document.querySelectorAll(".main-svg").length > 0);
      const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")!));
      for (const href of links.filter((h) => !/^https?:/.test(h))) {
        const [path, hash] = href.split("#");
        const target = path === "" ? join(site, file) : fileURLToPath(new URL(path!, pathToFileURL(join(site, file))));
        expect(existsSync(target), `${file} → ${href}`).toBe(true);
        if (hash && path === "") expect(await page.$(`[id="${hash}"]`), `${file} → ${href}`).not.toBeNull();
      }
      if (shots) await screenshots(page, file);
      expect(errors, file).toEqual([]);
      await page.close();
    }
  });

  it("marks every audited cell of the paper's tables with its verdict and explanation", async () => {
    const { page } = await open("tables.html");
    const cells = await page.$$eval("td[data-verdict]", (tds) => tds.map((t) => t.getAttribute("title") ?? ""));
    const paper = loadPaper(ROOT);
    expect(cells.length).toBe(runAudit(paper).cells.length);
    expect(cells.every((t) => /^(consistent|unit-factor|typo|unexplained): /.test(t))).toBe(true);
    await page.close();
  });

  it("filters and sorts the corpus", async () => {
    const { page } = await open("corpus.html");
    const all = await page.$$eval("#corpus tbody tr", (r) => r.length);
    await page.fill("input[data-filter-for=corpus]", "jetson-nano cuda");
    const shown = await page.$$eval("#corpus tbody tr:not([hidden])", (r) =>
      r.map((x) => (x.textContent ?? "").toLowerCase()),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(all);
    expect(shown.every((t) => t.includes("jetson-nano") && t.includes("cuda"))).toBe(true);
    await page.click("#corpus thead th:nth-child(10)");
    const decode = await page.$$eval("#corpus tbody tr:not([hidden]) td:nth-child(10)", (t) =>
      t
        .map((x) => x.getAttribute("data-sort"))
        .filter((x) => x !== null)
        .map(Number),
    );
    expect(decode).toEqual([...decode].sort((a, b) => a - b));
    await page.close();
  });

  it("is byte-stable: a second build changes nothing", async () => {
    expect(firstBuild.every((w) => w.changed)).toBe(true);
    const paper = loadPaper(ROOT);
    const again = await writeSite(ROOT, { paper, audit: runAudit(paper).cells }, site);
    expect(again.filter((w) => w.changed)).toEqual([]);
  });
});
