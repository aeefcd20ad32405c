import { describe, expect, it } from "vitest";
import { benchmarkAccuracyPct, collectingSink, parseLmEvalResults } from "../../../src/ingest/index.js";
import { readLmEvalResults } from "../../../src/io/accuracy/lm-eval.js";
import { fixture, fixtureText } from "../inference/helpers.js";

describe("lm-evaluation-harness results", () => {
  it("reads metric,filter keys with their stderr and the effective sample count", async () => {
    const p = await readLmEvalResults(fixture("inference/lm-eval-hellaswag.json"));
    expect(
      p.results.map(({ task, metric, value, stderr, n, group }) => ({ task, metric, value, stderr, n, group })),
    ).toEqual([
      { task: "hellaswag", metric: "acc", value: 0.4312, stderr: 0.0049, n: 400, group: false },
      { task: "hellaswag", metric: "acc_norm", value: 0.5611, stderr: 0.0049, n: 400, group: false },
    ]);
    expect(p.results[0]!.line).toBe(3);
    expect(p.quarantined).toEqual([]);
  });

  it("reads groups: N/A stderr → null, group n = sum of its subtasks, non-numeric values quarantined", () => {
    const sink = collectingSink();
    const r = parseLmEvalResults(fixtureText("inference/lm-eval-mmlu.json"), "mmlu.json", sink);
    const by = (task: string) => r.find((x) => x.task === task && x.metric === "acc")!;
    expect(by("mmlu")).toMatchObject({ value: 0.2571, stderr: 0.0116, n: 400, group: true });
    expect(by("mmlu_humanities")).toMatchObject({ n: 200, group: true });
    expect(by("mmlu_world_religions")).toMatchObject({ value: 0.21, stderr: null, n: 100, group: false });
    expect(r.filter((x) => x.task === "mmlu")).toHaveLength(1);
    expect(sink.quarantined).toEqual([
      {
        file: "mmlu.json",
        line: 9,
        text: expect.stringContaining("mmlu_college_physics"),
        reason: 'metric "acc,none" of task "mmlu_college_physics" has no numeric value',
      },
    ]);
  });

  it("reads pre-0.4 results without filters", () => {
    const r = parseLmEvalResults(fixtureText("inference/lm-eval-v03-winogrande.json"), "w.json", collectingSink());
    expect(r).toEqual([
      {
        task: "winogrande",
        metric: "acc",
        filter: "none",
        value: 0.5935280189423836,
        stderr: 0.013804448697753376,
        n: null,
        group: false,
        line: 3,
      },
    ]);
  });

  it("keeps non-none filters in the metric name", () => {
    const text = JSON.stringify({
      results: {
        gsm8k: {
          "exact_match,strict-match": 0.1,
          "exact_match_stderr,strict-match": 0.01,
          "exact_match,flexible-extract": 0.2,
          "exact_match_stderr,flexible-extract": "N/A",
        },
      },
    });
    const r = parseLmEvalResults(text, "g.json", collectingSink());
    expect(r.map((x) => [x.metric, x.filter, x.stderr])).toEqual([
      ["exact_match,strict-match", "strict-match", 0.01],
      ["exact_match,flexible-extract", "flexible-extract", null],
    ]);
  });

  it("gives a benchmark's accuracy in percent", () => {
    const r = parseLmEvalResults(fixtureText("inference/lm-eval-hellaswag.json"), "h.json", collectingSink());
    const acc = benchmarkAccuracyPct(r, "hellaswag")!;
    expect(acc.accuracyPct).toBeCloseTo(43.12, 10);
    expect(acc.stderrPct).toBeCloseTo(0.49, 10);
    expect(acc.n).toBe(400);
    expect(benchmarkAccuracyPct(r, "hellaswag", "acc_norm")!.accuracyPct).toBeCloseTo(56.11, 10);
    expect(benchmarkAccuracyPct(r, "mmlu")).toBeNull();
  });

  it("fails on a truncated file with file and line", () => {
    const text = fixtureText("inference/lm-eval-hellaswag.json").slice(0, 120);
    expect(() => parseLmEvalResults(text, "cut.json", collectingSink())).toThrow(/not valid JSON/);
    try {
      parseLmEvalResults(text, "cut.json", collectingSink());
    } catch (e) {
      expect((e as { file: string }).file).toBe("cut.json");
    }
  });
});
