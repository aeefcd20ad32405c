import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../src/io/suggest.js";

describe("did you mean", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("idle", "idle")).toBe(0);
  });
  it("suggests the nearest candidate within two edits, the earlier one on a tie", () => {
    expect(closest("power_calibraton", ["power_mode", "power_calibration"])).toBe("power_calibration");
    expect(closest("idel", ["inference", "idle"])).toBe("idle");
    expect(closest("ab", ["ax", "ay"])).toBe("ax");
    expect(closest("zzzz", ["idle"])).toBeUndefined();
    expect(didYouMean("modle", ["model"])).toBe(' (did you mean "model"?)');
    expect(didYouMean("zzzz", ["model"])).toBe("");
  });
});
