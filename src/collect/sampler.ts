/**
 * The sampling loop and the raw log lines, shared by every sensor: a timer that reads and writes
 * a line per tick (a last reading on stop closes the final interval), and the line formats
 * `slm-energy ingest` reads back. No disk access: a sensor passes the function that reads it.
 */
import { nowEpochS } from "./clock.js";
import type { LogSink, SamplerHandle } from "./sensors.js";

/** A sampler that calls `read` on a timer and writes what it returns (null: no reading this tick). */
export function timerSampler(sink: LogSink, intervalMs: number, read: () => string | null): SamplerHandle {
  let n = 0;
  const tick = (): void => {
    const line = read();
    if (line !== null) {
      sink(line);
      n++;
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick(); // a last reading closes the final interval
      return Promise.resolve();
    },
    readings: () => n,
  };
}

/** Header of a RAPL log: the zone, its wrap-around range when known, the column names. */
export function raplLogHeader(zone: string, energyFile: string, maxEnergyRangeUj: string | null): string {
  const range = maxEnergyRangeUj !== null ? `# max_energy_range_uj=${maxEnergyRangeUj}\n` : "";
  return `# RAPL zone ${zone}: ${energyFile}\n${range}time_s,energy_uj\n`;
}

/** One RAPL reading: epoch seconds and the raw counter text. */
export const raplLogLine = (timeS: number, energyUj: string): string => `${timeS.toFixed(6)},${energyUj}\n`;

export const POWER_CSV_HEADER = "time_s,power_w\n";

/** One power reading in the `usb-csv` layout. */
export const powerCsvLine = (timeS: number, powerW: number): string => `${timeS.toFixed(6)},${powerW.toFixed(4)}\n`;

/** A sampler writing `time_s,power_w` lines from a function that reads watts (null: no reading). */
export function powerCsvSampler(sink: LogSink, intervalMs: number, readW: () => number | null): SamplerHandle {
  sink(POWER_CSV_HEADER);
  return timerSampler(sink, intervalMs, () => {
    const t = nowEpochS();
    const w = readW();
    return w === null ? null : powerCsvLine(t, w);
  });
}

/**
 * Splits streamed command output into lines, each prefixed with the epoch seconds of the chunk
 * that completed it (after removing `ownStamp`, a time the command printed itself, which two
 * stamps would make unreadable); returns the lines to write and keeps the unfinished rest.
 */
export function stampedLines(ownStamp?: RegExp): (chunk: string, timeS: number) => string[] {
  let rest = "";
  return (chunk, timeS) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    return lines
      .filter((l) => l.trim() !== "")
      .map((l) => `${timeS.toFixed(3)} ${ownStamp ? l.replace(ownStamp, "") : l}\n`);
  };
}

/**
 * The local date and time tegrastats prints before each line from JetPack 5 on (`09-21-2025
 * 15:38:17 RAM …`): whole seconds, no zone; the sampler's epoch stamp replaces it.
 */
export const TEGRASTATS_OWN_STAMP = /^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}\s+/;

/** A PMIC block preceded by its epoch-seconds line, or null when the output holds no readings. */
export function pmicBlock(output: string, timeS: number): string | null {
  if (!output.includes("current(")) return null;
  return `${timeS.toFixed(3)}\n${output.endsWith("\n") ? output : output + "\n"}`;
}
