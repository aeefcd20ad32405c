import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  backendFromLlamaBench,
  llamaBenchRows,
  modelFromFilename,
  ollamaVerboseRows,
  quantFromModelType,
  type CorpusAddContext,
} from "../../src/corpus/build.js";
import { corpusRowId, provenance } from "../../src/corpus/provenance.js";
import { corpusSummary, filterCorpus } from "../../src/corpus/summary.js";
import { parseInferenceText } from "../../src/ingest/inference/read.js";
import { corpusLineEnd, formatCorpusRows, parseCorpus, readCorpus } from "../../src/io/corpus.js";
import { ROOT } from "../helpers.js";

const CORPUS = join(ROOT, "data/community/corpus.csv");
const fixture = (name: string): string => readFileSync(join(ROOT, "test/fixtures/inference", name), "utf8");

const ctx: CorpusAddContext = {
  board: "raspberry-pi-5",
  source: provenance("someone/bench"),
  locator: "bench.csv @ 0123abcd",
  date: "2025-02-01",
  fileName: "bench.csv",
};

describe("corpus provenance", () => {
  it("infers the source kind from a GitHub address's shape and the corpus's own spellings", () => {
    expect(provenance("https://github.com/ggml-org/llama.cpp/discussions/4167")).toMatchObject({
      kind: "github-discussion",
      name: "ggml-org/llama.cpp discussion #4167",
    });
    expect(provenance("https://github.com/o/r/issues/7#issuecomment-1")).toMatchObject({
      kind: "github-issue",
      name: "o/r issue #7",
    });
    expect(provenance("https://github.com/o/r/pull/30")).toMatchObject({
      kind: "github-issue",
      name: "o/r pull request #30",
    });
    expect(provenance("https://github.com/o/r/blob/abc/README.md")).toMatchObject({ kind: "github-file", name: "o/r" });
    expect(provenance("https://raw.githubusercontent.com/o/r/abc/x.json")).toMatchObject({ kind: "github-file" });
    expect(provenance("o/r issue #7")).toMatchObject({ kind: "github-issue", name: "o/r issue #7", url: null });
    expect(provenance("o/r")).toMatchObject({ kind: "github-file", name: "o/r" });
    expect(provenance("https://www.jetson-ai-lab.com/benchmarks.html")).toMatchObject({ kind: "web-page" });
    expect(provenance("o/r", "paper").kind).toBe("paper");
  });

  it("row ids are deterministic slugs of source, board, model, quantization and test", () => {
    const parts = {
      source: "o/r issue #7",
      board: "jetson-nano",
      model: "gemma-3-1b-it",
      quantization: "Q4_K - Medium",
    };
    const a = corpusRowId({ ...parts, test: "pp512-tg128" });
    expect(a).toBe(corpusRowId({ ...parts, test: "pp512-tg128" }));
    expect(a).toMatch(/^o-r-issue-7-jetson-nano-gemma-3-1b-it-q4-k-medium-pp512-tg128-[0-9a-f]{8}$/);
    expect(corpusRowId({ ...parts, test: "pp512-tg128", config: "t2" })).not.toBe(a);
    expect(corpusRowId({ ...parts, model: "gemma-3-4b-it", test: "pp512-tg128" })).not.toBe(a);
  });
});

describe("corpus rows from llama-bench and ollama", () => {
  it("reads llama-bench's printed labels: type string, model id, backend", () => {
    expect(quantFromModelType("llama 1B Q4_K - Medium")).toBe("Q4_K - Medium");
    expect(quantFromModelType("qwen2 0.5B Q8_0")).toBe("Q8_0");
    expect(modelFromFilename("models/tinyllama-1.1b-chat-v1.0.Q4_0.gguf")).toBe("tinyllama-1.1b-chat-v1.0");
    expect(modelFromFilename("/m/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf")).toBe("qwen2.5-0.5b-instruct");
    expect(backendFromLlamaBench("CUDA")).toBe("cuda");
    expect(backendFromLlamaBench("Metal,BLAS")).toBe("metal");
    expect(backendFromLlamaBench("CPU")).toBe("cpu");
  });

  it("pairs pp and tg tests of one configuration, and keeps configurations apart", async () => {
    const csv = fixture("llama-bench.csv").trimEnd().split("\n");
    const header = csv[0]!;
    // the fixture's pp and tg tests, and the same two again with 2 threads
    const t2 = csv.slice(1, 3).map((l) => l.replace(/"4","0x0"/, '"2","0x0"').replace("54.09328", "30.5"));
    const text = [header, csv[1], csv[2], ...t2].join("\n") + "\n";
    const parsed = await parseInferenceText(text, { file: "bench.csv" });
    const { rows, skipped } = llamaBenchRows(parsed.records, ctx);
    expect(skipped).toEqual([]);
    expect(rows.map((r) => [r.threads, r.promptTokens, r.prefillTokPerS, r.generatedTokens, r.decodeTokPerS])).toEqual([
      [4, 512, 54.09328, 128, 11.36855],
      [2, 512, 30.5, 128, 11.36855],
    ]);
    expect(new Set(rows.map((r) => r.rowId)).size).toBe(2);
  });

  it("reads the backend of older llama-bench builds from their 0/1 backend columns", async () => {
    const parsed = await parseInferenceText(fixture("llama-bench-old.csv"), { file: "old.csv" });
    const { rows } = llamaBenchRows(parsed.records, ctx);
    expect(rows[0]).toMatchObject({
      backend: "cuda",
      gpuLayers: "99",
      runtimeVersion: "3bdc4d0 (1586)",
      model: "gemma-2-2b-it",
    });
  });

  it("takes the rates ollama --verbose prints, not ones recomputed from its durations", async () => {
    const parsed = await parseInferenceText(fixture("ollama-verbose.txt"), { file: "v.txt" });
    const { rows } = ollamaVerboseRows(parsed.records, { ...ctx, model: "llama3.2-3b", backend: "cpu" });
    // 26 tokens in 235.624 ms would be 110.346…; the printed 110.35 is kept
    expect(rows.map((r) => r.prefillTokPerS)).toEqual([110.35, 11.63]);
    expect(rows[0]!.notes).toMatch(/default of the Ollama tag llama3.2-3b/);
  });
});

describe("corpus wire format", () => {
  const text = readFileSync(CORPUS, "utf8");
  const rows = parseCorpus(text, CORPUS);

  it("formats rows back to CSV that parses to the same rows", () => {
    const again = formatCorpusRows(rows, { header: true });
    expect(again.endsWith("\r\n")).toBe(true);
    expect(parseCorpus(again, "again.csv")).toEqual(rows);
    expect(corpusLineEnd(text)).toBe("\r\n");
    expect(corpusLineEnd("a\nb\n")).toBe("\n");
  });

  it("summarises and filters", () => {
    const s = corpusSummary(readCorpus(CORPUS));
    expect(s.rows).toBe(rows.length);
    expect(s.boards.reduce((n, [, k]) => n + k, 0)).toBe(rows.length);
    expect(s.rowsWithPower).toBe(rows.filter((r) => r.powerW !== null).length);
    expect(filterCorpus(rows, { board: "jetson-nano" }).every((r) => r.board === "jetson-nano")).toBe(true);
  });
});
