import { averagePowerW } from "../../metrics/energy.js";
import type { PowerCalibration } from "../energy/calibration.js";
import { checkIdleSegment, idleFromWindow } from "../energy/idle.js";
import { integrateWindows, type EnergyWindow, type LineSpan, type WindowEnergy } from "../energy/integrate.js";
import type { SampleSource } from "../energy/samples.js";
import type { RowWarning } from "../types.js";
import { MIN_WINDOW_COVERAGE } from "./result.js";
import type { PlacedRun } from "./place.js";

/** A window's energy summed over the bundle's concurrent power channels. */
export interface ChannelSum {
  durationS: number;
  energyJ: number;
  netEnergyJ: number | null;
  meanPowerW: number | null;
  /** The least coverage of any channel. */
  coverage: number;
  warnings: RowWarning[];
  /** The lines behind the energy, per channel (index into the bundle's power files). */
  spans: ({ file: number } & LineSpan)[];
}

/** Where the idle baseline comes from: a separate log's mean power, a segment inside the power logs, or nowhere. */
export type IdleSource = { kind: "log"; powerW: number } | { kind: "segment"; startS: number; endS: number } | null;

/** Stage 3, integrate channels: each placed window's energy over all channels, the run's span and idle power. */
export interface ChannelEnergy {
  /** Same order as the placed run's windows; null for an unplaced inference. */
  energies: (ChannelSum | null)[];
  spanEnergyJ: number | null;
  idlePowerW: number | null;
}

export interface ChannelOptions {
  clockOffsetS: number;
  calibration?: PowerCalibration;
  idle: IdleSource;
  /** Names of the channels' files, prefixed to their warnings when there are several. */
  names: readonly string[];
}

/**
 * Sum one window over channels: energies add; net = gross − idle × covered seconds (the least
 * covered channel's), as `integrateWindows` defines it for one channel; warnings are kept, named
 * by file when there are several channels.
 */
export function sumChannels(
  parts: readonly WindowEnergy[],
  idlePowerW: number | null,
  names: readonly string[] | null,
): ChannelSum {
  const first = parts[0]!;
  const coverage = Math.min(...parts.map((p) => p.coverage));
  const coveredS = coverage * first.durationS;
  const energyJ = parts.reduce((s, p) => s + p.energyJ, 0);
  return {
    durationS: first.durationS,
    energyJ,
    netEnergyJ: idlePowerW === null ? null : energyJ - idlePowerW * coveredS,
    meanPowerW: coveredS > 0 && energyJ >= 0 ? averagePowerW(energyJ, coveredS) : null,
    coverage,
    warnings: parts.flatMap((p, file) => p.warnings.map((w) => (names ? { ...w, channel: names[file]! } : w))),
    spans: parts.flatMap((p, file) => (p.lines === null ? [] : [{ file, ...p.lines }])),
  };
}

/** The windows one sweep integrates: the placed inferences', then the run's span, then the idle segment. */
function sweepWindows(placed: PlacedRun, idle: IdleSource): { list: EnergyWindow[]; ids: number[] } {
  const ids: number[] = [];
  const list: EnergyWindow[] = [];
  placed.windows.forEach((w, i) => {
    if (w) {
      ids.push(i);
      list.push({ id: String(i), startS: w.startS, endS: w.endS });
    }
  });
  if (placed.spanWindow) list.push({ id: "span", ...placed.spanWindow });
  if (idle?.kind === "segment") list.push({ id: "idle", startS: idle.startS, endS: idle.endS });
  return { list, ids };
}

/**
 * Integrate every window over every channel, one streaming sweep per channel: the sweep also
 * records each window's line spans and, for an idle segment inside the power logs, the idle
 * power (summed over channels). Several power files are concurrent channels whose powers add
 * (the collector writes one file per RAPL package).
 */
export async function integrateChannels(
  channels: readonly SampleSource[],
  placed: PlacedRun,
  options: ChannelOptions,
): Promise<ChannelEnergy> {
  const { idle } = options;
  if (idle?.kind === "segment") checkIdleSegment(idle);
  const { list, ids } = sweepWindows(placed, idle);
  const withCal = options.calibration ? { calibration: options.calibration } : {};
  const perChannel: WindowEnergy[][] = [];
  for (const c of channels)
    perChannel.push(await integrateWindows(c, list, { clockOffsetS: options.clockOffsetS, ...withCal }));
  let idlePowerW: number | null = idle === null ? null : idle.kind === "log" ? idle.powerW : 0;
  if (idle?.kind === "segment") {
    for (const results of perChannel) idlePowerW = (idlePowerW ?? 0) + idleFromWindow(results[list.length - 1], idle);
  }
  const names = channels.length > 1 ? options.names : null;
  const sums = ids.map((_, k) =>
    sumChannels(
      perChannel.map((p) => p[k]!),
      idlePowerW,
      names,
    ),
  );
  const energies: (ChannelSum | null)[] = placed.windows.map(() => null);
  ids.forEach((wi, k) => (energies[wi] = sums[k]!));
  let spanEnergyJ: number | null = null;
  if (placed.spanWindow) {
    const s = sumChannels(
      perChannel.map((p) => p[ids.length]!),
      idlePowerW,
      names,
    );
    spanEnergyJ = s.coverage >= MIN_WINDOW_COVERAGE ? s.energyJ : null;
  }
  return { energies, spanEnergyJ, idlePowerW };
}
