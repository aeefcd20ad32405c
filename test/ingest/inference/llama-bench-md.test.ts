import { describe, expect, it } from "vitest";
import { parseInferenceText } from "../../../src/ingest/inference/index.js";
import { fixtureText } from "./helpers.js";

/** Rates read by hand from the fixtures (test/fixtures/llama-bench-md/SOURCES.md). */
const rate = (text: string) => parseInferenceText(text, { file: "bench.md" });

describe("llama-bench markdown (-o md, the default)", () => {
  it("reads a pasted Jetson Nano table with the command, device lines and build line around it", async () => {
    const p = await rate(fixtureText("llama-bench-md/jetson-nano-cuda-b5043.md"));
    expect(p.format).toBe("llama-bench-md");
    expect(p.quarantined).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(
      p.records.map((r) => [
        r.label,
        r.promptTokens,
        r.genTokens,
        r.printed?.promptTokPerS ?? r.printed?.genTokPerS,
        r.printed?.stddevTokPerS,
        r.line,
      ]),
    ).toEqual([
      ["pp512", 512, 0, 80.57, 0.33, 7],
      ["tg128", 0, 128, 6.69, 0, 8],
    ]);
    // Time = tokens / mean rate: 512 / 80.57 s and 128 / 6.69 s.
    expect(p.records[0]!.promptMs).toBeCloseTo((512 / 80.57) * 1000, 9);
    expect(p.records[0]!.genMs).toBe(0);
    expect(p.records[1]!.genMs).toBeCloseTo((128 / 6.69) * 1000, 9);
    expect(p.records[1]!.promptMs).toBe(0);
    expect(p.records[1]!.totalMs).toBeCloseTo((128 / 6.69) * 1000, 9);
    expect(p.records[0]!.startS).toBeNull();
    expect(p.records[0]!.repetitions).toBeUndefined();
  });

  it("reads build 1618's `pp 512` / `tg 128` test names", async () => {
    const p = await rate(fixtureText("llama-bench-md/jetson-nano-old-b1618.md"));
    expect(p.format).toBe("llama-bench-md");
    expect(
      p.records.map((r) => [
        r.label,
        r.promptTokens,
        r.genTokens,
        r.printed?.promptTokPerS ?? r.printed?.genTokPerS,
        r.printed?.stddevTokPerS,
      ]),
    ).toEqual([
      ["pp512", 512, 0, 20.99, 0.16],
      ["tg128", 0, 128, 2.77, 0.01],
    ]);
  });

  it("reads a table with a threads column, one record per row", async () => {
    const p = await rate(fixtureText("llama-bench-md/openelm-pi-threads-b4488.txt"));
    expect(p.records).toHaveLength(8);
    expect(p.records.map((r) => r.label)).toEqual(["pp12", "tg6", "pp12", "tg6", "pp12", "tg6", "pp12", "tg6"]);
    expect(p.records.map((r) => r.printed?.promptTokPerS ?? r.printed?.genTokPerS)).toEqual([
      11.2, 5.41, 19.65, 5.57, 21.43, 4.91, 22.37, 5.12,
    ]);
    expect(p.records.map((r) => r.printed?.stddevTokPerS)).toEqual([0.2, 0.21, 2.12, 0.27, 1.14, 0.24, 1.38, 0.51]);
    expect(p.records[6]!.promptMs).toBeCloseTo((12 / 22.37) * 1000, 9);
    expect(p.records.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("reads extra columns (n_batch, type_k, fa, mmap), depths, pp+tg tests, `| --- |` rows and -r from `$ llama-bench`", async () => {
    // Synthetic, in the layout llama-bench prints (columns as in tables posted with -b/-ctk/-fa/-mmp).
    const md = [
      "$ ./llama-bench -m qwen2.5-0.5b-q4_k_m.gguf -b 512 -ctk q8_0 -fa 1 -mmp 0 -r 3 -d 0,4096 -pg 512,128",
      "| model | size | params | backend | ngl | n_batch | type_k | fa | mmap | test | t/s |",
      "| --- | ---: | ---: | --- | --: | ---: | ---: | --: | ---: | ---: | ---: |",
      "| qwen2 1B Q4_K - Medium | 462.96 MiB | 630.17 M | CUDA | 99 | 512 | q8_0 | 1 | 0 | pp512 | 1359.61 ± 5.05 |",
      "| qwen2 1B Q4_K - Medium | 462.96 MiB | 630.17 M | CUDA | 99 | 512 | q8_0 | 1 | 0 | tg128 @ d4096 | 45.36 ± 0.06 |",
      "| qwen2 1B Q4_K - Medium | 462.96 MiB | 630.17 M | CUDA | 99 | 512 | q8_0 | 1 | 0 | pp512+tg128 | 160 |",
      "",
      "build: 63f88cc (6089)",
    ].join("\n");
    const p = await rate(md);
    expect(p.format).toBe("llama-bench-md");
    expect(p.records.map((r) => [r.label, r.promptTokens, r.genTokens, r.repetitions])).toEqual([
      ["pp512", 512, 0, 3],
      ["tg128 @ d4096", 0, 128, 3],
      ["pp512+tg128", 512, 128, 3],
    ]);
    expect(p.records[2]).toMatchObject({ promptMs: null, genMs: null, totalMs: 4000 });
    expect(p.records[2]!.printed).toBeUndefined();
  });

  it("finds the table below hundreds of lines of verbose model loading (-v)", async () => {
    const loader = Array.from(
      { length: 400 },
      (_, i) => `llama_model_loader: - tensor ${i}: blk.${i}.attn_q.weight q4_K`,
    );
    const text = [...loader, ...fixtureText("llama-bench-md/jetson-nano-cuda-b5043.md").split("\n")].join("\n");
    const p = await rate(text);
    expect(p.format).toBe("llama-bench-md");
    expect(p.records.map((r) => [r.label, r.line])).toEqual([
      ["pp512", 407],
      ["tg128", 408],
    ]);
  });

  it("quarantines rows it cannot read, each with its line and reason", async () => {
    const md = [
      "| model | size | params | backend | threads | test | t/s |",
      "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
      "| llama 1B | 1 GiB | 1 B | CPU | 4 | pp512 | 6.71 ± 0.00 |",
      "| llama 1B | 1 GiB | 1 B | CPU | 4 | xx512 | 6.71 ± 0.00 |",
      "| llama 1B | 1 GiB | 1 B | CPU | 4 | tg128 | fast |",
      "| llama 1B | 1 GiB | 1 B | CPU | 4 | tg128 |",
      "| llama 1B | 1 GiB | 1 B | CPU | 4 | tg128 | 0.00 ± 0.00 |",
    ].join("\n");
    const p = await rate(md);
    expect(p.records.map((r) => r.label)).toEqual(["pp512"]);
    expect(p.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [4, expect.stringMatching(/column "test"/)],
      [5, expect.stringMatching(/column "t\/s"/)],
      [6, expect.stringMatching(/expected 7 cells/)],
      [7, expect.stringMatching(/not a rate/)],
    ]);
  });

  it("warns about a table with a header and no rows (the benchmark failed)", async () => {
    const md =
      "| model | size | params | backend | ngl | test | t/s |\n| --- | ---: | ---: | --- | --: | ---: | ---: |\n" +
      "CUDA error: no kernel image is available for execution on the device\n";
    const p = await rate(md);
    expect(p.records).toEqual([]);
    expect(p.warnings).toMatchObject([{ line: 1, message: expect.stringMatching(/no result rows/) }]);
  });

  it("refuses a markdown table forced as llama-bench-csv (an input error, not 0 records)", async () => {
    const text = fixtureText("llama-bench-md/jetson-nano-cuda-b5043.md");
    await expect(parseInferenceText(text, { file: "bench.md", format: "llama-bench-csv" })).rejects.toMatchObject({
      code: "E_INPUT",
      file: "bench.md",
      message: expect.stringMatching(/declared llama-bench-csv but looks like llama-bench-md/),
    });
  });
});

describe("a llama-bench table converted to CSV (Model,…,Test,Speed (t/s),Error (t/s))", () => {
  const HEAD = "Model,Size (GiB),Params (B),Threads,Test,Speed (t/s),Error (t/s)";
  it("reads one record per row, the rate and its ± from their columns", async () => {
    const text = [
      HEAD,
      "openelm 3B Q4_0,1.62,3.04,1,pp12,11.2,0.2",
      "openelm 3B Q4_0,1.62,3.04,1,tg6,5.41,0.21",
      "",
    ].join("\n");
    const p = await rate(text);
    expect(p.format).toBe("llama-bench-md");
    expect(p.quarantined).toEqual([]);
    expect(
      p.records.map((r) => [
        r.label,
        r.promptTokens,
        r.genTokens,
        r.printed?.promptTokPerS ?? r.printed?.genTokPerS,
        r.printed?.stddevTokPerS,
        r.line,
      ]),
    ).toEqual([
      ["pp12", 12, 0, 11.2, 0.2, 2],
      ["tg6", 0, 6, 5.41, 0.21, 3],
    ]);
    expect(p.records[0]!.promptMs).toBeCloseTo((12 / 11.2) * 1000, 9);
  });

  it("quarantines a row whose rate is not a number, naming the CSV column", async () => {
    const p = await rate([HEAD, "openelm 3B Q4_0,1.62,3.04,1,pp12,fast,0.2"].join("\n"));
    expect(p.records).toEqual([]);
    expect(p.quarantined).toHaveLength(1);
    expect(p.quarantined[0]).toMatchObject({ line: 2 });
    expect(p.quarantined[0]!.reason).toMatch(/column "Speed \(t\/s\)": expected a rate/);
  });

  it("is not taken for a CSV without a Test and a t/s column", async () => {
    await expect(rate("Model,Threads,Speed\nx,1,2\n")).rejects.toThrow(/cannot recognise/);
  });
});
