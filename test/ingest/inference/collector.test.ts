import { describe, expect, it } from "vitest";
import { parseInferenceText, validateCollectorRecord } from "../../../src/ingest/inference/index.js";
import { fixtureText } from "./helpers.js";

const good = {
  schema: "slm-energy/inference@1",
  index: 0,
  item_id: "mmlu/test/1",
  start_s: 1760000000.25,
  end_s: 1760000002.25,
  prompt_tokens: 120,
  gen_tokens: 1,
  prefill_ms: 1900,
  decode_ms: 60,
  correct: true,
};

describe("collector JSONL (CollectorRecordV1)", () => {
  it("reads every record with wall-clock times, prefill/decode and the scoring outcome", async () => {
    const p = await parseInferenceText(fixtureText("inference/collector.jsonl"));
    expect(p.format).toBe("collector-jsonl");
    expect(p.records).toHaveLength(4);
    expect(p.records[1]).toMatchObject({
      index: 1,
      itemId: "hellaswag/val/1024",
      startS: 1760000002.567029,
      endS: 1760000004.290324,
      promptTokens: 187,
      genTokens: 1,
      promptMs: 1650.004,
      genMs: 60.991,
      correct: false,
      line: 2,
    });
    expect(p.quarantined).toEqual([]);
  });

  it("validates every field and names each problem", () => {
    expect(validateCollectorRecord(good)).toEqual([]);
    expect(validateCollectorRecord({ ...good, index: -1 })).toEqual([
      expect.stringMatching(/^field "index": expected an integer ≥ 0/),
    ]);
    expect(validateCollectorRecord({ ...good, correct: "yes" })).toEqual([expect.stringMatching(/^field "correct"/)]);
    expect(validateCollectorRecord({ ...good, schema: "slm-energy/inference@2" })).toEqual([
      expect.stringMatching(/^field "schema"/),
    ]);
    const { decode_ms: _omit, ...missing } = good;
    expect(validateCollectorRecord(missing)).toEqual(['field "decode_ms": missing']);
    expect(validateCollectorRecord({ ...good, end_s: good.start_s - 1 })[0]).toMatch(/before start_s/);
    expect(validateCollectorRecord({ ...good, prefill_ms: 5000 })[0]).toMatch(/exceed end_s − start_s/);
    expect(validateCollectorRecord({ ...good, extra_field: 1 })).toEqual([]);
  });

  it("quarantines bad, truncated, duplicated and out-of-order lines with their line numbers", async () => {
    const line = (o: object) => JSON.stringify(o);
    const text = [
      line(good),
      line({ ...good, index: 1, start_s: 1760000003, end_s: 1760000005, prompt_tokens: "many" }),
      line({ ...good, index: 2, start_s: 1760000006, end_s: 1760000008 }).slice(0, 40),
      line({ ...good, index: 0, start_s: 1760000009, end_s: 1760000011 }),
      line({ ...good, index: 4, start_s: 1759999000, end_s: 1759999002 }),
      "",
      line({ ...good, index: 5, start_s: 1760000020, end_s: 1760000022 }),
    ].join("\n");
    const p = await parseInferenceText(text, { file: "runs.jsonl" });
    expect(p.records.map((r) => r.index)).toEqual([0, 5]);
    expect(p.quarantined.map((q) => [q.file, q.line, q.reason])).toEqual([
      ["runs.jsonl", 2, expect.stringMatching(/field "prompt_tokens"/)],
      ["runs.jsonl", 3, expect.stringMatching(/not valid JSON/)],
      ["runs.jsonl", 4, expect.stringMatching(/index.*already seen/)],
      ["runs.jsonl", 5, expect.stringMatching(/back in time/)],
    ]);
  });
});
