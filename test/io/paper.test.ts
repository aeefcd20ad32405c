import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPaper } from "../../src/io/paper.js";
import type { SlmError } from "../../src/errors.js";

const root = join(import.meta.dirname, "../..");

function copyWith(name: string, edit: (text: string) => string): string {
  const tmp = mkdtempSync(join(tmpdir(), "paper-"));
  cpSync(join(root, "data/paper"), join(tmp, "data/paper"), { recursive: true });
  const file = join(tmp, "data/paper", name);
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return tmp;
}

describe("the paper's tables (io/paper)", () => {
  it("loads every table", () => {
    const p = loadPaper(root);
    expect(p.cells.length).toBeGreaterThan(0);
    expect(p.hardware.length).toBe(3);
  });

  it("reports every bad cell of a table at once", () => {
    const tmp = copyWith("hardware.csv", (t) => {
      const lines = t.split("\n");
      const cols = lines[0]!.split(",");
      const row = lines[1]!.split(",");
      row[cols.indexOf("memory_gb")] = "lots";
      row[cols.indexOf("device")] = "jetson-tx2";
      lines[1] = row.join(",");
      return lines.join("\n");
    });
    let err: SlmError | undefined;
    try {
      loadPaper(tmp);
    } catch (e) {
      err = e as SlmError;
    }
    expect(err).toBeDefined();
    const all = [err!, ...err!.issues].map((i) => `${i.line}:${i.field}`).sort();
    expect(all).toEqual(["2:device", "2:memory_gb"]);
  });
});
