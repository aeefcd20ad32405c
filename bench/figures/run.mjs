#!/usr/bin/env node
// Benchmark: regenerating every figure in every format (SVG, PNG 2×, PDF, HTML), slm-energy's way
// (one headless Chromium for the whole batch, from dist/) against the naive baseline of one browser
// launch per figure, in the same run, into temporary folders. Then a second regeneration into the
// same folder, where nothing changes and nothing is rewritten. Goal: seconds, not minutes.
// Usage: node bench/figures/run.mjs   (after `npm run build`)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { generateFigures, loadFigureInputs, FIGURE_NAMES } = await import(join(root, "dist", "index.js"));

const inputs = loadFigureInputs(root);
const formats = ["svg", "png", "pdf", "html"];
const scratch = mkdtempSync(join(tmpdir(), "slm-bench-figures-"));
const seconds = async (fn) => {
  const t0 = performance.now();
  const r = await fn();
  return { s: (performance.now() - t0) / 1000, r };
};

try {
  const batch = await seconds(() => generateFigures({ root, inputs, formats, outDir: join(scratch, "batch") }));
  const again = await seconds(() => generateFigures({ root, inputs, formats, outDir: join(scratch, "batch") }));
  const naive = await seconds(async () => {
    for (const name of FIGURE_NAMES) await generateFigures({ root, inputs, formats, only: [name], outDir: join(scratch, "naive") });
  });
  const files = batch.r.files.length;
  const rewritten = again.r.files.filter((f) => f.changed).length;
  const rows = [
    ["one browser for the batch (slm-energy)", batch.s, `${files} files written`],
    ["same, regenerated unchanged", again.s, `${rewritten} of ${again.r.files.length} files rewritten`],
    ["baseline: one browser per figure", naive.s, `${FIGURE_NAMES.length} browser launches`],
  ];
  console.log(`figures: ${FIGURE_NAMES.length} × ${formats.join(", ")}`);
  for (const [what, s, note] of rows) console.log(`${what.padEnd(42)} ${s.toFixed(2).padStart(7)} s   ${note}`);
  console.log(`speed-up of the batch over the baseline: ${(naive.s / batch.s).toFixed(1)}×`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
