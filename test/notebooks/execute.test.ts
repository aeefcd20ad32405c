import { afterAll, describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverNotebooks, runNotebooks } from "../../src/pipeline/notebooks/runner.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";
import { ROOT } from "../helpers.js";

// Executes every notebook once, headless, with Debian's Jupyter and the project-local tslab
// kernel, exactly as `npm run notebooks` does. Needs scripts/setup.sh to have run (npm test does).
type Output = { output_type: string; data?: Record<string, unknown>; name?: string };
type Book = { cells: { cell_type: string; outputs?: Output[] }[] };
const outputsOf = (b: Book): Output[] => b.cells.flatMap((c) => c.outputs ?? []);

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe("notebooks run headless", () => {
  it("executes every notebook in notebooks/ without a cell error", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "slm-notebooks-"));
    scratch.push(outDir);
    const run = await runNotebooks({ root: ROOT, outDir, jobs: 2 });
    const failed = run.results
      .filter((r) => !r.ok)
      .map((r) => `${r.notebook}: code cell ${r.failure?.codeCell}: ${r.failure?.ename}: ${r.failure?.evalue}`);
    expect(failed).toEqual([]);
    expect(run.results.map((r) => r.notebook)).toEqual(discoverNotebooks(ROOT));

    const figures = JSON.parse(readFileSync(join(outDir, "02-figures.ipynb"), "utf8")) as Book;
    expect(outputsOf(figures).filter((o) => o.data?.["image/png"]).length).toBe(FIGURE_NAMES.length);
    const paper = JSON.parse(readFileSync(join(outDir, "01-reproduce-the-paper.ipynb"), "utf8")) as Book;
    const tables = outputsOf(paper).filter((o) => String(o.data?.["text/html"] ?? "").startsWith("<table>"));
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(outputsOf(paper).some((o) => o.output_type === "stream" && o.name === "stderr")).toBe(false);
  }, 1_200_000);

  it("reports the code cell and the error of a failing notebook", async () => {
    const root = mkdtempSync(join(tmpdir(), "slm-notebooks-root-"));
    scratch.push(root);
    mkdirSync(join(root, "notebooks"));
    for (const d of ["node_modules", ".jupyter", "dist"]) symlinkSync(join(ROOT, d), join(root, d));
    cpSync(join(ROOT, "package.json"), join(root, "package.json"));
    const cell = (source: string) => ({
      cell_type: "code",
      execution_count: null,
      id: `c${source.length}`,
      metadata: {},
      outputs: [],
      source,
    });
    const book = {
      cells: [
        cell("const a = 1;"),
        cell("const energyWh: number = a;\nthrow new Error(`no power log for run ${energyWh}`);"),
        cell("console.log('never');"),
      ],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(root, "notebooks", "broken.ipynb"), JSON.stringify(book));
    const run = await runNotebooks({ root, inplace: true });
    expect(run.ok).toBe(false);
    const f = run.results[0]!.failure!;
    expect(f.codeCell).toBe(2);
    expect(f.ename).toBe("Error");
    expect(f.evalue).toBe("no power log for run 1");
    expect(f.source).toContain("throw new Error");
    // --inplace never stores a notebook that failed.
    expect(JSON.parse(readFileSync(join(root, "notebooks", "broken.ipynb"), "utf8"))).toEqual(book);
  }, 300_000);
});
