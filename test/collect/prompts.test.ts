import { describe, expect, it } from "vitest";
import { benchmarkLikePrompts, parsePromptsJsonl } from "../../src/collect/index.js";
import { SlmError } from "../../src/errors.js";

describe("prompt files", () => {
  it("reads prompt/text/input objects and bare strings, keeping ids and line numbers", () => {
    const items = parsePromptsJsonl(
      '{"id": "q1", "prompt": "What is 2+2?"}\n\n{"text": "Hello"}\n"bare string"\n{"id": 7, "input": "x"}\n',
      "p.jsonl",
    );
    expect(items).toEqual([
      { id: "q1", prompt: "What is 2+2?", line: 1 },
      { id: null, prompt: "Hello", line: 3 },
      { id: null, prompt: "bare string", line: 4 },
      { id: "7", prompt: "x", line: 5 },
    ]);
  });

  it("stops at a bad line naming the file, the line and the field", () => {
    const bad = (text: string): SlmError => {
      try {
        parsePromptsJsonl(text, "prompts.jsonl");
      } catch (e) {
        return e as SlmError;
      }
      throw new Error("expected an error");
    };
    expect(bad('{"prompt": "ok"}\n{"prompt": "trunc').format()).toMatch(/^prompts\.jsonl:2: not valid JSON/);
    expect(bad('{"prompt": "ok"}\n{"question": "q"}').format()).toMatch(
      /prompts\.jsonl:2: field "prompt": no prompt text/,
    );
    expect(bad('{"prompt": ""}').format()).toMatch(
      /prompts\.jsonl:1: field "prompt": the prompt must be a non-empty string/,
    );
    expect(bad("\n\n").message).toMatch(/holds no prompts/);
  });
});

describe("benchmark-like prompts", () => {
  it("follows the lm-eval zero-shot MMLU layout and is deterministic per seed", () => {
    const a = benchmarkLikePrompts("mmlu", 3, 1);
    expect(a).toHaveLength(3);
    expect(a[0]!.prompt).toMatch(
      /^The following are multiple choice questions \(with answers\) about .+\.\n\n.+\?\nA\. .+\nB\. .+\nC\. .+\nD\. .+\nAnswer:$/s,
    );
    expect(benchmarkLikePrompts("mmlu", 3, 1)).toEqual(a);
    expect(benchmarkLikePrompts("mmlu", 3, 2)).not.toEqual(a);
  });

  it("makes HellaSwag contexts longer than Winogrande sentences, as in the real sets", () => {
    const words = (b: string) => benchmarkLikePrompts(b, 50).reduce((s, p) => s + p.prompt.split(/\s+/).length, 0) / 50;
    expect(words("hellaswag")).toBeGreaterThan(words("winogrande"));
    expect(words("mmlu")).toBeGreaterThan(words("winogrande"));
    expect(() => benchmarkLikePrompts("gsm8k", 1)).toThrow(/unknown benchmark/);
  });
});
