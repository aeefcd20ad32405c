import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInferenceText, collectingSink } from "../../../src/ingest/inference/index.js";
import { readInferenceLog } from "../../../src/io/inference/read.js";
import { fixture, fixtureText } from "./helpers.js";

describe("llama.cpp timing lines", () => {
  it("reads the current llama_perf_context_print block of a llama-cli run as one inference", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-cli-perf.log"));
    expect(p.format).toBe("llama-cpp");
    expect(p.records).toHaveLength(1);
    const r = p.records[0]!;
    expect(r).toMatchObject({
      promptTokens: 8,
      promptMs: 4245.68,
      genTokens: 127,
      genMs: 124973.6,
      totalMs: 129561.47,
      startS: null,
      endS: null,
    });
    expect(r.line).toBe(22);
    expect(r.lineEnd).toBe(26);
    expect(p.quarantined).toEqual([]);
  });

  it("does not mistake generated text mentioning 'eval time' for a timing line", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-cli-perf.log"));
    expect(p.warnings).toEqual([]);
  });

  it("reads older llama_print_timings blocks (CRLF), one record per prompt-eval/eval group, 0.00 ms as missing", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-print-timings-old.log"));
    expect(p.records.map((r) => [r.promptTokens, r.promptMs, r.genTokens, r.genMs, r.totalMs])).toEqual([
      [96, 2347.73, 63, 6412.53, 8849.8],
      [1, null, 24, 2398.4, 2452.11],
    ]);
  });

  it("reads timings printed with a decimal comma (a non-English locale) as decimals, nothing quarantined", async () => {
    const text = [
      "llama_perf_sampler_print:    sampling time =      57,77 ms /   411 runs   (    0,14 ms per token,  7114,79 tokens per second)",
      "llama_perf_context_print:        load time =     793,19 ms",
      "llama_perf_context_print: prompt eval time =    4082,84 ms /    30 tokens (  136,09 ms per token,     7,35 tokens per second)",
      "llama_perf_context_print:        eval time =   75642,80 ms /   380 runs   (  199,06 ms per token,     5,02 tokens per second)",
      "llama_perf_context_print:       total time =  181344,19 ms /   410 tokens",
      "llama_print_timings: prompt eval time =    1148,26 ms /     4 tokens (  287,06 ms per token,     3,48 tokens per second)",
      "llama_print_timings:        eval time =  387189,88 ms /   868 runs   (  446,07 ms per token,     2,24 tokens per second)",
    ].join("\n");
    const p = await parseInferenceText(text);
    expect(p.format).toBe("llama-cpp");
    expect(p.quarantined).toEqual([]);
    expect(p.records.map((r) => [r.promptTokens, r.promptMs, r.genTokens, r.genMs, r.totalMs])).toEqual([
      [30, 4082.84, 380, 75642.8, 181344.19],
      [4, 1148.26, 868, 387189.88, null],
    ]);
  });

  it("reads llama-server's per-request lines without a prefix", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-server.log"));
    expect(p.format).toBe("llama-cpp");
    expect(p.records.map((r) => [r.promptTokens, r.promptMs, r.genTokens, r.genMs])).toEqual([
      [61, 612.4, 1, 41.87],
      [58, 580.93, 1, 42.05],
    ]);
  });

  it("places old llama-server requests by their timestamp= field (end of request)", async () => {
    const p = await parseInferenceText(fixtureText("inference/llama-server-old.log"));
    expect(p.records).toHaveLength(1);
    const r = p.records[0]!;
    expect(r.endS).toBe(1712345678);
    expect(r.startS).toBeCloseTo(1712345678 - 1.39311, 9);
    expect(r.genTokens).toBe(64);
  });

  it("quarantines a truncated timing line with its line number and keeps the rest of the group", async () => {
    const text = [
      "llama_perf_context_print: prompt eval time =    4245.68 ms /     8 tokens (  530.71 ms per token,     1.88 tokens per second)",
      "llama_perf_context_print:        eval time =  12497",
      "llama_perf_context_print:       total time =  129561.47 ms /   135 tokens",
    ].join("\n");
    const p = await parseInferenceText(text, { file: "cut.log" });
    expect(p.records).toHaveLength(1);
    expect(p.records[0]!.genMs).toBeNull();
    expect(p.quarantined).toEqual([
      {
        file: "cut.log",
        line: 2,
        text: "llama_perf_context_print:        eval time =  12497",
        reason: expect.stringMatching(/truncated/),
      },
    ]);
  });

  it("warns about a load-time-only block instead of dropping it silently", async () => {
    const p = await parseInferenceText("llama_perf_context_print:        load time =    4450.58 ms\n", {
      format: "llama-cpp",
    });
    expect(p.records).toEqual([]);
    expect(p.warnings[0]!.message).toMatch(/not an inference/);
  });

  it("streams a file from disk with the same result as the in-memory parser", async () => {
    const sink = collectingSink();
    const recs = [];
    for await (const r of readInferenceLog(fixture("inference/llama-server.log"), {
      onQuarantine: sink.quarantine,
      onWarning: sink.warn,
    }))
      recs.push(r);
    const p = await parseInferenceText(fixtureText("inference/llama-server.log"));
    expect(recs).toEqual(p.records);
  });
  it("quarantines a timing of nan, inf or a 400-digit number with its line, instead of reading nothing (issue 13, defect 7)", async () => {
    for (const value of ["nan", "-nan", "inf", "-nan(ind)", "9".repeat(400), `1${"0".repeat(30)}`]) {
      const text = [
        "prompt eval time =     271.59 ms /    12 tokens (   22.63 ms per token,    44.18 tokens per second)",
        `       eval time = ${value} ms /    63 tokens (   nan ms per token,    nan tokens per second)`,
        "      total time =    3422.63 ms /    75 tokens",
      ].join("\n");
      const p = await parseInferenceText(text, { file: "server.log", format: "llama-cpp" });
      expect(p.quarantined, value).toEqual([
        {
          file: "server.log",
          line: 2,
          text: expect.stringContaining("eval time =") as string,
          reason: expect.stringMatching(
            /llama\.cpp "eval time" (is .* not a measurement|of .* is not a plausible duration)/,
          ) as string,
        },
      ]);
      expect(p.records).toHaveLength(1);
      expect(p.records[0]).toMatchObject({ promptMs: 271.59, promptTokens: 12, genMs: null, totalMs: 3422.63 });
    }
  });

  it("quarantines a token count too long to be one", async () => {
    const p = await parseInferenceText(`prompt eval time = 271.59 ms / ${"9".repeat(400)} tokens\n`, {
      format: "llama-cpp",
    });
    expect(p.quarantined[0]!.reason).toMatch(/token count 9+… is not a plausible count/);
  });
});

describe("duplicated records are quarantined, not read as phantom inferences (issue 13, defect 24)", () => {
  const server = (i: number) => [
    `prompt eval time =     27${i}.59 ms /    12 tokens (   22.63 ms per token,    44.18 tokens per second)`,
    `       eval time =    315${i}.04 ms /    63 tokens (   50.02 ms per token,    19.99 tokens per second)`,
    `      total time =    342${i}.63 ms /    75 tokens`,
  ];

  it("llama-server timing blocks written twice: 3 inferences from 6 blocks", async () => {
    const text = [1, 2, 3].flatMap((i) => [...server(i), "srv  log_server_r: request: POST /completion", ...server(i)]);
    const p = await parseInferenceText(text.join("\n"), { file: "s.log", format: "llama-cpp" });
    expect(p.records.map((r) => r.line)).toEqual([1, 8, 15]);
    expect(p.quarantined.map((q) => [q.line, q.lineEnd, q.reason.replace(/:.*/, "")])).toEqual([
      [5, 7, "duplicate of line 1 (lines 1–3)"],
      [12, 14, "duplicate of line 8 (lines 8–10)"],
      [19, 21, "duplicate of line 15 (lines 15–17)"],
    ]);
    expect(p.quarantined[0]!.text).toBe(server(1).join("\n"));
  });

  it("every timing line written twice: each second copy is a duplicate of the line before", async () => {
    const text = [1, 2].flatMap((i) => server(i).flatMap((l) => [l, l]));
    const p = await parseInferenceText(text.join("\n"), { file: "s.log", format: "llama-cpp" });
    expect(p.records).toHaveLength(2);
    expect(p.records.map((r) => r.genMs)).toEqual([3151.04, 3152.04]);
    expect(p.quarantined.map((q) => q.reason.replace(/:.*/, ""))).toEqual(
      [1, 3, 5, 7, 9, 11].map((n) => `duplicate of line ${n}`),
    );
  });

  it("ollama --verbose blocks written twice", async () => {
    const block = (i: number) => [
      `total duration:       1.74042408${i}s`,
      "load duration:        20.229708ms",
      "prompt eval count:    26 token(s)",
      `prompt eval duration: 235.62${i}ms`,
      "prompt eval rate:     110.35 tokens/s",
      "eval count:           298 token(s)",
      `eval duration:        1.48218${i}s`,
      "eval rate:            201.06 tokens/s",
    ];
    const text = [...block(1), ...block(1), ...block(2), "answer", ...block(2)];
    const p = await parseInferenceText(text.join("\n"), { file: "v.txt", format: "ollama-verbose" });
    expect(p.records.map((r) => r.line)).toEqual([1, 17]);
    expect(p.quarantined.map((q) => [q.line, q.reason.replace(/:.*/, "")])).toEqual([
      [9, "duplicate of line 1 (lines 1–8)"],
      [26, "duplicate of line 17 (lines 17–24)"],
    ]);
  });

  it("a llama-bench CSV row and an Ollama NDJSON line written twice", async () => {
    const csv = [
      "build_commit,model_type,n_prompt,n_gen,test_time,avg_ns,stddev_ns",
      "abc,llama 1B,512,0,2025-01-01T00:00:00Z,100000000,1000",
      "abc,llama 1B,512,0,2025-01-01T00:00:00Z,100000000,1000",
      "abc,llama 1B,0,128,2025-01-01T00:00:10Z,900000000,1000",
    ];
    const b = await parseInferenceText(csv.join("\n"), { file: "b.csv" });
    expect(b.records.map((r) => r.line)).toEqual([2, 4]);
    expect(b.quarantined.map((q) => [q.line, q.text, q.reason.replace(/:.*/, "")])).toEqual([
      [3, csv[2], "duplicate of line 2"],
    ]);
    const rec = (i: number) =>
      JSON.stringify({ model: "m", created_at: `2025-03-02T09:12:1${i}Z`, done: true, total_duration: 1e6 * i });
    const o = await parseInferenceText([rec(1), rec(2), rec(2), rec(3)].join("\n"), { file: "o.ndjson" });
    expect(o.records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(o.quarantined.map((q) => [q.line, q.reason.replace(/:.*/, "")])).toEqual([[3, "duplicate of line 2"]]);
  });

  it("records that differ in any figure are all kept", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 15 }), async (ids) => {
        const text = ids.flatMap((i) => server(i)).join("\n");
        const p = await parseInferenceText(text, { format: "llama-cpp" });
        const expected = ids.filter((i, k) => k === 0 || ids[k - 1] !== i);
        expect(p.records.map((r) => r.genMs)).toEqual(expected.map((i) => Number(`315${i}.04`)));
      }),
      { numRuns: 100 },
    );
  });
});
