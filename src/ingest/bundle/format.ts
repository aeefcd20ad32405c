/**
 * Fixed number formatting for processed tables, so that the same input always gives the same
 * bytes: epoch times with 6 decimals (µs), other floats with 10 significant digits, trailing
 * zeros trimmed, never an exponent; integers as integers; null as an empty cell.
 */

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Epoch seconds (or any time) with microsecond resolution. */
export function formatTimeS(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "";
  const s = trimZeros(x.toFixed(6));
  return s === "-0" ? "0" : s;
}

/** A float with 10 significant digits, in plain decimal notation. */
export function formatFloat(x: number | null, significant = 10): string {
  if (x === null || !Number.isFinite(x)) return "";
  if (x === 0) return "0";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.min(20, Math.max(0, significant - 1 - magnitude));
  const s = trimZeros(x.toFixed(decimals));
  return s === "-0" ? "0" : s;
}

/** An integer count. */
export function formatInt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "" : String(Math.round(x));
}
