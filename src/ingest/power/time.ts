import { SECONDS_PER_HOUR } from "../../metrics/units.js";
/**
 * Timestamps as power loggers print them, to seconds (float64). Text without a time zone is read
 * as UTC: a power log and an inference log written on the same machine share that convention, and
 * the bundle's clock offset aligns logs from different clocks. Fractions of a second are kept to
 * the digit (not rounded to milliseconds as `Date.parse` would).
 */

// 2025-09-21T15:38:17.123456Z, 2025-09-21 15:38:17, 2025/09/21 15:38:17.307, with optional zone.
const YMD = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
// tegrastats (JetPack 5/6) prefix: 09-21-2025 15:38:17 (month-day-year).
const MDY = /^(\d{1,2})-(\d{1,2})-(\d{4})[T ](\d{1,2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^\d{9,10}(?:\.\d+)?$/;
const EPOCH_MS = /^\d{12,13}(?:\.\d+)?$/;

function fromParts(
  y: string,
  mo: string,
  d: string,
  h: string,
  mi: string,
  s: string,
  frac?: string,
  zone?: string,
): number | null {
  const Y = +y,
    M = +mo,
    D = +d,
    H = +h,
    I = +mi,
    S = +s;
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || I > 59 || S > 60) return null;
  let t = Date.UTC(Y, M - 1, D, H, I, S) / 1000;
  if (frac) t += Number(`0${frac}`);
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const z = zone.slice(1).replace(":", "");
    t -= sign * (Number(z.slice(0, 2)) * SECONDS_PER_HOUR + Number(z.slice(2, 4)) * 60);
  }
  return t;
}

// `date` without a format: `Sun Sep 21 15:38:17 UTC 2025` (any zone abbreviation; see below).
const UNIX_DATE =
  /^(?:[A-Z][a-z]{2},? )?([A-Z][a-z]{2}) +(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(\.\d+)? (?:([A-Z]{1,5}|[+-]\d{4}) )?(\d{4})$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Wall-clock text → epoch seconds, or null. Accepts ISO 8601 (T or space), Y/M/D, M-D-Y, and the
 * default output of `date`. A zone abbreviation other than UTC/GMT/Z is ignored (its offset is not
 * knowable from the text): the time is read as if UTC, like text without a zone.
 */
export function parseDateTimeS(text: string): number | null {
  const t = text.trim();
  let m = YMD.exec(t);
  if (m) return fromParts(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7], m[8]);
  m = MDY.exec(t);
  if (m) return fromParts(m[3]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[7], m[8]);
  m = UNIX_DATE.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[1]!) + 1;
    if (month === 0) return null;
    const zone = m[7] !== undefined && /^[+-]\d{4}$/.test(m[7]) ? m[7] : undefined;
    return fromParts(m[8]!, String(month), m[2]!, m[3]!, m[4]!, m[5]!, m[6], zone);
  }
  return null;
}

const CLOCK = /^(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** Time of day `HH:MM:SS(.fff)` → seconds since midnight, or null. */
export function parseClockS(text: string): number | null {
  const m = CLOCK.exec(text.trim());
  if (m === null) return null;
  const h = Number(m[1]),
    mi = Number(m[2]),
    s = Number(m[3]);
  if (h > 23 || mi > 59 || s > 60) return null;
  return h * SECONDS_PER_HOUR + mi * 60 + s + (m[4] ? Number(`0${m[4]}`) : 0);
}

/** Trailing `=`, `-`, `*`, `<` and white space removed (a loop: the regex `[…]+$` is quadratic on long runs). */
function stripTrailing(t: string): string {
  let end = t.length;
  while (end > 0 && /[=\-*<\s]/.test(t[end - 1]!)) end--;
  return t.slice(0, end);
}

/**
 * A stand-alone time stamp as a logger wraps readings with: epoch seconds (`1695310697.123`),
 * epoch milliseconds (13 digits), or a date-time; optionally in brackets or after a label such
 * as `# `, `time:`, `timestamp=`, `=== `. Returns epoch seconds or null.
 */
export function parseStampLineS(text: string): number | null {
  let t = text.trim();
  t = stripTrailing(t.replace(/^[#=\-*>\s]+/, ""));
  t = t.replace(/^(?:time|timestamp|ts|date)\s*[:=]\s*/i, "");
  t = t.replace(/^\[(.*)\]$/, "$1").trim();
  if (EPOCH.test(t)) return Number(t);
  if (EPOCH_MS.test(t)) return Number(t) / 1000;
  return parseDateTimeS(t);
}
