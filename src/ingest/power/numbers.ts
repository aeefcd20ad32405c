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
  const t = text.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return t === "" || t === "n/a" || t === "na" || t === "nan" || t === "not supported" || t === "-" || t === "null" || t === "none";
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const TD = new TextDecoder();

/**
 * Parse a decimal number from bytes `buf[start, end)` without making a string: surrounding
 * spaces allowed, optional sign, digits, optional fraction. The result equals `Number(text)`
 * exactly: an integer mantissa below 2^53 divided by an exact power of ten is one correctly
 * rounded IEEE division. Anything else (exponents, long mantissas) falls back to the string path;
 * text that is not a number gives NaN.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  while (start < end && (buf[start] === 0x20 || buf[start] === 0x09)) start++;
  while (end > start && (buf[end - 1] === 0x20 || buf[end - 1] === 0x09)) end--;
  if (start === end) return NaN;
  let i = start;
  let neg = false;
  const c0 = buf[i]!;
  if (c0 === 0x2d || c0 === 0x2b) {
    neg = c0 === 0x2d;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  for (; i < end; i++) {
    const c = buf[i]!;
    const d = c - 0x30;
    if (d >= 0 && d <= 9) {
      mant = mant * 10 + d;
      digits++;
      if (seenDot) frac++;
    } else if (c === 0x2e && !seenDot) {
      seenDot = true;
    } else {
      break;
    }
  }
  if (i === end && digits > 0 && digits <= 15 && frac <= 22) {
    const v = frac === 0 ? mant : mant / POW10[frac]!;
    return neg ? -v : v;
  }
  return strictNumber(TD.decode(buf.subarray(start, end)));
}
