import { describe, expect, it } from "vitest";
import { detectInferenceFormat, parseInferenceText } from "../../../src/ingest/inference/index.js";
import { fixtureText } from "./helpers.js";

describe("inference format detection", () => {
  it.each([
    ["inference/llama-cli-perf.log", "llama-cpp"],
    ["inference/llama-print-timings-old.log", "llama-cpp"],
    ["inference/llama-server.log", "llama-cpp"],
    ["inference/llama-server-old.log", "llama-cpp"],
    ["inference/llama-bench.csv", "llama-bench-csv"],
    ["inference/llama-bench-old.csv", "llama-bench-csv"],
    ["inference/llama-bench.json", "llama-bench-json"],
    ["inference/llama-bench.jsonl", "llama-bench-json"],
    ["inference/ollama-generate.json", "ollama-json"],
    ["inference/ollama-stream.ndjson", "ollama-json"],
    ["inference/ollama-array.json", "ollama-json"],
    ["inference/ollama-verbose.txt", "ollama-verbose"],
    ["inference/collector.jsonl", "collector-jsonl"],
  ])("recognises %s as %s", (file, format) => {
    expect(detectInferenceFormat(fixtureText(file))).toBe(format);
  });

  it("does not claim power logs or accuracy results", () => {
    expect(detectInferenceFormat(fixtureText("inference/lm-eval-hellaswag.json"))).toBeNull();
    expect(
      detectInferenceFormat("RAM 1180/3965MB (lfb 1x2MB) SWAP 149/1024MB POM_5V_IN 4520/4680 POM_5V_GPU 0/0\n"),
    ).toBeNull();
    expect(detectInferenceFormat("time,power_W\n0,4.2\n")).toBeNull();
  });

  it("refuses a file mixing llama.cpp and ollama --verbose lines, naming both", async () => {
    const mixed = fixtureText("inference/llama-server.log") + fixtureText("inference/ollama-verbose.txt");
    await expect(parseInferenceText(mixed, { file: "mixed.log" })).rejects.toMatchObject({
      code: "E_INPUT",
      message: expect.stringMatching(
        /mixed formats: llama-cpp lines \(first at line 9\) and ollama-verbose lines \(first at line \d+\)/,
      ),
    });
  });

  it("refuses an empty file and a file that is not what the caller declares", async () => {
    await expect(parseInferenceText("\n\n", { file: "empty.log" })).rejects.toMatchObject({
      code: "E_INPUT",
      message: "the file is empty",
      file: "empty.log",
    });
    await expect(
      parseInferenceText(fixtureText("inference/collector.jsonl"), { file: "x.jsonl", format: "ollama-json" }),
    ).rejects.toMatchObject({
      message: "the file is declared ollama-json but looks like collector-jsonl",
    });
  });

  it("refuses garbage with the first line as the offending text", async () => {
    await expect(parseInferenceText("hello world\nthis is not a log\n", { file: "g.txt" })).rejects.toMatchObject({
      message: "cannot recognise the inference log format",
      text: "hello world",
    });
  });

  it("names the first line with text (blank lines above it counted)", async () => {
    await expect(parseInferenceText("\n  \nhello world\n", { file: "g.txt" })).rejects.toMatchObject({
      message: "cannot recognise the inference log format",
      line: 3,
      text: "hello world",
    });
  });
});
