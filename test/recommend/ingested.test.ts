import { describe, expect, it } from "vitest";
import { ingestedCandidates } from "../../src/recommend/ingested.js";
import { parseInferenceSamples } from "../../src/io/inference-samples.js";
import { runUncertainty } from "../../src/stats/ingested.js";

const header = "run_id,device,backend,power_mode,model,quantization,benchmark,latency_s,energy_gross_j,correct";
const rows = [
  "ok,jetson-orin-nano,gpu,MAXN_SUPER,phi-3-mini,Q4_0,winogrande,0.2,2.0,true",
  "ok,jetson-orin-nano,gpu,MAXN_SUPER,phi-3-mini,Q4_0,winogrande,0.2,2.4,false",
  "sim,jetson-orin-nano,gpu,MAXN_SUPER,phi-3-mini,Q4_0,winogrande,0.2,2.0,true",
  "dark,raspberry-pi-5,cpu,,tinyllama-1.1b,Q4_0,winogrande,1.0,,true",
  "blind,raspberry-pi-5,cpu,,tinyllama-1.1b,Q4_0,winogrande,1.0,9,",
  "other,raspberry-pi-5,cpu,,tinyllama-1.1b,Q4_0,gsm8k,1.0,9,true",
];
const runs = runUncertainty(parseInferenceSamples([header, ...rows].join("\n") + "\n", "inferences.csv"), { seed: 1 });

describe("ingested runs as candidates", () => {
  it("keeps the complete run: 1 of 2 correct = 50 %, (2.0 + 2.4) J / 2 / 3600 Wh per inference", () => {
    const r = ingestedCandidates(runs, new Set(["sim"]));
    expect(r.runs).toBe(5);
    expect(r.candidates).toHaveLength(1);
    const c = r.candidates[0]!;
    expect(c).toMatchObject({
      source: "measured",
      model: "phi-3-mini",
      quant: "Q4_0",
      powerMode: "MAXN_SUPER",
      benchmark: "winogrande",
      accuracyPct: 50,
    });
    expect(c.energyPerInferenceWh).toBeCloseTo(2.2 / 3600, 15);
  });
  it("leaves out simulated, unpowered, unscored and non-study runs, each with its reason", () => {
    const r = ingestedCandidates(runs, new Set(["sim"]));
    expect(r.excluded).toEqual([
      "ingested run sim: a simulated run",
      "ingested run dark: no inference has energy (no power log covers it)",
      "ingested run blind: no inference is scored, so its accuracy is unknown",
      'ingested run other: benchmark "gsm8k" is not one of the study\'s',
    ]);
  });
});
