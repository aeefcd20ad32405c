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
 * Where `scanNumberBytes` puts its result. A float written to a typed array stays unboxed; a
 * float returned from a function that the optimiser does not inline costs a heap allocation,
 * which at tens of millions of fields a second is most of the garbage collector's work.
 */
export const SCANNED = new Float64Array(1);

/**
 * Parse a decimal number from bytes `buf[start, end)` without making a string, into
 * `SCANNED[0]`; returns false (and NaN) for text that is not a number. Surrounding spaces are
 * allowed, then an optional sign, digits, an optional fraction. The result equals
 * `Number(text)` exactly: an integer mantissa below 2^53 divided by an exact power of ten is one
 * correctly rounded IEEE division. Anything else (exponents, long mantissas) takes the string path.
 */
export function scanNumberBytes(buf: Uint8Array, start: number, end: number): boolean {
  while (start < end && (buf[start] === 0x20 || buf[start] === 0x09)) start++;
  while (end > start && (buf[end - 1] === 0x20 || buf[end - 1] === 0x09)) end--;
  let i = start;
  let neg = false;
  if (i < end) {
    const c0 = buf[i]!;
    if (c0 === 0x2d || c0 === 0x2b) {
      neg = c0 === 0x2d;
      i++;
    }
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
  if (i === end && digits > 0 && digits <= 15) {
    const v = frac === 0 ? mant : mant / POW10[frac]!;
    SCANNED[0] = neg ? -v : v;
    return true;
  }
  if (start === end) {
    SCANNED[0] = NaN;
    return false;
  }
  const v = strictNumber(TD.decode(buf.subarray(start, end)));
  SCANNED[0] = v;
  return v === v;
}

/** `scanNumberBytes` returning the number (NaN for text that is not one). */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  scanNumberBytes(buf, start, end);
  return SCANNED[0]!;
}
