import { describe, expect, it } from "vitest";
import { joulesPerToken, tokensPerJ } from "../../src/metrics/energy.js";

describe("energy per token and tokens per joule", () => {
  it("divides a phase's energy by its tokens, and tokens by energy", () => {
    expect(joulesPerToken(12.8, 512)).toBe(0.025);
    expect(tokensPerJ(1000, 250)).toBe(4);
    expect(joulesPerToken(0, 10)).toBe(0);
    // Net of idle, a phase may be below the baseline: the ratio keeps the sign.
    expect(joulesPerToken(-1, 4)).toBe(-0.25);
  });

  it("refuses what has no meaning, naming the field", () => {
    expect(() => joulesPerToken(1, 0)).toThrow(expect.objectContaining({ field: "tokens" }));
    expect(() => joulesPerToken(Number.NaN, 3)).toThrow(expect.objectContaining({ field: "energyJ" }));
    expect(() => tokensPerJ(10, 0)).toThrow(expect.objectContaining({ field: "energyJ" }));
    expect(() => tokensPerJ(-1, 2)).toThrow(expect.objectContaining({ field: "tokens" }));
  });
});
