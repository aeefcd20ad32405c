import { describe, expect, it } from "vitest";
import { parsePrinted } from "../../src/paper/printed-number.js";

describe("printed numbers carry their precision", () => {
  it.each([
    ["9.07", 9.07, 0.005],
    ["68.25", 68.25, 0.005],
    ["10.9", 10.9, 0.05],
    ["1.33e8", 1.33e8, 0.005e8],
    ["175,690", 175690, 0.5],
    ["2.42 * 10^4", 24200, 50],
    ["1.83 * 10^{10}", 1.83e10, 0.005e10],
    ["0.00171", 0.00171, 0.000005],
  ])("%s → %d ± %d", (text, value, half) => {
    const p = parsePrinted(text);
    expect(p.value).toBeCloseTo(value, 10);
    expect(p.halfUlp / half).toBeCloseTo(1, 9);
    expect(p.approximate).toBe(false);
  });
  it("~33 is an approximation (±5 %)", () => {
    const p = parsePrinted("~33");
    expect(p.approximate).toBe(true);
    expect(p.halfUlp).toBeCloseTo(1.65, 9);
  });
  it("refuses text that is not a number, naming it", () => {
    expect(() => parsePrinted("N/A", { file: "x.csv", line: 3, field: "energy_wh.mmlu" })).toThrow(
      /not a printed number/,
    );
  });
});
