/**
 * Number reading shared by the power parsers. Strict on purpose: `Number("")` is 0 and
 * `Number("0x10")` is 16, both wrong for a log, so text must look like a decimal number.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number, or NaN when the text is anything else (empty, `N/A`, `12W`, hex…). */
export function strictNumber(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Values that tools print for "no reading": `N/A`, `[N/A]`, `[Not Supported]`, `nan`, `-`, empty. */
export function isMissingText(text: string): boolean {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return (
    t === "" ||
    t === "n/a" ||
    t === "na" ||
    t === "nan" ||
    t === "not supported" ||
    t === "-" ||
    t === "null" ||
    t === "none"
  );
}

/** Exact powers of ten 10^0 … 10^22 (all representable in float64). */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * The byte-level decimal reader of the streaming parsers (their hot path), the one definition:
 * `[spaces] [sign] digits [. digits] [spaces]` in `buf[i, end)`, read as an integer mantissa and
 * one division by an exact power of ten, so the value is the correctly rounded decimal for up to
 * 15 significant digits. Writes the value to `out[k]` (no float crosses the call, so none is boxed)
 * and returns the index after the trailing spaces; -1 when the text is not such a number (empty,
 * N/A, an exponent, more than 15 digits), which the caller leaves to its string path.
 */
export function scanDecimal(buf: Uint8Array, i: number, end: number, out: Float64Array, k: number): number {
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let neg = false;
  if (i < end && (buf[i] === 0x2d || buf[i] === 0x2b)) neg = buf[i++] === 0x2d;
  let mant = 0;
  const i0 = i;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
  }
  let digits = i - i0;
  let frac = 0;
  if (i < end && buf[i] === 0x2e) {
    const f0 = ++i;
    for (; i < end; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
    }
    frac = i - f0;
    digits += frac;
  }
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  if (digits === 0 || digits > 15) return -1;
  const v = frac === 0 ? mant : mant / POW10[frac]!;
  out[k] = neg ? -v : v;
  return i;
}
