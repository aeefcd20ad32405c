import { describe, expect, it } from "vitest";
import { parseInferenceSamples } from "../../src/io/inference-samples.js";
import { runUncertainty, runUncertaintyCsv } from "../../src/stats/ingested.js";

const header = "run_id,device,backend,power_mode,model,quantization,benchmark,index,latency_s,energy_gross_j,correct";
const csv = (rows: string[]): string => [header, ...rows].join("\n") + "\n";

describe("uncertainty of ingested runs from per-inference rows", () => {
  it("a run of four inferences: mean latency, mean energy over covered rows (J → Wh), Wilson accuracy over scored rows", () => {
    const samples = parseInferenceSamples(
      csv([
        "r1,jetson-orin-nano,gpu,MAXN,llama-3.2-1b,Q8_0,mmlu,0,0.5,7.2,true",
        "r1,jetson-orin-nano,gpu,MAXN,llama-3.2-1b,Q8_0,mmlu,1,0.7,,false",
        "r1,jetson-orin-nano,gpu,MAXN,llama-3.2-1b,Q8_0,mmlu,2,0.6,10.8,true",
        "r1,jetson-orin-nano,gpu,MAXN,llama-3.2-1b,Q8_0,mmlu,3,0.6,9.0,",
      ]),
      "inferences.csv",
    );
    const [r] = runUncertainty(samples, { seed: 3 });
    expect(r!.inferences).toBe(4);
    expect(r!.latencyS.estimate).toBeCloseTo(0.6, 12);
    expect(r!.latencyS.lo).toBeGreaterThanOrEqual(0.5);
    expect(r!.latencyS.hi).toBeLessThanOrEqual(0.7);
    // Energy: (7.2 + 10.8 + 9.0) / 3 J = 9 J = 0.0025 Wh, over the 3 covered inferences.
    expect(r!.inferencesWithEnergy).toBe(3);
    expect(r!.energyPerInferenceWh!.estimate).toBeCloseTo(0.0025, 12);
    // Accuracy: 2 of 3 scored.
    expect(r!.scored).toBe(3);
    expect(r!.accuracyPct!.estimate).toBeCloseTo(200 / 3, 10);
    expect(runUncertaintyCsv([r!])).toMatch(/^run_id,simulated,device,[^\n]*\nr1,false,jetson-orin-nano,/);
    expect(runUncertaintyCsv([r!], new Set(["r1"]))).toMatch(/\nr1,true,/);
  });
  it("a run with no power coverage has no energy interval, and no scored rows no accuracy", () => {
    const [r] = runUncertainty(
      parseInferenceSamples(csv(["r2,raspberry-pi-5,cpu,,tinyllama-1.1b,Q4_0,,0,2.0,,"]), "x.csv"),
    );
    expect(r!.energyPerInferenceWh).toBeNull();
    expect(r!.accuracyPct).toBeNull();
  });
  it("names file, line and field of a bad value", () => {
    expect(() =>
      parseInferenceSamples(csv(["r1,jetson-nano,cpu,,phi-3-mini,Q4_0,mmlu,0,fast,1,true"]), "inferences.csv"),
    ).toThrow(expect.objectContaining({ file: "inferences.csv", line: 2, field: "latency_s" }));
    try {
      parseInferenceSamples(csv(["r1,jetson-nano,cpu,,phi-3-mini,Q4_0,mmlu,0,1.0,1,maybe"]), "inferences.csv");
      expect.unreachable();
    } catch (e) {
      expect((e as { line: number; field: string }).line).toBe(2);
      expect((e as { field: string }).field).toBe("correct");
    }
  });
});
