import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { discoverNotebooks } from "../../src/pipeline/notebooks/runner.js";
import { ROOT } from "../helpers.js";

type Book = {
  cells: {
    cell_type: string;
    id?: string;
    execution_count?: number | null;
    outputs?: { output_type: string; name?: string }[];
  }[];
  metadata: { kernelspec?: { name?: string } };
  nbformat: number;
};
const read = (p: string): Book => JSON.parse(readFileSync(join(ROOT, p), "utf8")) as Book;

describe("notebooks as stored in the repository", () => {
  it("all use the tslab kernel, so the runner can execute them", () => {
    for (const nb of discoverNotebooks(ROOT)) expect(read(nb).metadata.kernelspec?.name, nb).toBe("tslab");
  });

  it("every notebook is stored executed: each code cell has outputs and its execution count, in order", () => {
    const books = discoverNotebooks(ROOT);
    expect(books.length).toBeGreaterThanOrEqual(9);
    const hint = "run `node dist/cli/main.js notebooks --inplace --only NAME`";
    for (const nb of books) {
      const code = read(nb).cells.filter((c) => c.cell_type === "code");
      expect(code.length, nb).toBeGreaterThan(0);
      for (const [i, c] of code.entries()) {
        const where = `${nb} code cell ${i + 1}: ${hint}`;
        expect((c.outputs ?? []).length, where).toBeGreaterThan(0);
        expect(c.execution_count, where).toBe(i + 1);
      }
    }
  });

  it("no stored output is an error (tslab reports a failing cell on stderr)", () => {
    for (const nb of discoverNotebooks(ROOT)) {
      const code = read(nb).cells.filter((c) => c.cell_type === "code");
      for (const [i, c] of code.entries()) {
        const bad = (c.outputs ?? []).filter(
          (o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"),
        );
        expect(bad, `${nb} code cell ${i + 1}`).toEqual([]);
      }
    }
  });

  it("give every cell a stable id (nbformat 4.5)", () => {
    for (const nb of discoverNotebooks(ROOT)) {
      const book = read(nb);
      expect(book.nbformat).toBe(4);
      for (const c of book.cells) expect(c.id, nb).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });
});
