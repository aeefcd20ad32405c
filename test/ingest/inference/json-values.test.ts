import { describe, expect, it } from "vitest";
import { createJsonSplitter } from "../../../src/ingest/inference/json-values.js";
import { collectingSink } from "../../../src/ingest/inference/sink.js";

describe("the JSON record splitter", () => {
  it("cuts an array written on one line into its elements (once quarantined whole)", () => {
    const sink = collectingSink();
    const s = createJsonSplitter("f.json", sink);
    const out = [...s.push('[{"a":1}, {"b":"x]"}]', 1), ...s.end()];
    expect(out).toEqual([
      { text: '{"a":1}', line: 1, lineEnd: 1 },
      { text: '{"b":"x]"}', line: 1, lineEnd: 1 },
    ]);
    expect(sink.quarantined).toEqual([]);
  });

  it("keeps the lines of pretty-printed elements", () => {
    const s = createJsonSplitter("f.json", collectingSink());
    const lines = ["[", ' {"a":', " 1},", '{"b":2}', "]"];
    const out = [...lines.flatMap((l, i) => s.push(l, i + 1)), ...s.end()];
    expect(out).toEqual([
      { text: '{"a":\n 1}', line: 2, lineEnd: 3 },
      { text: '{"b":2}', line: 4, lineEnd: 4 },
    ]);
  });
});
