import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hellaswagPreprocess, parseTaskJsonl } from "../../src/eval/index.js";

const fixture = (name: string) => readFileSync(join(__dirname, "../fixtures/eval", name), "utf8");

describe("MMLU layout", () => {
  const t = parseTaskJsonl(fixture("mmlu.jsonl"), "mmlu");

  it("builds lm-eval's zero-shot prompt with the subject header and letter continuations", () => {
    expect(t.items).toHaveLength(4);
    const first = t.items[0]!;
    expect(first.requests[0]!.context).toBe(
      "The following are multiple choice questions (with answers) about high school physics.\n\n" +
        "Which of the following is the SI unit of energy?\nA. watt\nB. joule\nC. newton\nD. pascal\nAnswer:",
    );
    expect(first.requests.map((r) => r.continuation)).toEqual([" A", " B", " C", " D"]);
    expect(first.gold).toBe(1);
    expect(first.subtask).toBe("high_school_physics");
    expect(first.choiceTexts).toEqual(["A", "B", "C", "D"]);
  });

  it("strips the question, reads letter answers, and rejects broken lines with their reason", () => {
    expect(t.items[1]!.requests[0]!.context).toContain(
      "\n\nWhat is the time complexity of binary search on a sorted array of n elements?\nA. O(1)",
    );
    expect(t.items[2]!.gold).toBe(2); // "C"
    expect(t.rejected.map((r) => r.line)).toEqual([4, 5]);
    expect(t.rejected[0]!.reason).toMatch(/^not valid JSON \(truncated line\?\)/);
    expect(t.rejected[1]!.reason).toMatch(/^field "answer": no gold answer/);
  });

  it("honours --limit as the first N items", () => {
    expect(parseTaskJsonl(fixture("mmlu.jsonl"), "mmlu", 2).items.map((i) => i.line)).toEqual([1, 2]);
  });
});

describe("HellaSwag layout", () => {
  const t = parseTaskJsonl(fixture("hellaswag.jsonl"), "hellaswag");

  it("joins ctx_a and capitalized ctx_b under the activity label, continuations start with a space", () => {
    const it0 = t.items[0]!;
    expect(it0.requests[0]!.context).toBe("Roof shingle removal: A man is sitting on a roof. He");
    expect(it0.requests[3]!.continuation).toBe(" starts pulling up roofing on a roof.");
    expect(it0.gold).toBe(3);
    expect(it0.id).toBe("24");
  });

  it("applies lm-eval's preprocessing of WikiHow markup", () => {
    expect(hellaswagPreprocess(" [header] How to clean a window [title] Mix warm water.  ")).toBe(
      " How to clean a window. Mix warm water.",
    ); // lm-eval strips before removing tags
    const it1 = t.items[1]!;
    expect(it1.requests[0]!.context).toBe(
      "Home and Garden: How to clean a window. Mix warm water and dish soap. fill a bucket",
    ); // Python's capitalize() lowers the rest: "[step] fill"
    expect(it1.requests[0]!.continuation).toBe(" with the mixture. Wipe the glass.");
  });

  it("rejects out-of-range and missing labels", () => {
    expect(t.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(t.rejected[0]!.reason).toMatch(/out of range for 2 choices/);
    expect(t.rejected[1]!.reason).toMatch(/no gold answer/);
  });
});

describe("Winogrande layout (partial evaluation)", () => {
  const t = parseTaskJsonl(fixture("winogrande.jsonl"), "winogrande");

  it("puts each option before the blank as context and scores the same rest of the sentence", () => {
    const it0 = t.items[0]!;
    expect(it0.requests).toEqual([
      {
        context: "Ian volunteered to eat Dennis's menudo after already having a bowl because Ian",
        continuation: " despised eating intestine.",
      },
      {
        context: "Ian volunteered to eat Dennis's menudo after already having a bowl because Dennis",
        continuation: " despised eating intestine.",
      },
    ]);
    expect(it0.gold).toBe(1); // answer "2"
    expect(t.items[1]!.gold).toBe(0);
  });

  it("rejects sentences without a blank and unlabeled test items", () => {
    expect(t.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(t.rejected[0]!.reason).toMatch(/no "_" blank/);
  });

  it("refuses an unknown format as a usage error", () => {
    expect(() => parseTaskJsonl("", "arc")).toThrow(
      /unknown task format "arc": expected one of mmlu, hellaswag, winogrande/,
    );
  });
});
