import type { PowerCalibration } from "../../ingest/energy/calibration.js";
import { totalEnergy } from "../../ingest/energy/total.js";
import type { ReadPowerOptions } from "../../ingest/power/read.js";
import type { PowerFormat } from "../../ingest/types.js";
import { readPowerLog } from "../../io/power/read.js";

/** What `slm-energy inspect` reports for one power log (camelCase; the CLI writes snake_case). */
export interface PowerLogSummaryReport {
  kind: "power";
  file: string;
  format: PowerFormat;
  /** Where total power comes from (input rail or column). */
  rail: string;
  samples: number;
  quarantined: number;
  lines: number;
  /** False when times were assigned from `intervalMs` (then `intervalMs` says the spacing). */
  timed: boolean;
  intervalMs: number | null;
  startS: number | null;
  endS: number | null;
  durationS: number;
  energyJ: number;
  meanPowerW: number | null;
  medianIntervalS: number | null;
  maxIntervalS: number | null;
}

/**
 * Read one power log and integrate it whole (trapezoid over the total rail), in one streaming
 * pass: the figures `inspect` prints. Logs without times are spaced by `intervalMs` (default
 * 1000 ms). Quarantined readings go to `onQuarantine` (or are only counted when it is absent).
 */
export async function summarizePowerLog(
  path: string,
  options: ReadPowerOptions & { calibration?: PowerCalibration } = {},
): Promise<PowerLogSummaryReport> {
  const { calibration, ...readOptions } = options;
  const onQuarantine = readOptions.onQuarantine ?? (() => undefined);
  const log = readPowerLog(path, { ...readOptions, onQuarantine });
  const total = await totalEnergy(log, calibration === undefined ? {} : { calibration });
  const s = log.summary!;
  return {
    kind: "power",
    file: path,
    format: s.format,
    rail: s.rail,
    samples: s.samples,
    quarantined: s.quarantined,
    lines: s.lines,
    timed: s.timed,
    intervalMs: s.intervalMs,
    startS: total.startS,
    endS: total.endS,
    durationS: total.durationS,
    energyJ: total.energyJ,
    meanPowerW: total.meanPowerW,
    medianIntervalS: total.medianIntervalS,
    maxIntervalS: total.maxIntervalS,
  };
}
