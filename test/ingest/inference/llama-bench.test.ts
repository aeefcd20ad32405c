import { describe, expect, it } from "vitest";
import { parseInferenceText } from "../../../src/ingest/inference/index.js";
import { fixtureText } from "./helpers.js";

const EXPECTED = [
  { label: "pp512", promptTokens: 512, genTokens: 0, promptMs: 9465.286025, genMs: 0, totalMs: 9465.286025 },
  { label: "tg128", promptTokens: 0, genTokens: 128, promptMs: 0, genMs: 11259.266667, totalMs: 11259.266667 },
  { label: "pp512+tg128", promptTokens: 512, genTokens: 128, promptMs: null, genMs: null, totalMs: 20707.333333 },
];

describe("llama-bench", () => {
  it("reads the CSV by field name: pp tests are prompt processing, tg tests generation, avg_ns the time", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-bench.csv"));
    expect(p.format).toBe("llama-bench-csv");
    expect(p.records).toMatchObject(EXPECTED);
    expect(p.records[0]!.startS).toBe(Date.UTC(2025, 0, 28, 10, 15, 2) / 1000);
    expect(p.records[0]!.endS).toBeNull();
    expect(p.quarantined).toEqual([]);
  });

  it("reads the JSON array and JSONL outputs the same way, keeping each repetition's time from samples_ns", async () => {
    for (const f of ["inference/llama-bench.json", "inference/llama-bench.jsonl"]) {
      const p = await parseInferenceText(fixtureText(f));
      expect(p.format).toBe("llama-bench-json");
      expect(p.records).toMatchObject(EXPECTED);
      expect(p.records[0]!.repetitions).toBe(3);
      expect(p.records[0]!.samplesMs).toEqual([9412.345678, 9501.234567, 9482.27783]);
    }
    const arr = await parseInferenceText(fixtureText("inference/llama-bench.json"));
    expect(arr.records.map((r) => [r.line, r.lineEnd])).toEqual([
      [2, 45],
      [46, 89],
      [90, 133],
    ]);
  });

  it("reads an older build's unquoted CSV with different columns", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-bench-old.csv"));
    expect(p.records.map((r) => [r.label, r.promptTokens, r.genTokens, r.totalMs])).toEqual([
      ["pp128", 128, 0, 2931.240512],
      ["tg32", 0, 32, 7710.450101],
    ]);
  });

  it("quarantines rows with a missing time, a bad count or a wrong field count", async () => {
    const text = [
      "model_type,n_prompt,n_gen,test_time,avg_ns,stddev_ns",
      "llama 1B Q4_0,512,0,2025-01-28T10:15:02Z,9465286025,1",
      "llama 1B Q4_0,0,128,2025-01-28T10:15:41Z,,",
      "llama 1B Q4_0,x,128,2025-01-28T10:15:41Z,1000,1",
      "llama 1B Q4_0,0,128",
    ].join("\n");
    const p = await parseInferenceText(text, { file: "b.csv" });
    expect(p.records).toHaveLength(1);
    expect(p.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [3, expect.stringMatching(/no avg_ns/)],
      [4, expect.stringMatching(/n_prompt/)],
      [5, expect.stringMatching(/expected 6 fields/)],
    ]);
  });

  it("reads llama-bench's markdown table (formerly refused) as llama-bench-md", async () => {
    const md =
      "| model | size | params | backend | threads | test | t/s |\n| --- | ---: | ---: | --- | ---: | ---: | ---: |\n" +
      "| llama 1B Q4_0 | 1 GiB | 1 B | CPU | 4 | pp512 | 6.71 ± 0.00 |\n";
    const p = await parseInferenceText(md, { file: "bench.md" });
    expect(p.format).toBe("llama-bench-md");
    expect(p.records.map((r) => [r.label, r.printed?.promptTokPerS])).toEqual([["pp512", 6.71]]);
  });
});
