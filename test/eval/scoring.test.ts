import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  encodePair,
  evaluateItems,
  lmEvalResults,
  logSoftmax,
  logSoftmaxFromTotal,
  meanWithStderr,
  parseTaskJsonl,
  scoreItem,
  type ScoringModel,
} from "../../src/eval/index.js";
import { parseLmEvalResults } from "../../src/ingest/accuracy/lm-eval.js";

/**
 * A deterministic "model": characters are tokens; the logits of the next token are fixed, so the
 * log-probability of a continuation is a sum we can compute by hand. The 128 ASCII codes are the
 * vocabulary; every logit is 0 except ' ' (ln 4) and 'x' (2).
 */
function charModel(): ScoringModel {
  const logits = Array.from({ length: 128 }, (_, i) => (i === 32 ? Math.log(4) : i === 120 ? 2 : 0));
  const lsm = logSoftmax(logits);
  return {
    bos: null,
    tokenize: (t) =>
      [...t].map((c) => {
        const i = c.charCodeAt(0);
        if (i >= 128) throw new Error(`char ${c} outside the 7-bit vocabulary`);
        return i;
      }),
    async scoreContinuation(_ctx, cont) {
      return { logprobs: cont.map((t) => lsm[t]!), greedy: cont.map((t) => logits[t] === Math.max(...logits)) };
    },
    describe: () => "char model",
    dispose: async () => undefined,
  };
}

describe("log-probabilities", () => {
  it("log softmax from the total logit weight equals the direct formula", () => {
    const logits = [1.5, -0.25, 3, 0.75];
    const max = 3;
    const total = logits.reduce((a, l) => a + Math.exp(l - max), 0);
    const direct = logSoftmax(logits);
    logits.forEach((l, i) => expect(logSoftmaxFromTotal(l, max, total)).toBeCloseTo(direct[i]!, 14));
    expect(direct.reduce((a, v) => a + Math.exp(v), 0)).toBeCloseTo(1, 14);
    expect(() => logSoftmaxFromTotal(1, 1, 0.5)).toThrow(/≥ 1/);
  });
});

describe("acc and acc_norm", () => {
  it("acc takes the likeliest choice; acc_norm divides by the choice's byte length first", () => {
    // Choice 0 is short and a bit less likely in total; per byte it wins.
    const s = scoreItem([-3, -2.5], 0, ["abc", "a"]); // totals: −3 < −2.5; per byte: −1 > −2.5
    expect(s).toEqual({ pred: 1, predNorm: 0, acc: 0, accNorm: 1 });
  });

  it("breaks ties towards the first choice, as numpy's argmax", () => {
    expect(scoreItem([-1, -1, -1, -1], 0, ["A", "B", "C", "D"]).pred).toBe(0);
  });

  it("counts bytes, not UTF-16 units, for non-ASCII choices", () => {
    // "é" is 2 bytes: −4/2 = −2 beats −2.5/1.
    expect(scoreItem([-4, -2.5], 0, ["é", "e"]).predNorm).toBe(0);
  });

  it("standard error is the sample standard deviation over √n", () => {
    const r = meanWithStderr([1, 0, 0, 1, 1]);
    expect(r.mean).toBeCloseTo(0.6, 15);
    expect(r.stderr).toBeCloseTo(Math.sqrt(0.3 / 5), 15); // sample variance 0.3
    expect(meanWithStderr([1]).stderr).toBeNull();
  });
});

describe("lm-eval's context/continuation split", () => {
  it("moves trailing spaces of the context into the continuation", () => {
    const tok = (t: string) => [...t].map((c) => c.charCodeAt(0));
    const p = encodePair("Answer: ", "B", tok);
    expect(String.fromCharCode(...p.contextTokens)).toBe("Answer:");
    expect(String.fromCharCode(...p.continuationTokens)).toBe(" B");
  });
});

describe("a whole task through a deterministic model", () => {
  it("scores every choice by hand-computable log-likelihoods and writes lm-eval JSON that ingest reads", async () => {
    const lm = charModel();
    const text = [
      // gold 1 = " B"; all letters are 1 token: " " + letter → equal ll for A–D except none is 'x' → tie → pred 0
      '{"question": "q?", "subject": "s_one", "choices": ["a", "b", "c", "d"], "answer": 0}',
      '{"question": "q?", "subject": "s_one", "choices": ["a", "b", "c", "d"], "answer": 1}',
      '{"question": "q?", "subject": "s_two", "choices": ["a", "b", "c", "d"], "answer": 0}',
    ].join("\n");
    const task = parseTaskJsonl(text, "mmlu");
    const results = await evaluateItems(lm, task.items);
    // ll(" A") = lsm[' '] + lsm['A']; equal for every letter → argmax 0.
    const z = Math.log(4 + Math.exp(2) + 126);
    expect(results[0]!.loglikelihoods[0]).toBeCloseTo(Math.log(4) - z + (0 - z), 12);
    expect(results.map((r) => r.acc)).toEqual([1, 0, 1]);
    const doc = lmEvalResults("mmlu", results, {
      modelPath: "/m.gguf",
      modelDescription: "char",
      taskFile: "/t.jsonl",
      limit: null,
      originalCount: 3,
      rejected: 0,
      startedS: 1,
      endedS: 2,
    });
    const res = doc.results as Record<string, Record<string, unknown>>;
    expect(res.mmlu!["acc,none"]).toBeCloseTo(2 / 3, 15);
    expect(res.mmlu!["acc_stderr,none"]).toBeCloseTo(Math.sqrt(1 / 3 / 3), 15);
    expect(res.mmlu_s_one!["acc,none"]).toBe(0.5);
    expect(res.mmlu_s_two!["acc_stderr,none"]).toBe("N/A");
    expect((doc.group_subtasks as Record<string, string[]>).mmlu).toEqual(["mmlu_s_one", "mmlu_s_two"]);

    const quarantined: unknown[] = [];
    const parsed = parseLmEvalResults(JSON.stringify(doc), "results.json", {
      quarantine: (q) => void quarantined.push(q),
      warn: () => undefined,
    });
    expect(quarantined).toEqual([]);
    const acc = parsed.filter((r) => r.metric === "acc");
    expect(acc.find((r) => r.task === "mmlu")).toMatchObject({ value: 2 / 3, n: 3, group: true });
    expect(acc.find((r) => r.task === "mmlu_s_one")).toMatchObject({ value: 0.5, n: 2 });
  });

  it("gives winogrande acc_norm = acc: both choices score the same continuation, so one length divides both", async () => {
    // A fake whose log-likelihood falls with the context's length: the shorter option ("Ian") wins
    // acc, while dividing by the options' own lengths (3 vs 6 bytes) would pick "Dennis".
    const lm = {
      ...charModel(),
      scoreContinuation: async (ctx: readonly number[]) => ({ logprobs: [-ctx.length], greedy: [false] }),
    };
    const t = parseTaskJsonl(readFileSync(join(__dirname, "../fixtures/eval/winogrande.jsonl"), "utf8"), "winogrande");
    const r = await evaluateItems(lm, t.items);
    expect(r[0]!.pred).toBe(0);
    for (const x of r) {
      expect(x.predNorm).toBe(x.pred);
      expect(x.accNorm).toBe(x.acc);
    }
  });

  it("scores winogrande's one continuation under each option's context", async () => {
    const lm = charModel();
    const t = parseTaskJsonl(readFileSync(join(__dirname, "../fixtures/eval/winogrande.jsonl"), "utf8"), "winogrande");
    const r = await evaluateItems(lm, t.items);
    // The char model ignores the context, so both options tie and the first wins.
    expect(r.map((x) => x.pred)).toEqual([0, 0]);
    expect(r[0]!.loglikelihoods[0]).toBe(r[0]!.loglikelihoods[1]);
  });
});
