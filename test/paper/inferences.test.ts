import { describe, expect, it } from "vitest";
import { deriveInferenceCounts } from "../../src/paper/inferences.js";
import { loadPaper } from "../../src/io/paper.js";
import type { PaperCell } from "../../src/paper/types.js";
import { ROOT } from "../helpers.js";

describe("inferences per benchmark, derived from the tables", () => {
  it("MMLU 1000, HellaSwag 400, Winogrande 500", () => {
    const ev = deriveInferenceCounts(loadPaper(ROOT).cells);
    expect([ev.mmlu.inferences, ev.hellaswag.inferences, ev.winogrande.inferences]).toEqual([1000, 400, 500]);
    // Every accuracy is a whole number of correct answers out of N.
    for (const e of Object.values(ev)) {
      const acc = e.byRelation.find((r) => r.relation.startsWith("accuracy"))!;
      expect(acc.supporting).toBe(acc.total);
    }
  });

  it("recovers a count it was not told, from a hand-made table (N = 250)", () => {
    // 250 inferences of 2 s at 3.6 Wh in total: EDP = 12960 J × 500 s; power = 3.6/500 Wh/s; 62.4 % = 156/250.
    const base = {
      table: "consolidated" as const,
      device: "jetson-nano" as const,
      backend: "cpu" as const,
      model: "phi-3-mini" as const,
      benchmark: "hellaswag" as const,
    };
    const src = { file: "t", csvLine: 1, printedRow: 1, sourceLine: 1 };
    const cell = (metric: PaperCell["metric"], printed: string): PaperCell => ({
      ...base,
      metric,
      printed,
      value: Number(printed),
      source: src,
    });
    const ev = deriveInferenceCounts([
      cell("energy_wh", "3.60"),
      cell("latency_s", "2.00"),
      cell("edp_js", "6.48e6"),
      cell("power_wh_per_s", "0.00720"),
      cell("accuracy_pct", "62.4"),
    ]);
    expect(ev.hellaswag.inferences).toBe(250);
    expect(ev.hellaswag.supporting).toBe(3);
  });
});
