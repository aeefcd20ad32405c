import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv } from "../../src/io/csv.js";

describe("CSV", () => {
  it("keeps line numbers through quoted multi-line fields and CRLF", () => {
    const t = parseCsv('a,b\r\n1,"x\ny"\r\n\r\n2,"q""z"\r\n', "f.csv");
    expect(t.header).toEqual(["a", "b"]);
    expect(t.records.map((r) => r.line)).toEqual([2, 5]);
    expect(t.records[0]!.values.b).toBe("x\ny");
    expect(t.records[1]!.values.b).toBe('q"z');
  });
  it("counts the blank lines it skips (LF line ends too)", () => {
    expect(parseCsv("a\n1\n\n\n2\n", "f.csv").records.map((r) => r.line)).toEqual([2, 5]);
    expect(parseCsv("a\r\n1\r\n\r\n2\r\n", "f.csv").records.map((r) => r.line)).toEqual([2, 4]);
  });
  it("names file and line of a ragged row", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", "f.csv")).toThrow(/expected 2 fields, found 1/);
    try {
      parseCsv("a,b\n1,2\n3\n", "f.csv");
    } catch (e) {
      expect((e as { line: number }).line).toBe(3);
      expect((e as { file: string }).file).toBe("f.csv");
    }
  });
  it("round-trips through formatCsv", () => {
    const text = formatCsv(
      ["a", "b"],
      [
        { a: "x,y", b: 1.5 },
        { a: null, b: 'q"' },
      ],
    );
    const back = parseCsv(text, "t");
    expect(back.records.map((r) => r.values)).toEqual([
      { a: "x,y", b: "1.5" },
      { a: "", b: 'q"' },
    ]);
  });
});
