import { averagePowerW } from "../../metrics/energy.js";
import type { PowerCalibration } from "../energy/calibration.js";
import { checkIdleSegment, idleFromWindow } from "../energy/idle.js";
import {
  integrateWindows,
  type EnergyWindow,
  type IntegrateOptions,
  type LineSpan,
  type WindowEnergy,
} from "../energy/integrate.js";
import type { SampleSource } from "../energy/samples.js";
import type { QuarantineEntry, RowWarning } from "../types.js";
import { MIN_WINDOW_COVERAGE } from "./result.js";
import type { PlacedRun } from "./place.js";
import { phaseSplitS } from "./windows.js";

/** A channel that integrates windows itself (a power file read in blocks, see power/split.ts). */
export interface WindowChannel {
  integrateWindows(windows: readonly EnergyWindow[], options: IntegrateOptions): Promise<WindowEnergy[]>;
}

const integratesItself = (c: SampleSource | WindowChannel): c is WindowChannel =>
  typeof (c as Partial<WindowChannel>).integrateWindows === "function";

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
  /** Same order: each window's prefill and decode energy, null when the log lacks either duration. */
  phases: (PhaseSums | null)[];
  spanEnergyJ: number | null;
  idlePowerW: number | null;
}

export interface ChannelOptions {
  clockOffsetS: number;
  calibration?: PowerCalibration;
  idle: IdleSource;
  /** Names of the channels' files, prefixed to their warnings when there are several. */
  names: readonly string[];
  /** The readings quarantined so far (named by `names`), for the idle segment's message. */
  quarantined?: () => readonly QuarantineEntry[];
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

/** A window's two phases, each summed over channels; null for a phase of zero length (no energy). */
export interface PhaseSums {
  prefill: ChannelSum | null;
  decode: ChannelSum | null;
}

/** Where each kind of window sits in the sweep's list. */
interface SweepLayout {
  list: EnergyWindow[];
  /** Index in `placed.windows` of each inference window, in list order (they come first). */
  ids: number[];
  /** Per placed window: list positions of its prefill and decode sub-windows (−1: zero length), or null. */
  phases: ({ prefill: number; decode: number } | null)[];
  span: number;
  idle: number;
}

/**
 * The windows one sweep integrates: the placed inferences', each one's prefill and decode
 * sub-windows (split where the log's prefill time ends, see `phaseSplitS`), the run's span and
 * the idle segment. Sub-windows of zero length are left out.
 */
function sweepWindows(placed: PlacedRun, idle: IdleSource): SweepLayout {
  const ids: number[] = [];
  const list: EnergyWindow[] = [];
  placed.windows.forEach((w, i) => {
    if (w) {
      ids.push(i);
      list.push({ id: String(i), startS: w.startS, endS: w.endS });
    }
  });
  const add = (w: EnergyWindow): number => (w.endS > w.startS ? list.push(w) - 1 : -1);
  const phases = placed.windows.map((w, i) => {
    const split = w ? phaseSplitS(w, placed.usable[i]!.record) : null;
    if (w === null || split === null) return null;
    return {
      prefill: add({ id: `${i}:prefill`, startS: w.startS, endS: split }),
      decode: add({ id: `${i}:decode`, startS: split, endS: w.endS }),
    };
  });
  const span = placed.spanWindow ? list.push({ id: "span", ...placed.spanWindow }) - 1 : -1;
  const idleAt = idle?.kind === "segment" ? list.push({ id: "idle", startS: idle.startS, endS: idle.endS }) - 1 : -1;
  return { list, ids, phases, span, idle: idleAt };
}

/**
 * Integrate every window over every channel, one streaming sweep per channel (each inference's
 * prefill and decode are windows of the same sweep, not a second pass): the sweep also records
 * each window's line spans and, for an idle segment inside the power logs, the idle power
 * (summed over channels). Several power files are concurrent channels whose powers add
 * (the collector writes one file per RAPL package).
 */
export async function integrateChannels(
  channels: readonly (SampleSource | WindowChannel)[],
  placed: PlacedRun,
  options: ChannelOptions,
): Promise<ChannelEnergy> {
  const { idle } = options;
  if (idle?.kind === "segment") checkIdleSegment(idle);
  const layout = sweepWindows(placed, idle);
  const { list, ids } = layout;
  const withCal = options.calibration ? { calibration: options.calibration } : {};
  const perChannel: WindowEnergy[][] = [];
  const opts: IntegrateOptions = { clockOffsetS: options.clockOffsetS, ...withCal };
  for (const c of channels)
    perChannel.push(await (integratesItself(c) ? c.integrateWindows(list, opts) : integrateWindows(c, list, opts)));
  let idlePowerW: number | null = idle === null ? null : idle.kind === "log" ? idle.powerW : 0;
  if (idle?.kind === "segment") {
    perChannel.forEach((results, c) => {
      const where = {
        ...(options.names[c] === undefined ? {} : { file: options.names[c] }),
        quarantined: options.quarantined?.() ?? [],
      };
      idlePowerW = (idlePowerW ?? 0) + idleFromWindow(results[layout.idle], idle, where);
    });
  }
  const names = channels.length > 1 ? options.names : null;
  const sumAt = (k: number): ChannelSum =>
    sumChannels(
      perChannel.map((p) => p[k]!),
      idlePowerW,
      names,
    );
  const energies: (ChannelSum | null)[] = placed.windows.map(() => null);
  ids.forEach((wi, k) => (energies[wi] = sumAt(k)));
  const phases = layout.phases.map((ph) =>
    ph === null
      ? null
      : { prefill: ph.prefill < 0 ? null : sumAt(ph.prefill), decode: ph.decode < 0 ? null : sumAt(ph.decode) },
  );
  let spanEnergyJ: number | null = null;
  if (layout.span >= 0) {
    const s = sumAt(layout.span);
    spanEnergyJ = s.coverage >= MIN_WINDOW_COVERAGE ? s.energyJ : null;
  }
  return { energies, phases, spanEnergyJ, idlePowerW };
}
