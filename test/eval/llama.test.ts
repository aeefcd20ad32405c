import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticGguf } from "../../src/gguf/index.js";
import { evaluateItems, parseTaskJsonl, summarize, type ScoringModel } from "../../src/eval/index.js";
import { encodeItems } from "../../src/eval/evaluate.js";
import { openLlamaScorer } from "../../src/io/llama/scorer.js";
import { main } from "../../src/cli/main.js";

const dir = mkdtempSync(join(tmpdir(), "slm-eval-"));
const model = join(dir, "rand.gguf");
let lm: ScoringModel;
beforeAll(async () => {
  await writeSyntheticGguf(
    { name: "random", layers: 2, hidden: 128, ffn: 256, heads: 4, kvHeads: 2, vocab: 800, quant: "F16", seed: 3 },
    model,
  );
  lm = await openLlamaScorer({ modelPath: model, threads: 1, contextSize: 512 });
});
afterAll(async () => {
  await lm?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("log-likelihood with llama.cpp", () => {
  it("matches the probabilities llama.cpp itself reports for the same positions", async () => {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const m = await llama.loadModel({ modelPath: model });
    const ctx = await m.createContext({ contextSize: 256, threads: 1, flashAttention: false });
    try {
      const context = lm.tokenize("the cat sat on the");
      const cont = lm.tokenize(" mat today");
      const ours = await lm.scoreContinuation(context, cont);
      const input = [lm.bos!, ...context, ...cont];
      const seq = ctx.getSequence();
      const first = input.length - 1 - cont.length;
      const out = await seq.controlledEvaluate(
        input.slice(0, -1).map((t, j) => (j >= first ? [t, { generateNext: { probabilities: true } }] : t)) as never,
      );
      for (let k = 0; k < cont.length; k++) {
        const p = (out[first + k] as { next: { probabilities: Map<number, number> } }).next.probabilities.get(
          cont[k]!,
        )!;
        expect(ours.logprobs[k]).toBeCloseTo(Math.log(p), 4);
      }
    } finally {
      await ctx.dispose();
      await m.dispose();
    }
  });

  it("gives the same score whether the context was cached from the previous request or not", async () => {
    const c = lm.tokenize("Answer the question:");
    const a = await lm.scoreContinuation(c, lm.tokenize(" yes"));
    const b = await lm.scoreContinuation(c, lm.tokenize(" no"));
    await lm.scoreContinuation(lm.tokenize("something else entirely"), lm.tokenize(" x"));
    const b2 = await lm.scoreContinuation(c, lm.tokenize(" no"));
    const a2 = await lm.scoreContinuation(c, lm.tokenize(" yes"));
    expect(b2.logprobs).toEqual(b.logprobs.map((x) => expect.closeTo(x, 5)));
    expect(a2.logprobs).toEqual(a.logprobs.map((x) => expect.closeTo(x, 5)));
  });

  it("scores items batched and sharing each item's prefix as one request at a time from an empty state", async () => {
    // Reference: every request on its own, from an empty sequence, whole in one batch (lm-eval's
    // one forward pass per request), probabilities straight from llama.cpp.
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const m = await llama.loadModel({ modelPath: model });
    const ctx = await m.createContext({ contextSize: 512, threads: 1, flashAttention: false });
    const seq = ctx.getSequence();
    const one = await openLlamaScorer({ modelPath: model, threads: 1, contextSize: 512, parallelItems: 1 });
    try {
      for (const format of ["mmlu", "hellaswag", "winogrande"] as const) {
        const items = parseTaskJsonl(
          readFileSync(join(__dirname, `../fixtures/eval/${format}.jsonl`), "utf8"),
          format,
        ).items;
        const batched = await evaluateItems(lm, items);
        const reference: number[][] = [];
        for (const reqs of encodeItems(lm, items).requests) {
          const lls: number[] = [];
          for (const r of reqs) {
            await seq.clearHistory();
            const input = [lm.bos!, ...r.contextTokens, ...r.continuationTokens];
            const first = input.length - 1 - r.continuationTokens.length;
            const out = await seq.controlledEvaluate(
              input
                .slice(0, -1)
                .map((t, j) => (j >= first ? [t, { generateNext: { probabilities: true } }] : t)) as never,
            );
            let ll = 0;
            for (let j = first; j < input.length - 1; j++)
              ll += Math.log(
                (out[j] as { next: { probabilities: Map<number, number> } }).next.probabilities.get(input[j + 1]!)!,
              );
            lls.push(ll);
          }
          reference.push(lls);
        }
        batched.forEach((r, i) =>
          r.loglikelihoods.forEach((ll, k) => expect(Math.abs(ll - reference[i]![k]!)).toBeLessThan(1e-4)),
        );
        // One item at a time on one sequence: the same numbers as eight batched together (float rounding apart).
        const single = await evaluateItems(one, items);
        single.forEach((r, i) =>
          r.loglikelihoods.forEach((ll, k) => expect(Math.abs(ll - batched[i]!.loglikelihoods[k]!)).toBeLessThan(1e-4)),
        );
      }
    } finally {
      await one.dispose();
      await ctx.dispose();
      await m.dispose();
    }
  });

  it("scores a random-weights model near chance on balanced 4-choice items", async () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        question: `Question number ${i} about energy?`,
        subject: "physics",
        choices: ["one", "two", "three", "four"],
        answer: i % 4,
      }),
    );
    const t = parseTaskJsonl(lines.join("\n"), "mmlu");
    const s = summarize("mmlu", await evaluateItems(lm, t.items));
    // Golds are balanced, so any fixed preference scores 25%; chance ± 4 standard errors.
    expect(s.acc.value).toBeGreaterThan(0.25 - 4 * Math.sqrt((0.25 * 0.75) / 40));
    expect(s.acc.value).toBeLessThan(0.25 + 4 * Math.sqrt((0.25 * 0.75) / 40));
  });
});

describe("slm-energy eval", () => {
  it("writes lm-eval JSON, per-item samples and the rejected lines", async () => {
    const out = join(dir, "results.json");
    const samples = join(dir, "samples.jsonl");
    let stdout = "";
    let stderr = "";
    const code = await main(
      [
        "eval",
        "--model",
        model,
        "--task",
        join(__dirname, "../fixtures/eval/hellaswag.jsonl"),
        "--format",
        "hellaswag",
        "--threads",
        "1",
        "--out",
        out,
        "--samples",
        samples,
      ],
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/hellaswag: 2 items — acc .*%, acc_norm .*%/);
    expect(stderr).toMatch(/hellaswag\.jsonl:3: field "label": answer "7" is out of range/);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(doc.results.hellaswag).sort()).toEqual([
      "acc,none",
      "acc_norm,none",
      "acc_norm_stderr,none",
      "acc_stderr,none",
      "alias",
    ]);
    expect(doc["n-samples"].hellaswag).toEqual({ original: 2, effective: 2 });
    const rejected = readFileSync(join(dir, "results.rejected.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rejected.map((r) => r.line)).toEqual([3, 4]);
    const s = readFileSync(samples, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(s).toHaveLength(2);
    expect(s[0].loglikelihoods).toHaveLength(4);
    for (const ll of s[0].loglikelihoods) expect(ll).toBeLessThan(0);
  });

  it("fails with exit code 2 when no line of the file is an item", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"nothing": 1}\n');
    let stderr = "";
    const code = await main(["eval", "--model", model, "--task", bad, "--format", "winogrande"], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no usable winogrande items/);
  });
});
