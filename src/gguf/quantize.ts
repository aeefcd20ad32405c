/**
 * Block quantization exactly as ggml's reference code (`quantize_row_q8_0_ref`,
 * `quantize_row_q4_0_ref` in ggml-quants.c) and the matching dequantization.
 *
 * Q8_0 block (34 bytes, 32 values): f16 scale d = max|x| / 127, then 32 int8 q = round(x / d).
 * Q4_0 block (18 bytes, 32 values): f16 scale d = m / −8 where m is the value of largest
 * magnitude (sign kept), then 16 bytes of nibbles q = min(15, trunc(x / d + 8.5)); byte j holds
 * value j in its low nibble and value j + 16 in its high nibble; x ≈ (q − 8) · d.
 */
import { fromHalfBits, toHalfBits } from "./half.js";
import { internalError } from "../errors.js";

export const QK = 32;
export const Q8_0_BLOCK_BYTES = 34;
export const Q4_0_BLOCK_BYTES = 18;

/** C `roundf`: halves away from zero. */
const roundAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

function checkLength(n: number, what: string): void {
  if (n % QK !== 0) throw internalError(`${what}: ${n} values is not a whole number of ${QK}-value blocks`);
}

/** Quantize `src` (length a multiple of 32) to Q8_0 blocks written into `out` at `outOffset`. */
export function quantizeQ8_0(src: ArrayLike<number>, out: Uint8Array, outOffset = 0): number {
  checkLength(src.length, "quantizeQ8_0");
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const i8 = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  let o = outOffset;
  for (let b = 0; b < src.length; b += QK) {
    let amax = 0;
    for (let j = 0; j < QK; j++) {
      const a = Math.abs(src[b + j]!);
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    view.setUint16(o, toHalfBits(d), true);
    for (let j = 0; j < QK; j++) i8[o + 2 + j] = roundAway(Math.fround(src[b + j]! * id));
    o += Q8_0_BLOCK_BYTES;
  }
  return o - outOffset;
}

/** Quantize `src` (length a multiple of 32) to Q4_0 blocks written into `out` at `outOffset`. */
export function quantizeQ4_0(src: ArrayLike<number>, out: Uint8Array, outOffset = 0): number {
  checkLength(src.length, "quantizeQ4_0");
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = outOffset;
  for (let b = 0; b < src.length; b += QK) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = src[b + j]!;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -8);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    view.setUint16(o, toHalfBits(d), true);
    for (let j = 0; j < QK / 2; j++) {
      const x0 = Math.fround(src[b + j]! * id);
      const x1 = Math.fround(src[b + QK / 2 + j]! * id);
      const q0 = Math.min(15, Math.trunc(Math.fround(x0 + 8.5)));
      const q1 = Math.min(15, Math.trunc(Math.fround(x1 + 8.5)));
      out[o + 2 + j] = (q0 & 0x0f) | ((q1 & 0x0f) << 4);
    }
    o += Q4_0_BLOCK_BYTES;
  }
  return o - outOffset;
}

/** Dequantize `blocks` Q8_0 blocks from `bytes` at `offset`. */
export function dequantizeQ8_0(bytes: Uint8Array, blocks: number, offset = 0): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const o = offset + b * Q8_0_BLOCK_BYTES;
    const d = fromHalfBits(view.getUint16(o, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(o + 2 + j) * d;
  }
  return out;
}

/** Dequantize `blocks` Q4_0 blocks from `bytes` at `offset`. */
export function dequantizeQ4_0(bytes: Uint8Array, blocks: number, offset = 0): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const o = offset + b * Q4_0_BLOCK_BYTES;
    const d = fromHalfBits(view.getUint16(o, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[o + 2 + j]!;
      out[b * QK + j] = ((byte & 0x0f) - 8) * d;
      out[b * QK + j + QK / 2] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}

/** Write `src` as F16 (2 bytes each, little-endian) into `out` at `outOffset`. */
export function encodeF16(src: ArrayLike<number>, out: Uint8Array, outOffset = 0): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < src.length; i++) view.setUint16(outOffset + 2 * i, toHalfBits(src[i]!), true);
  return src.length * 2;
}

/** Write `src` as F32 (4 bytes each, little-endian) into `out` at `outOffset`. */
export function encodeF32(src: ArrayLike<number>, out: Uint8Array, outOffset = 0): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < src.length; i++) view.setFloat32(outOffset + 4 * i, src[i]!, true);
  return src.length * 4;
}
