import { parsePrinted } from "../paper/printed-number.js";

/**
 * Format a number the way a given printed cell is formatted: same number of decimals, same
 * scientific notation ("1.33e8"), so regenerated tables read like the paper's.
 */
export function formatLike(value: number, template: string): string {
  const p = parsePrinted(template);
  const decimals = p.mantissa.includes(".") ? p.mantissa.length - p.mantissa.indexOf(".") - 1 : 0;
  if (!Number.isFinite(value)) return String(value);
  if (p.exponent !== 0 || /e/i.test(template)) {
    // Scientific: keep the mantissa's decimals, let the exponent follow the value.
    const [m, e] = value.toExponential(decimals).split("e");
    return `${m}e${Number(e)}`;
  }
  const s = value.toFixed(decimals);
  return template.includes(",")
    ? Number(s).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    : s;
}

/**
 * The regenerated value to print for a cell: the recomputed interval's point nearest to the
 * published value, formatted at the published precision. Where the audit finds the cell
 * consistent (the intervals overlap) this prints exactly as the paper does; elsewhere it prints
 * what the primary cells imply.
 */
export function regeneratedText(published: string, low: number, high: number): string {
  const p = parsePrinted(published);
  const nearest = Math.min(Math.max(p.value, low), high);
  const text = formatLike(nearest, published);
  // A value on the rounding boundary may round either way: keep the published text then.
  if (
    Math.abs(parsePrinted(text.replace(/,/g, "")).value - p.value) <= p.halfUlp * (1 + 1e-9) &&
    nearest >= p.value - p.halfUlp &&
    nearest <= p.value + p.halfUlp
  ) {
    return published;
  }
  return text;
}

/** JSON the way every output file is written: stable key order as built, 2-space indent, newline. */
export const stableJson = (x: unknown): string => JSON.stringify(x, null, 2) + "\n";
