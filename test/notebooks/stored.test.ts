import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { discoverNotebooks } from "../../src/pipeline/notebooks/runner.js";
import { ROOT } from "../helpers.js";

type Book = {
  cells: { cell_type: string; id?: string; outputs?: unknown[] }[];
  metadata: { kernelspec?: { name?: string } };
  nbformat: number;
};
const read = (p: string): Book => JSON.parse(readFileSync(join(ROOT, p), "utf8")) as Book;

describe("notebooks as stored in the repository", () => {
  it("all use the tslab kernel, so the runner can execute them", () => {
    for (const nb of discoverNotebooks(ROOT)) expect(read(nb).metadata.kernelspec?.name, nb).toBe("tslab");
  });

  it("01 and 02 are stored with the outputs of every code cell, so they read like a paper on GitHub", () => {
    for (const nb of ["notebooks/01-reproduce-the-paper.ipynb", "notebooks/02-figures.ipynb"]) {
      const code = read(nb).cells.filter((c) => c.cell_type === "code");
      expect(code.length, nb).toBeGreaterThan(0);
      for (const [i, c] of code.entries())
        expect(
          (c.outputs ?? []).length,
          `${nb} code cell ${i + 1}: run \`npm run notebooks -- --inplace\``,
        ).toBeGreaterThan(0);
    }
  });

  it("give every cell a stable id (nbformat 4.5)", () => {
    for (const nb of ["notebooks/01-reproduce-the-paper.ipynb", "notebooks/02-figures.ipynb"]) {
      const book = read(nb);
      expect(book.nbformat).toBe(4);
      for (const c of book.cells) expect(c.id, nb).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });
});
