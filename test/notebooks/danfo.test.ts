import { describe, expect, it } from "vitest";
import { danfo, dataFrame } from "../../src/notebooks/danfo.js";
import { frameHtml } from "../../src/notebooks/display.js";

describe("the typed danfojs helper for notebooks", () => {
  it("loads danfojs once and builds frames from records", () => {
    expect(danfo()).toBe(danfo());
    const df = dataFrame([
      { board: "orin", "energy mWh": 1.5 },
      { board: "rpi5", "energy mWh": 0.25 },
    ]);
    expect(df.columns).toEqual(["board", "energy mWh"]);
    expect(df.shape).toEqual([2, 2]);
    expect(frameHtml(df)).toContain("<td>rpi5</td>");
  });

  it("keeps float64 values as given (frames shape and display; arithmetic stays outside)", () => {
    const df = dataFrame([{ x: 0.1 + 0.2 }]);
    expect(df.values).toEqual([[0.30000000000000004]]);
  });
});
