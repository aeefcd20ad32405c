import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTruthFile } from "../../src/io/truth.js";
import { bundledRawDirs, readTruths } from "../../src/pipeline/bundled-raw.js";
import { SlmError } from "../../src/errors.js";

const root = join(import.meta.dirname, "../..");

describe("truth.json (io/truth)", () => {
  it("reads every bundled truth", () => {
    const dirs = bundledRawDirs(root);
    const truths = readTruths(dirs);
    expect(truths.size).toBe(dirs.length);
    for (const t of truths.values()) expect(t.inferences.length).toBeGreaterThan(0);
  });

  it("names file, line and field of a bad value, and reports every bad field at once", () => {
    const src = join(bundledRawDirs(root)[0]!, "truth.json");
    const doc = JSON.parse(readFileSync(src, "utf8")) as {
      runtime: unknown;
      inferences: { energyJ: unknown }[];
    };
    doc.inferences[1]!.energyJ = "lots";
    doc.runtime = 7;
    const text = JSON.stringify(doc, null, 2) + "\n";
    const file = join(mkdtempSync(join(tmpdir(), "truth-")), "truth.json");
    writeFileSync(file, text);
    let err: unknown;
    try {
      readTruthFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SlmError);
    const e = err as SlmError;
    expect(e.code).toBe("E_INPUT");
    const all = [{ field: e.field, line: e.line }, ...e.issues.map((i) => ({ field: i.field, line: i.line }))];
    const lines = text.split("\n");
    const energy = all.find((i) => i.field === "inferences[1].energyJ");
    expect(energy).toBeDefined();
    expect(lines[energy!.line! - 1]).toMatch(/"energyJ": "lots"/);
    expect(all.some((i) => i.field === "runtime")).toBe(true);
  });
});
