import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { isSlmError, type SlmError } from "../../src/errors.js";
import { parseCorpus, readCorpus } from "../../src/io/corpus.js";

const FILE = join(import.meta.dirname, "../../data/community/corpus.csv");
const HEADER =
  "row_id,board,power_mode,backend,runtime,runtime_version,threads,gpu_layers,model,model_params_b,quantization," +
  "quant_source,prompt_tokens,prefill_tok_s,generated_tokens,decode_tok_s,power_w,power_kind,energy_j,source_kind," +
  "source,source_locator,source_date,notes";

const failure = (text: string): SlmError => {
  try {
    parseCorpus(text, "c.csv");
  } catch (e) {
    if (isSlmError(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
};

describe("community corpus", () => {
  const rows = readCorpus(FILE);

  it("validates the bundled corpus, each row with a rate and a re-checkable source", () => {
    expect(rows.length).toBeGreaterThanOrEqual(200);
    for (const r of rows) {
      expect(r.prefillTokPerS ?? r.decodeTokPerS).not.toBeNull();
      expect(r.source.name.length).toBeGreaterThan(3);
      // a locator says where inside the source: a file path with commit or lines, a comment, a table
      expect(r.source.locator).toMatch(/[0-9a-f]{7,}|line|comment|table|#|@|\d{4}-\d{2}-\d{2}|author|\//i);
      if (r.source.kind === "github-file") expect(r.source.name).toMatch(/^[\w.-]+\/[\w.-]+/);
      if (r.source.kind === "github-issue") expect(r.source.name).toMatch(/#\d+/);
    }
  });

  it("covers many boards, models and runtimes", () => {
    expect(new Set(rows.map((r) => r.board)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((r) => r.model)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(rows.map((r) => r.runtime)).size).toBeGreaterThanOrEqual(3);
  });

  it("reports every bad cell at once, with its line and column", () => {
    const good =
      "a-1,raspberry-pi-5,,cpu,llama.cpp,b1,4,,qwen2.5-0.5b,,Q4_0,printed,512,30,128,9,,,,github-file,o/r,f.md L3,2025-01-02,";
    const bad =
      "A 2,raspberry-pi-5,,gpu,llama.cpp,b1,4,,qwen2.5-0.5b,,Q4_0,printed,512,-3,128,9,,,,github-file,o/r,f.md,,";
    const e = failure([HEADER, good, bad].join("\n") + "\n");
    const found = [e, ...e.issues].map((i) => [i.line, i.field]);
    expect(found).toEqual([
      [3, "row_id"],
      [3, "backend"],
      [3, "prefill_tok_s"],
    ]);
  });

  it("refuses a repeated row id and a power figure without its kind", () => {
    const row = "a-1,raspberry-pi-5,,cpu,llama.cpp,,,,m,,,,,,,9,,,,github-file,o/r,f.md,,";
    expect(failure([HEADER, row, row].join("\n")).message).toMatch(/repeats the row at line 2/);
    const powered = "a-2,raspberry-pi-5,,cpu,llama.cpp,,,,m,,,,,,,9,5.1,,,github-file,o/r,f.md,,";
    expect(failure([HEADER, powered].join("\n")).field).toBe("power_kind");
  });
});
