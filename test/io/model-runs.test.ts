import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadDeviceCatalog, loadModelCatalog, loadQuantCatalog } from "../../src/io/catalog/index.js";
import { observationsFromRunsCsv } from "../../src/io/model-runs.js";

const ROOT = join(import.meta.dirname, "..", "..");
const catalogs = {
  devices: loadDeviceCatalog(ROOT),
  models: loadModelCatalog(ROOT),
  quants: loadQuantCatalog(ROOT),
  quantByModel: { "llama-3.2-1b": "Q8_0" },
};
const header = "run_id,device,backend,model,benchmark,inferences,latency_s,energy_per_inference_wh,prompt_tokens";

describe("runs.csv as observations", () => {
  it("keeps usable rows and rejects the rest with their line and reason", () => {
    const csv = [
      header,
      "r1,raspberry-pi-5,cpu,llama-3.2-1b,mmlu,10,2.5,0.004,1000",
      "r2,raspberry-pi-5,cpu,llama-3.2-1b,mmlu,ten,2.5,0.004,",
      "r3,raspberry-pi-5,cpu,llama-3.2-1b,mmlu,10,2.5,,",
      "r4,raspberry-pi-5,npu,llama-3.2-1b,mmlu,10,2.5,0.004,",
    ].join("\n");
    const r = observationsFromRunsCsv(csv, "runs.csv", catalogs);
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({ latencyS: 2.5, energyWh: 0.004, promptTokens: 100, quant: "Q8_0" });
    expect(r.rejected).toEqual([
      { file: "runs.csv", line: 3, reason: "expected a finite number (field inferences)" },
      {
        file: "runs.csv",
        line: 4,
        reason: "no energy per inference (the run had no power log covering its inferences)",
      },
      { file: "runs.csv", line: 5, reason: "backend must be cpu or gpu (field backend)" },
    ]);
  });

  it("refuses a file without a column the model needs", () => {
    expect(() => observationsFromRunsCsv("device,backend\nx,cpu\n", "runs.csv", catalogs)).toThrow(
      /missing column "model"/,
    );
  });
});
