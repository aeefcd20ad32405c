import { describe, expect, it } from "vitest";
import { parseClockS, parseDateTimeS, parseStampLineS } from "../../../src/ingest/power/index.js";

const T = Date.UTC(2025, 8, 21, 15, 38, 17) / 1000;

describe("time stamps as loggers print them", () => {
  it("reads ISO 8601 with T or space, fractions to the digit, and zones", () => {
    expect(parseDateTimeS("2025-09-21T15:38:17Z")).toBe(T);
    expect(parseDateTimeS("2025-09-21 15:38:17.123456")).toBeCloseTo(T + 0.123456, 6);
    expect(parseDateTimeS("2025-09-21T17:38:17+02:00")).toBe(T);
    expect(parseDateTimeS("2025-09-21T15:38:17.5-0130")).toBe(T + 1.5 * 3600 + 0.5);
  });
  it("reads tegrastats' month-day-year prefix and nvidia-smi's slashes", () => {
    expect(parseDateTimeS("09-21-2025 15:38:17")).toBe(T);
    expect(parseDateTimeS("2025/09/21 15:38:17.307")).toBeCloseTo(T + 0.307, 6);
  });
  it("reads `date` output (a zone abbreviation other than UTC is read as UTC)", () => {
    expect(parseDateTimeS("Sun Sep 21 15:38:17 UTC 2025")).toBe(T);
    expect(parseDateTimeS("Sun Sep 21 15:38:17 CEST 2025")).toBe(T);
    expect(parseDateTimeS("Sun Sep  1 15:38:17 2025")).toBe(Date.UTC(2025, 8, 1, 15, 38, 17) / 1000);
  });
  it("refuses impossible dates and other text", () => {
    expect(parseDateTimeS("2025-13-01 00:00:00")).toBeNull();
    expect(parseDateTimeS("yesterday")).toBeNull();
    expect(parseDateTimeS("")).toBeNull();
  });
  it("reads stand-alone stamp lines with the usual wrappings", () => {
    expect(parseStampLineS("1758469097.25")).toBe(1758469097.25);
    expect(parseStampLineS("1758469097250")).toBe(1758469097.25);
    expect(parseStampLineS("=== 2025-09-21T15:38:17Z ===")).toBe(T);
    expect(parseStampLineS("# time: 2025-09-21 15:38:17")).toBe(T);
    expect(parseStampLineS("[Sun Sep 21 15:38:17 UTC 2025]")).toBe(T);
    expect(parseStampLineS("3V3_SYS_A current(1)=0.15A")).toBeNull();
    expect(parseStampLineS("42")).toBeNull();
  });
  it("reads a time of day", () => {
    expect(parseClockS("15:38:17.5")).toBe(15 * 3600 + 38 * 60 + 17.5);
    expect(parseClockS("25:00:00")).toBeNull();
  });
});
