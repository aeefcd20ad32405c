import { describe, expect, it } from "vitest";
import { parseInferenceSamples } from "../../src/io/inference-samples.js";
import type { SlmError } from "../../src/errors.js";

const header = "run_id,device,backend,power_mode,model,quantization,benchmark,index,latency_s,energy_gross_j,correct";

describe("CSV rows through zod (io/csv-rows)", () => {
  it("reports every bad cell of every row at once, each with its line and column", () => {
    const text = [
      header,
      "r1,jetson-nano,cpu,,phi-3-mini,Q4_0,mmlu,0,fast,1,true",
      "r1,jetson-nano,cpu,,phi-3-mini,Q4_0,mmlu,1,1.0,-2,maybe",
    ].join("\n");
    let err: SlmError | undefined;
    try {
      parseInferenceSamples(text + "\n", "inferences.csv");
    } catch (e) {
      err = e as SlmError;
    }
    expect(err).toBeDefined();
    const all = [err!, ...err!.issues].map((i) => `${i.line}:${i.field}`);
    expect(all).toEqual(["2:latency_s", "3:energy_gross_j", "3:correct"]);
    expect(err!.message).toMatch(/expected a finite number \(and 2 more problem/);
  });

  it("names a missing column at the header", () => {
    expect(() => parseInferenceSamples("run_id,device\nr1,x\n", "inferences.csv")).toThrow(
      expect.objectContaining({ line: 1, field: "backend" }),
    );
  });
});
