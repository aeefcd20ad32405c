import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goDurationMs, isoToEpochS, parseInferenceText } from "../../../src/ingest/inference/index.js";
import { fixtureText } from "./helpers.js";

describe("Ollama API JSON", () => {
  it("reads one /api/generate response: ns durations to ms, created_at as the end", async () => {
    const p = await parseInferenceText(fixtureText("inference/ollama-generate.json"));
    expect(p.format).toBe("ollama-json");
    expect(p.records).toHaveLength(1);
    const r = p.records[0]!;
    expect(r).toMatchObject({
      promptTokens: 11,
      promptMs: 13.074791,
      genTokens: 18,
      genMs: 52.479709,
      totalMs: 174.560334,
    });
    expect(r.endS).toBeCloseTo(1760742847.414671, 6);
    expect(r.startS).toBeCloseTo(1760742847.414671 - 0.174560334, 6);
  });

  it("reads a streamed NDJSON answer: only done chunks are inferences, zone offsets honoured", async () => {
    const p = await parseInferenceText(fixtureText("inference/ollama-stream.ndjson"));
    expect(p.records.map((r) => [r.line, r.promptTokens, r.genTokens])).toEqual([
      [6, 87, 5],
      [8, 62, 2],
    ]);
    // 09:12:40.930017441-08:00 = 17:12:40.930017441Z
    expect(p.records[0]!.endS).toBeCloseTo(Date.UTC(2025, 2, 2, 17, 12, 40) / 1000 + 0.930017441, 6);
    expect(p.quarantined).toEqual([]);
  });

  it("reads a pretty-printed array of /api/chat responses and warns about an implausible prompt rate", async () => {
    const p = await parseInferenceText(fixtureText("inference/ollama-array.json"));
    expect(p.records.map((r) => [r.line, r.lineEnd, r.promptTokens])).toEqual(
      [
        [2, 14],
        [15, 27],
      ].map(([a, b], i) => [a, b, [48, 2048][i]]),
    );
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatchObject({
      line: 15,
      message: expect.stringMatching(/33437 tokens\/s.*last prompt batch/),
    });
  });

  it("quarantines a truncated NDJSON line and a done chunk without durations, and keeps the others", async () => {
    const text = [
      '{"model":"m","created_at":"2025-03-02T09:12:40Z","response":"","done":true,"total_duration":1000000,"eval_count":1,"eval_duration":500000}',
      '{"model":"m","created_at":"2025-03-02T09:12:41Z","response":"","done":true,"total_dura',
      '{"model":"m","created_at":"2025-03-02T09:12:42Z","response":"","done":true,"done_reason":"load"}',
      '{"model":"m","created_at":"2025-03-02T09:12:43Z","response":"","done":true,"total_duration":2000000}',
    ].join("\n");
    const p = await parseInferenceText(text, { file: "o.ndjson" });
    expect(p.records.map((r) => r.line)).toEqual([1, 4]);
    expect(p.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [2, expect.stringMatching(/not valid JSON/)],
      [3, expect.stringMatching(/without durations.*load/)],
    ]);
  });
});

describe("ollama run --verbose", () => {
  it("reads each figures block, Go durations in s, ms, µs and m", async () => {
    const p = await parseInferenceText(fixtureText("inference/ollama-verbose.txt"));
    expect(p.format).toBe("ollama-verbose");
    const expected = [
      [26, 235.624, 21, 1482.186, 1740.424083],
      [14, 1204, 412, 61210.093, 62503.117],
    ];
    expect(p.records).toHaveLength(2);
    p.records.forEach((r, i) => {
      const got = [r.promptTokens, r.promptMs, r.genTokens, r.genMs, r.totalMs];
      got.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 9));
    });
    expect(p.records.map((r) => [r.line, r.lineEnd])).toEqual([
      [4, 11],
      [15, 22],
    ]);
  });

  it("quarantines a duration with an unknown unit, naming it", async () => {
    const text =
      "total duration:       1.2s\nprompt eval count:    5 token(s)\nprompt eval duration: 12.5fortnights\neval count:           3 token(s)\neval duration:        300ms\n";
    const p = await parseInferenceText(text, { file: "v.txt" });
    expect(p.records).toHaveLength(1);
    expect(p.records[0]!.promptMs).toBeNull();
    expect(p.quarantined).toEqual([
      {
        file: "v.txt",
        line: 3,
        text: "prompt eval duration: 12.5fortnights",
        reason: expect.stringMatching(/unknown duration unit "fortnights"/),
      },
    ]);
  });

  it("converts Go durations", () => {
    expect(goDurationMs("1.740424083s")).toBeCloseTo(1740.424083, 9);
    expect(goDurationMs("1m2.5s")).toBe(62500);
    expect(goDurationMs("1h0m3s")).toBe(3603000);
    expect(goDurationMs("500µs")).toBe(0.5);
    expect(goDurationMs("500us")).toBe(0.5);
    expect(goDurationMs("800ns")).toBeCloseTo(0.0008, 12);
    expect(goDurationMs("12 ms")).toBeNull();
    expect(goDurationMs("1.2")).toBeNull();
    expect(goDurationMs("1.2sec")).toBeNull();
  });

  it("reads ISO times with nanoseconds and zones to epoch seconds", () => {
    expect(isoToEpochS("1970-01-01T00:00:01.5Z")).toEqual({ epochS: 1.5, zoneless: false });
    expect(isoToEpochS("1970-01-01T01:00:00+01:00")!.epochS).toBe(0);
    expect(isoToEpochS("1970-01-01 00:00:02")).toEqual({ epochS: 2, zoneless: true });
    expect(isoToEpochS("yesterday")).toBeNull();
  });
});

describe("Ollama NDJSON with broken records (issue 13, defect 6)", () => {
  const rec = (i: number) =>
    JSON.stringify({
      model: "m",
      created_at: `2025-03-02T09:12:${10 + i}Z`,
      response: "",
      done: true,
      total_duration: 1e6 * i,
      eval_count: i,
      eval_duration: 5e5 * i,
    });
  /** Record `i` wrapped onto two lines at character `at`. */
  const inside = (i: number, at: number) => 1 + (at % (rec(i).length - 1)); // never at either end
  const wrapped = (i: number, at: number) => [rec(i).slice(0, inside(i, at)), rec(i).slice(inside(i, at))];
  const cut = (i: number, at: number) => rec(i).slice(0, inside(i, at));
  const parses = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };

  it("quarantines only the wrapped and the cut record, each with its line range, and keeps every valid one", async () => {
    const cases = [
      // first line valid (read as NDJSON)
      { lines: [rec(1), ...wrapped(2, 40), rec(3), rec(4), cut(5, 60), rec(6), rec(7), rec(8)], first: 1 },
      // first line wrapped (read as a stream of objects)
      { lines: [...wrapped(2, 40), rec(3), rec(4), cut(5, 60), rec(6), rec(7), rec(8)], first: 0 },
      // cut inside a string
      { lines: [...wrapped(2, 40), rec(3), rec(4), cut(5, 30), rec(6), rec(7), rec(8)], first: 0 },
    ];
    for (const { lines, first } of cases) {
      const p = await parseInferenceText(lines.join("\n"), { file: "o.ndjson" });
      const at = (n: number) => n + first; // line numbers shift by the optional first record
      expect(p.records.map((r) => r.genTokens)).toEqual([...(first ? [1] : []), 3, 4, 6, 7, 8]);
      expect(p.records.map((r) => r.line)).toEqual([...(first ? [1] : []), at(3), at(4), at(6), at(7), at(8)]);
      expect(p.quarantined.map((q) => [q.line, q.lineEnd])).toEqual([
        [at(1), at(2)],
        [at(5), undefined],
      ]);
      expect(p.quarantined[0]!.reason).toMatch(/not valid JSON|broken over lines/);
    }
  });

  it("whatever line is cut or wrapped, every intact record is kept and no quarantine row spans one", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("ok", "wrap", "cut"), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2, max: 120 }),
        async (kinds, at) => {
          const lines: string[] = [];
          const kept: number[] = [];
          kinds.forEach((k, i) => {
            if (k === "ok") {
              kept.push(lines.length + 1);
              lines.push(rec(i + 1));
            } else if (k === "wrap") {
              // Wrapped between two tokens, the record is still JSON (a line end is white space): kept.
              if (parses(wrapped(i + 1, at).join("\n"))) kept.push(lines.length + 1);
              lines.push(...wrapped(i + 1, at));
            } else lines.push(cut(i + 1, at));
          });
          if (kept.length === 0) return;
          const p = await parseInferenceText(lines.join("\n"), { file: "o.ndjson", format: "ollama-json" });
          expect(p.records.map((r) => r.line)).toEqual(kept);
          for (const q of p.quarantined) {
            for (const k of kept) expect(k >= q.line && k <= (q.lineEnd ?? q.line)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("quarantines a response whose durations are seconds or ms, not ns (an impossible generation rate)", async () => {
    const line = (eval_duration: number) =>
      JSON.stringify({
        model: "x",
        done: true,
        prompt_eval_count: 20,
        prompt_eval_duration: 0.4,
        eval_count: 50,
        eval_duration,
      });
    const p = await parseInferenceText([line(2.0), line(2000), line(2e9)].join("\n") + "\n", { file: "o.ndjson" });
    expect(p.records.map((r) => r.genMs)).toEqual([2000]);
    expect(p.quarantined.map((q) => q.line)).toEqual([1, 2]);
    expect(p.quarantined[0]!.reason).toMatch(
      /field "eval_duration": 2 ns for 50 generated tokens .* look like seconds or ms/,
    );
  });
});
