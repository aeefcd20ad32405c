import { SECONDS_PER_HOUR } from "../metrics/units.js";
import { parsePrinted, type PrintedNumber } from "../paper/printed-number.js";
import { fromPrinted, mid, overlaps, scale, type Interval } from "../util/interval.js";

export const VERDICTS = ["consistent", "unit-factor", "typo", "unexplained"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Classification {
  verdict: Verdict;
  /** published / recomputed (midpoint). */
  ratio: number;
  explanation: string;
}

interface Factor {
  factor: number;
  why: string;
}

/**
 * Factors a unit slip explains: the joule/watt-hour slip (3.6 = 3600/1000: J→Wh divided by 1000
 * instead of 3600, or the reverse), seconds per hour (3600), SI prefixes (10^3k), and a J/Wh slip
 * compounded by a power of ten. A bare 10 or 100 is not a unit factor: that is a misplaced
 * decimal point (a typo).
 */
export const UNIT_FACTORS: readonly Factor[] = (() => {
  const out: Factor[] = [];
  const jwh = "a J/Wh slip (3.6 = 3600/1000: divided or multiplied by 1000 where 3600 was due)";
  const label = (f: number): string => (f >= 1 ? `×${Number(f.toPrecision(3))}` : `÷${Number((1 / f).toPrecision(3))}`);
  for (const k of [0, 1, -1, 2, -2, 3, -3]) {
    const pow = k === 0 ? "" : ` compounded by a factor 10^${k}`;
    const up = 3.6 * 10 ** k;
    const down = 10 ** k / 3.6;
    out.push({ factor: up, why: `${label(up)}${k === 0 ? "" : ` (= 3.6 × 10^${k})`}: ${jwh}${pow}` });
    out.push({ factor: down, why: `${label(down)}${k === 0 ? "" : ` (= 10^${k} / 3.6)`}: ${jwh}${pow}` });
  }
  out.push({
    factor: SECONDS_PER_HOUR,
    why: "×3600: watt-hours where joules were meant, or hours where seconds were meant",
  });
  out.push({
    factor: 1 / SECONDS_PER_HOUR,
    why: "÷3600: joules where watt-hours were meant, or seconds where hours were meant",
  });
  for (const k of [3, 6, 9]) {
    out.push({ factor: 10 ** k, why: `×10^${k}: an SI prefix slip` });
    out.push({ factor: 10 ** -k, why: `÷10^${k}: an SI prefix slip` });
  }
  return out;
})();

/** Largest further relative difference tolerated on top of a unit factor (beyond rounding). */
export const UNIT_FACTOR_RESIDUAL = 0.01;

const fmt = (x: number): string =>
  Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString();

/** Format a number with a given count of significant digits, the way a table would print it. */
function printLike(value: number, significantDigits: number): string {
  return Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3
    ? value.toExponential(Math.max(0, significantDigits - 1))
    : value.toPrecision(significantDigits);
}

/**
 * Alternative readings of a printed number that a typo would explain: a misplaced decimal point,
 * two adjacent digits transposed (not involving the last digit, which rounding governs), or one
 * wrong digit among the first two significant ones. A wrong last digit is not called a typo: it is
 * indistinguishable from rounding slightly different inputs.
 */
function typoReadings(p: PrintedNumber): { text: string; why: string; kind: "decimal" | "digits" }[] {
  const out: { text: string; why: string; kind: "decimal" | "digits" }[] = [];
  const m = p.mantissa;
  const exp = p.exponent;
  const withExp = (mm: string, e = exp): string => (e === 0 ? mm : `${mm}e${e}`);
  for (const k of [-2, -1, 1, 2]) {
    const alt = p.value * 10 ** k;
    out.push({
      text: printLike(alt, p.significantDigits),
      why:
        `misplaced decimal point (the printed value is ×${10 ** -k >= 1 ? 10 ** -k : `1/${10 ** k}`} the ` +
        `consistent one)`,
      kind: "decimal",
    });
  }
  const chars = m.split("");
  const digitPositions = chars.map((c, i) => (c >= "0" && c <= "9" ? i : -1)).filter((i) => i >= 0);
  const lastDigit = digitPositions[digitPositions.length - 1];
  for (let j = 0; j + 1 < digitPositions.length; j++) {
    const i1 = digitPositions[j]!;
    const i2 = digitPositions[j + 1]!;
    if (i2 === lastDigit) continue;
    const a = chars[i1]!;
    const b = chars[i2]!;
    if (a === b) continue;
    const c = [...chars];
    c[i1] = b;
    c[i2] = a;
    out.push({ text: withExp(c.join("")), why: `transposed digits: "${b}${a}" printed as "${a}${b}"`, kind: "digits" });
  }
  const significant = digitPositions.filter((i) => chars.slice(0, i + 1).some((c) => c >= "1" && c <= "9"));
  for (const i of significant.slice(0, 2)) {
    if (i === lastDigit) continue;
    for (let d = 0; d <= 9; d++) {
      if (String(d) === chars[i]) continue;
      const c = [...chars];
      c[i] = String(d);
      out.push({
        text: withExp(c.join("")),
        why: `one wrong leading digit: "${chars[i]}" printed where "${d}" fits`,
        kind: "digits",
      });
    }
  }
  return out;
}

/**
 * Classify a published number against the interval its recomputation allows.
 * consistent: the printed value's rounding interval overlaps the recomputed interval.
 * unit-factor: it does after multiplying the recomputation by a factor a unit slip explains.
 * typo: a misplaced decimal point, a transposition of adjacent digits or a single wrong digit
 *   in the printed text would make it consistent.
 * unexplained: none of these.
 * With `digitTypos: false` (used when the recomputation rests on an estimated quantity, so it is
 * not exact enough to single out a digit) only a misplaced decimal point counts as a typo.
 */
export function classify(
  printed: string,
  recomputed: Interval,
  context = "",
  options: { digitTypos?: boolean } = {},
): Classification {
  const digitTypos = options.digitTypos ?? true;
  const p = parsePrinted(printed);
  const pub = fromPrinted(p);
  const ratio = p.value / mid(recomputed);
  const rec = `${fmt(recomputed.lo)}–${fmt(recomputed.hi)}`;
  if (overlaps(pub, recomputed)) {
    return {
      verdict: "consistent",
      ratio,
      explanation: `printed ${printed} is within rounding of the recomputed ${rec}${context}`,
    };
  }
  for (const u of UNIT_FACTORS) {
    if (overlaps(pub, scale(recomputed, u.factor))) {
      return {
        verdict: "unit-factor",
        ratio,
        explanation: `printed ${printed} = recomputed ${rec} ${u.why}${context}`,
      };
    }
  }
  for (const u of UNIT_FACTORS) {
    const widened = scale(recomputed, u.factor);
    if (overlaps(pub, { lo: widened.lo * (1 - UNIT_FACTOR_RESIDUAL), hi: widened.hi * (1 + UNIT_FACTOR_RESIDUAL) })) {
      const residual = p.value / ((widened.lo + widened.hi) / 2) - 1;
      return {
        verdict: "unit-factor",
        ratio,
        explanation:
          `printed ${printed} ≈ recomputed ${rec} ${u.why}, with a further ${(residual * 100).toFixed(1)} % ` +
          `difference beyond rounding${context}`,
      };
    }
  }
  for (const t of typoReadings(p).filter((r) => digitTypos || r.kind === "decimal")) {
    let alt: PrintedNumber;
    try {
      alt = parsePrinted(t.text);
    } catch {
      continue;
    }
    if (overlaps(fromPrinted(alt), recomputed)) {
      return {
        verdict: "typo",
        ratio,
        explanation: `printed ${printed}, recomputed ${rec}: ${t.why} (${t.text} would be consistent)${context}`,
      };
    }
  }
  const small = Math.abs(Math.log(ratio)) < Math.log(1.03);
  return {
    verdict: "unexplained",
    ratio,
    explanation: small
      ? `printed ${printed} is ${ratio.toPrecision(4)}× the recomputed ${rec}: a small difference beyond ` +
        `rounding, too small for a unit or transcription slip; most likely computed from unrounded or ` +
        `different underlying data${context}`
      : `printed ${printed} is ${ratio.toPrecision(3)}× the recomputed ${rec}; no unit factor or typo pattern ` +
        `explains it${context}`,
  };
}
