import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanDecimal, strictNumber } from "../../../src/ingest/power/numbers.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("the one byte-level decimal reader", () => {
  it("reads what strictNumber reads, to the same float, for plain decimals of up to 15 digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^ {0,2}[+-]?\d{1,9}(\.\d{0,6})? {0,2}$/), (text) => {
        const out = new Float64Array(1);
        const b = bytes(text);
        expect(scanDecimal(b, 0, b.length, out, 0)).toBe(b.length);
        expect(out[0]).toBe(strictNumber(text));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves anything else to the string path (-1)", () => {
    const out = new Float64Array(1);
    for (const t of ["", "N/A", "1234567890.1234567", "-", "."]) {
      const b = bytes(t);
      expect(scanDecimal(b, 0, b.length, out, 0)).toBe(-1);
    }
  });

  it("stops at the first byte that is not part of the number", () => {
    const out = new Float64Array(2);
    const b = bytes("12.5,3\n");
    expect(scanDecimal(b, 0, b.length, out, 1)).toBe(4);
    expect(out[1]).toBe(12.5);
    // An exponent is not read: the reader stops at "e", where the caller expects a delimiter and takes the string path.
    expect(scanDecimal(bytes("1e3"), 0, 3, out, 0)).toBe(1);
  });
});
