import { inputError } from "../errors.js";

/**
 * A number as a table prints it, with the precision the printing implies.
 * "9.07" means somewhere in [9.065, 9.075]; "1.33e8" in [1.325e8, 1.335e8]; "175,690" in
 * [175689.5, 175690.5]; "~33" is an approximation (we allow ±5 %).
 */
export interface PrintedNumber {
  value: number;
  /** Half a unit in the last printed place: the rounding error the printing allows. */
  halfUlp: number;
  /** Printed with "~": an approximation, not a rounding. */
  approximate: boolean;
  /** Number of significant digits printed. */
  significantDigits: number;
  /** The mantissa's digits and decimal position, for typo analysis. */
  mantissa: string;
  exponent: number;
}

const SCI = /^(~)?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*(?:(?:e|E)([+-]?[0-9]+)|\*\s*10\^\{?([+-]?[0-9]+)\}?)?$/;

/** Parse a printed number; throws an input error naming what it got when the text is not one. */
export function parsePrinted(
  text: string,
  where: { file?: string; line?: number; field?: string } = {},
): PrintedNumber {
  const t = text.trim();
  const m = SCI.exec(t);
  if (!m) {
    throw inputError("not a printed number", {
      ...where,
      text,
      hint: 'expected forms like 9.07, 1.33e8, "175,690", 2.42 * 10^4 or ~33',
    });
  }
  const approximate = m[1] === "~";
  const mantissa = m[2]!.replace(/,/g, "");
  const exponent = Number(m[3] ?? m[4] ?? 0);
  const decimals = mantissa.includes(".") ? mantissa.length - mantissa.indexOf(".") - 1 : 0;
  const value = Number(mantissa) * 10 ** exponent;
  const halfUlp = 0.5 * 10 ** (exponent - decimals);
  const digits = mantissa.replace(".", "").replace(/^0+/, "");
  return {
    value: exponent === 0 ? Number(mantissa) : Number(`${mantissa}e${exponent}`),
    halfUlp: approximate ? Math.abs(value) * 0.05 : halfUlp,
    approximate,
    significantDigits: Math.max(digits.length, 1),
    mantissa,
    exponent,
  };
}
