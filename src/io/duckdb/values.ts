/**
 * DuckDB values as JSON: integers (BIGINT, HUGEINT …) as numbers while they are exact in Float64,
 * else as strings; DECIMALs as numbers up to 15 digits (exact in Float64), else as strings; DOUBLE
 * as is (NaN and ±Infinity, which JSON lacks, as strings); dates, times and timestamps as ISO 8601
 * text; lists as arrays, structs as objects, maps as [{key, value}] arrays; anything else as
 * DuckDB prints it.
 */
import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  type DuckDBValue,
} from "@duckdb/node-api";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Digits a DECIMAL may have and still be exact as a Float64 printed back (15 significant digits). */
const EXACT_DECIMAL_DIGITS = 15;

/** A bigint as a number when Float64 holds it exactly, else its decimal text. */
export const bigintJson = (x: bigint): number | string =>
  x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString();

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * A timestamp `value` counted in `perSecond` units since 1970 as ISO 8601 (`2024-02-03T04:05:06.789012`,
 * with `Z` when it is a TIMESTAMPTZ); null when JavaScript dates cannot hold it (±infinity, year > 275760).
 */
export function isoTimestamp(value: bigint, perSecond: bigint, utc: boolean): string | null {
  const seconds = floorDiv(value, perSecond);
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const fraction = value - seconds * perSecond;
  const digits = perSecond.toString().length - 1;
  const frac = fraction === 0n ? "" : `.${fraction.toString().padStart(digits, "0").replace(/0+$/, "")}`;
  return `${new Date(ms).toISOString().slice(0, -5)}${frac}${utc ? "Z" : ""}`;
}

/** The timestamp kinds of DuckDB: each value's count and its units per second. */
function timestampParts(v: object): { count: bigint; perSecond: bigint; utc: boolean } | null {
  if (v instanceof DuckDBTimestampTZValue) return { count: v.micros, perSecond: 1_000_000n, utc: true };
  if (v instanceof DuckDBTimestampValue) return { count: v.micros, perSecond: 1_000_000n, utc: false };
  if (v instanceof DuckDBTimestampSecondsValue) return { count: v.seconds, perSecond: 1n, utc: false };
  if (v instanceof DuckDBTimestampMillisecondsValue) return { count: v.millis, perSecond: 1000n, utc: false };
  if (v instanceof DuckDBTimestampNanosecondsValue) return { count: v.nanos, perSecond: 1_000_000_000n, utc: false };
  return null;
}

function nestedJson(v: object): JsonValue | undefined {
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(toJsonValue);
  if (v instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, toJsonValue(x)]));
  }
  if (v instanceof DuckDBMapValue)
    return v.entries.map((e) => ({ key: toJsonValue(e.key), value: toJsonValue(e.value) }));
  if (v instanceof DuckDBUnionValue) return toJsonValue(v.value);
  return undefined;
}

/** One DuckDB value as JSON (see the module's comment for each type). */
export function toJsonValue(v: DuckDBValue): JsonValue {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return bigintJson(v);
  if (v instanceof DuckDBDecimalValue) {
    return v.width <= EXACT_DECIMAL_DIGITS ? Number(v.toString()) : v.toString();
  }
  if (v instanceof DuckDBDateValue) return v.toString();
  const ts = timestampParts(v);
  if (ts !== null) return isoTimestamp(ts.count, ts.perSecond, ts.utc) ?? v.toString();
  return nestedJson(v) ?? v.toString();
}
