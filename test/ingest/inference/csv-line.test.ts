import { describe, expect, it } from "vitest";
import { splitCsvLine } from "../../../src/ingest/inference/csv-line.js";

describe("one CSV line of a streamed log (through csv-parse)", () => {
  it("splits quoted fields with doubled quotes and keeps spaces", () => {
    expect(splitCsvLine('"llama ""3.2"" 1B",512, 0,"a,b"')).toEqual({ fields: ['llama "3.2" 1B', "512", " 0", "a,b"] });
    expect(splitCsvLine("a,,b").fields).toEqual(["a", "", "b"]);
  });

  it("refuses a line with a quote left open, as a truncated line looks", () => {
    expect(splitCsvLine('"model","trunc')).toEqual({
      fields: null,
      reason: "unterminated quoted CSV field (truncated line?)",
    });
  });
});
