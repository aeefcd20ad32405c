import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInferenceText } from "../../../src/ingest/inference/index.js";

/** Corrupt a line the way real logs are corrupted: cut short, or replaced by noise. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0.05, max: 0.6, noNaN: true }) }),
  fc.record({
    kind: fc.constant("garbage" as const),
    text: fc.constantFrom("\u0000\u0000\u0000", "#### ERR", "{{{", "null", "[1,2"),
  }),
);
const corrupt = (line: string, c: { kind: "truncate"; at: number } | { kind: "garbage"; text: string }): string =>
  c.kind === "truncate" ? line.slice(0, Math.max(1, Math.floor(line.length * c.at))) : c.text;

const collectorRecord = fc.record({
  prompt_tokens: fc.integer({ min: 0, max: 4096 }),
  gen_tokens: fc.integer({ min: 0, max: 512 }),
  prefill_ms: fc.double({ min: 0, max: 60_000, noNaN: true }),
  decode_ms: fc.double({ min: 0, max: 600_000, noNaN: true }),
  gap_s: fc.double({ min: 0, max: 5, noNaN: true }),
  correct: fc.constantFrom(true, false, null),
});

describe("property: collector JSONL", () => {
  it("round-trips generated runs exactly, and quarantines exactly the corrupted lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(collectorRecord, { minLength: 1, maxLength: 30 }),
        fc.array(fc.option(corruption, { freq: 4 }), { minLength: 30, maxLength: 30 }),
        async (records, corruptions) => {
          let t = 1_760_000_000;
          const lines = records.map((r, i) => {
            const start = t;
            const end = start + (r.prefill_ms + r.decode_ms) / 1000 + 0.01;
            t = end + r.gap_s;
            return JSON.stringify({
              schema: "slm-energy/inference@1",
              index: i,
              item_id: `item-${i}`,
              start_s: start,
              end_s: end,
              prompt_tokens: r.prompt_tokens,
              gen_tokens: r.gen_tokens,
              prefill_ms: r.prefill_ms,
              decode_ms: r.decode_ms,
              correct: r.correct,
            });
          });
          // Keep the first line intact so that the file is still recognisable.
          const bad = new Set<number>();
          const text = lines
            .map((l, i) => {
              const c = i === 0 ? null : corruptions[i];
              if (!c) return l;
              bad.add(i + 1);
              return corrupt(l, c);
            })
            .join("\n");
          const p = await parseInferenceText(text, { file: "gen.jsonl", format: "collector-jsonl" });
          expect(p.records.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1).filter((n) => !bad.has(n)));
          expect(p.quarantined.map((q) => q.line)).toEqual([...bad]);
          for (const r of p.records) {
            const src = records[r.index!]!;
            expect(r.promptMs).toBe(src.prefill_ms);
            expect(r.genTokens).toBe(src.gen_tokens);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

const timing = fc.record({
  promptTokens: fc.integer({ min: 1, max: 4096 }),
  promptCs: fc.integer({ min: 1, max: 10_000_000 }), // centiseconds of ms: printed with 2 decimals
  genTokens: fc.integer({ min: 1, max: 1024 }),
  genCs: fc.integer({ min: 1, max: 100_000_000 }),
  prefix: fc.constantFrom("llama_perf_context_print: ", "llama_print_timings: ", "", "INFO [print_timings] "),
});

describe("property: llama.cpp timing lines", () => {
  it("reads back every generated group, and quarantines (never misreads) truncated lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(timing, { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
        async (groups, cuts) => {
          const lines: string[] = [];
          for (const g of groups) {
            const p = (g.promptCs / 100).toFixed(2);
            const e = (g.genCs / 100).toFixed(2);
            lines.push(
              `${g.prefix}prompt eval time = ${p.padStart(10)} ms / ${String(g.promptTokens).padStart(5)} tokens (    1.00 ms per token,     1.00 tokens per second)`,
            );
            lines.push(
              `${g.prefix}       eval time = ${e.padStart(10)} ms / ${String(g.genTokens).padStart(5)} runs   (    1.00 ms per token,     1.00 tokens per second)`,
            );
            lines.push("some generated text between requests");
          }
          const clean = await parseInferenceText(lines.join("\n"), { format: "llama-cpp" });
          expect(clean.records.map((r) => [r.promptTokens, r.promptMs, r.genTokens, r.genMs])).toEqual(
            groups.map((g) => [g.promptTokens, g.promptCs / 100, g.genTokens, g.genCs / 100]),
          );
          // Cut some timing lines right after the "=": they must be quarantined, never read as a value.
          let cutCount = 0;
          const cutLines = lines.map((l, i) => {
            if (i === 0 || !cuts[i] || !l.includes("time =")) return l;
            cutCount++;
            return l.slice(0, l.indexOf("=") + 2);
          });
          const dirty = await parseInferenceText(cutLines.join("\n"), { format: "llama-cpp" });
          expect(dirty.quarantined).toHaveLength(cutCount);
          for (const r of dirty.records) {
            const g = groups.find((x) => x.promptTokens === r.promptTokens || x.genTokens === r.genTokens);
            expect(g).toBeDefined();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("property: JSON splitting", () => {
  it("cuts pretty-printed arrays of objects with awkward strings into the same objects, with line spans", async () => {
    const text = fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', "\\", ",", "a", " ", "\n", "é") });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ response: text, eval_count: fc.nat(1000) }), { minLength: 1, maxLength: 8 }),
        async (objs) => {
          const docs = objs.map((o, i) => ({
            model: "m",
            created_at: "2025-01-01T00:00:00Z",
            response: o.response,
            done: true,
            total_duration: (i + 1) * 1e6,
            eval_count: o.eval_count,
          }));
          const pretty = JSON.stringify(docs, null, 2);
          const p = await parseInferenceText(pretty, { format: "ollama-json" });
          expect(p.quarantined).toEqual([]);
          expect(p.records.map((r) => r.genTokens)).toEqual(objs.map((o) => o.eval_count));
          expect(p.records.map((r) => r.totalMs)).toEqual(docs.map((d) => d.total_duration / 1e6));
          const lines = pretty.split("\n");
          for (const r of p.records) {
            expect(lines[r.line - 1]!.trim()).toBe("{");
            expect(lines[r.lineEnd! - 1]!.trim()).toMatch(/^},?$/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** A duration as Go's time.Duration.String() prints it (what `ollama run --verbose` shows). */
function goString(ns: number): string {
  if (ns === 0) return "0s";
  if (ns < 1e3) return `${ns}ns`;
  const trim = (x: string) => x.replace(/\.?0+$/, "");
  if (ns < 1e6) return `${trim((ns / 1e3).toFixed(3))}µs`;
  if (ns < 1e9) return `${trim((ns / 1e6).toFixed(6))}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = trim(((ns % 6e10) / 1e9).toFixed(9)) || "0";
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}

describe("property: ollama run --verbose", () => {
  it("reads back Go durations of any size, from ns to hours, to the nanosecond", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            total: fc.integer({ min: 1, max: 9_000_000_000_000 }),
            prompt: fc.integer({ min: 0, max: 5_000_000_000 }),
            count: fc.integer({ min: 0, max: 5000 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (blocks) => {
          const text = blocks
            .map((b) =>
              [
                `>>> question`,
                `an answer`,
                ``,
                `total duration:       ${goString(b.total)}`,
                `prompt eval count:    ${b.count} token(s)`,
                `prompt eval duration: ${goString(b.prompt)}`,
                `eval count:           ${b.count} token(s)`,
              ].join("\n"),
            )
            .join("\n");
          const p = await parseInferenceText(text, { format: "ollama-verbose", maxPromptTokensPerS: Infinity });
          expect(p.quarantined).toEqual([]);
          expect(p.records).toHaveLength(blocks.length);
          p.records.forEach((r, i) => {
            expect(Math.abs(r.totalMs! - blocks[i]!.total / 1e6)).toBeLessThan(
              1e-6 * Math.max(1, blocks[i]!.total / 1e9),
            );
            expect(Math.abs(r.promptMs! - blocks[i]!.prompt / 1e6)).toBeLessThan(1e-6);
            expect(r.promptTokens).toBe(blocks[i]!.count);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
