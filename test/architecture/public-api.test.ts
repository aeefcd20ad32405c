import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";

/** The curated public API: what notebooks import is there, the engines behind it are not. */
const ROOT = resolve(import.meta.dirname, "../..");

function notebookImports(): string[] {
  const dir = join(ROOT, "notebooks");
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
    const nb = JSON.parse(readFileSync(join(dir, f), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
    for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
      const text = cell.source.join("");
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"slm-energy"/g)) {
        for (const n of m[1]!.split(",")) {
          const name = n
            .trim()
            .replace(/^type\s+/, "")
            .split(/\s+as\s+/)[0]!;
          if (name !== "" && !/^[A-Z]/.test(name)) names.add(name);
        }
      }
    }
  }
  return [...names].sort();
}

describe("public API", () => {
  it("exports every value the notebooks import", () => {
    const names = notebookImports();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => !(n in api))).toEqual([]);
  });

  it("keeps internals inside their folders", () => {
    for (const internal of ["PowerEngine", "WindowIntegrator", "levenbergMarquardt", "scanDecimal", "BundleWriter"]) {
      expect(internal in api, internal).toBe(false);
    }
  });

  it("is curated, not everything", () => {
    expect(Object.keys(api).length).toBeLessThan(250);
  });
});
