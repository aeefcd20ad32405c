import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  dequantizeQ4_0,
  dequantizeQ8_0,
  fromHalfBits,
  quantizeQ4_0,
  quantizeQ8_0,
  roundToHalf,
  toHalfBits,
} from "../../src/gguf/index.js";

describe("half precision", () => {
  it("encodes the values every f16 table lists", () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00); // overflow → +Inf
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it("rounds ties to even", () => {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1).
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even): goes up.
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it("round-trips every finite half value exactly", () => {
    for (let h = 0; h < 0x7c00; h++) {
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
      expect(toHalfBits(-fromHalfBits(h)) & 0x7fff).toBe(h);
    }
  });
});

describe("Q8_0 blocks", () => {
  it("encodes a block by hand: scale max|x|/127 as f16, then round(x/d)", () => {
    const x = Array.from({ length: 32 }, (_, i) => (i - 16) / 16); // −1 … 0.9375
    const out = new Uint8Array(34);
    expect(quantizeQ8_0(x, out)).toBe(34);
    const view = new DataView(out.buffer);
    expect(view.getUint16(0, true)).toBe(toHalfBits(1 / 127));
    expect(view.getInt8(2)).toBe(-127); // −1 / (1/127)
    expect(view.getInt8(2 + 16)).toBe(0);
    expect(view.getInt8(2 + 24)).toBe(64); // 0.5·127 = 63.5 → 64 (half away from zero)
    expect(view.getInt8(2 + 8)).toBe(-64); // −63.5 → −64
  });

  it("reconstructs random data within half a step (plus the f16 scale error) when the scale is a normal half", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 32, maxLength: 32 }), (xs) => {
        const amax = Math.max(...xs.map(Math.abs));
        // A scale below 2^-14 is a subnormal half with few significant bits (as in ggml): not this bound.
        fc.pre(amax / 127 >= 2 ** -14);
        const out = new Uint8Array(34);
        quantizeQ8_0(xs, out);
        const back = dequantizeQ8_0(out, 1);
        const d = roundToHalf(amax / 127);
        for (let i = 0; i < 32; i++)
          expect(Math.abs(back[i]! - xs[i]!)).toBeLessThanOrEqual(d / 2 + amax * 1e-3 + 1e-30);
      }),
    );
  });
});

describe("all-zero blocks", () => {
  it("encode with scale 0 and decode to exact zeros", () => {
    const zeros = new Array(32).fill(0);
    const q8 = new Uint8Array(34);
    const q4 = new Uint8Array(18);
    quantizeQ8_0(zeros, q8);
    quantizeQ4_0(zeros, q4);
    expect([...dequantizeQ8_0(q8, 1)].every((v) => v === 0)).toBe(true);
    expect([...dequantizeQ4_0(q4, 1)].every((v) => v === 0)).toBe(true);
  });
});

describe("Q4_0 blocks", () => {
  it("packs value j in the low nibble and value j+16 in the high nibble of byte j", () => {
    const x = new Array(32).fill(0);
    x[0] = -8; // largest magnitude, negative: d = −8/−8 = 1
    x[16] = 7;
    x[1] = 3;
    x[17] = -3;
    const out = new Uint8Array(18);
    expect(quantizeQ4_0(x, out)).toBe(18);
    const view = new DataView(out.buffer);
    expect(fromHalfBits(view.getUint16(0, true))).toBe(1);
    expect(out[2]).toBe(0x0 | (15 << 4)); // −8+8 = 0 low; 7+8 = 15 high
    expect(out[3]).toBe(11 | (5 << 4)); // 3+8 = 11 low; −3+8 = 5 high
    expect(out[4]).toBe(8 | (8 << 4)); // zeros → 8
    const back = dequantizeQ4_0(out, 1);
    expect(back[0]).toBe(-8);
    expect(back[16]).toBe(7);
    expect(back[1]).toBe(3);
    expect(back[17]).toBe(-3);
  });

  it("reconstructs random data within one step when the scale is a normal half", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 64, maxLength: 64 }), (xs) => {
        for (let b = 0; b < 2; b++) fc.pre(Math.max(...xs.slice(b * 32, b * 32 + 32).map(Math.abs)) / 8 >= 2 ** -14);
        const out = new Uint8Array(36);
        quantizeQ4_0(xs, out);
        const back = dequantizeQ4_0(out, 2);
        for (let b = 0; b < 2; b++) {
          const block = xs.slice(b * 32, b * 32 + 32);
          const amax = Math.max(...block.map(Math.abs));
          const d = Math.abs(roundToHalf(amax / 8));
          for (let i = 0; i < 32; i++)
            expect(Math.abs(back[b * 32 + i]! - block[i]!)).toBeLessThanOrEqual(d + amax * 1e-3 + 1e-30);
        }
      }),
    );
  });
});
