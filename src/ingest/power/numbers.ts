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
