import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import type { ReadPowerOptions } from "../../../src/ingest/power/index.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import type { PowerSample, QuarantineEntry } from "../../../src/ingest/types.js";

/** Path of a power fixture. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/power/${name}`, import.meta.url));
export const fixtureText = (name: string): string => readFileSync(fixture(name), "utf8");

/** Read a fixture through the streaming reader: samples, quarantine, summary and total energy. */
export async function readFixture(name: string, options: ReadPowerOptions = {}) {
  const quarantined: QuarantineEntry[] = [];
  const log = readPowerLog(fixture(name), { onQuarantine: (q) => quarantined.push(q), ...options });
  const samples: PowerSample[] = [];
  for await (const s of log) samples.push(s);
  const total = await totalEnergy(samples);
  return { samples, quarantined, summary: log.summary!, format: log.format, total };
}

/** |a − b| ≤ 0.1 % of b. */
export function within01pct(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-3 * Math.abs(expected);
}
