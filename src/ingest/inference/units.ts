import { SECONDS_PER_HOUR } from "../../metrics/units.js";
/**
 * Duration and time-stamp text as inference tools print them, converted to milliseconds and
 * epoch seconds. Each function returns null for text it does not understand, so that the caller
 * can quarantine the line with a reason instead of guessing.
 */

const GO_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  µs: 1e-3, // U+00B5 MICRO SIGN, as Go prints it
  μs: 1e-3, // U+03BC GREEK SMALL LETTER MU
  us: 1e-3,
  ns: 1e-6,
};

/**
 * A Go `time.Duration` string (`ollama run --verbose`): `1.740424083s`, `235.624ms`, `500µs`,
 * `1m2.5s`, `1h0m3s`, `0s` → milliseconds; null when a unit is unknown or the text is malformed.
 * @example goDurationMs("1m2.5s") // 62500
 */
export function goDurationMs(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const re = /(\d+(?:\.\d+)?|\.\d+)(h|ms|m|s|µs|μs|us|ns)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * GO_UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== t.length || pos === 0) return null;
  return total;
}

/**
 * ISO 8601 date-time to epoch seconds, keeping sub-millisecond digits (Ollama prints
 * nanoseconds). `Z`, `±hh:mm` and `±hhmm` zones are honoured; a time without zone is read as UTC
 * and reported through `zoneless`. Null when not a date-time.
 * @example isoToEpochS("2025-10-17T23:14:07.414671Z") // 1760742847.414671
 */
export function isoToEpochS(text: string): { epochS: number; zoneless: boolean } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms)) return null;
  if (
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  ) {
    return null;
  }
  let epochS = ms / 1000 + (frac ? Number(`0${frac}`) : 0);
  if (zone && zone.toUpperCase() !== "Z") {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offS = (Number(zm[2]) * SECONDS_PER_HOUR + Number(zm[3]) * 60) * (zm[1] === "+" ? 1 : -1);
    epochS -= offS;
  }
  return { epochS, zoneless: zone === undefined };
}
