import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import {
  WindowIntegrator,
  type EnergyWindow,
  type IntegrateOptions,
  type WindowEnergy,
} from "../../ingest/energy/integrate.js";
import { TotalEnergyAccumulator, type TotalEnergy, type TotalPart } from "../../ingest/energy/total.js";
import type { PowerCalibration } from "../../ingest/energy/calibration.js";
import type { WindowPart } from "../../ingest/energy/integrate.js";
import type { PowerLogSummary } from "../../ingest/power/engine.js";
import {
  sameState,
  shiftPart,
  shiftState,
  type BlockResult,
  type BlockSink,
  type BlockState,
  type BlockTask,
  type PartResult,
  type SplitPlan,
} from "../../ingest/power/split.js";
import type { QuarantineEntry } from "../../ingest/types.js";
import { replayEdge, runBlock } from "./blocks.js";

/**
 * Stitching a split file's blocks back into one result (the method: ingest/power/split.ts).
 * `runner` reads guessed blocks elsewhere (a worker pool); without it every block is read here,
 * in order, from the true state. Both give the same bytes.
 */

/** Reads a block somewhere (a worker): the same as `runBlock`. */
export type BlockRunner = (task: BlockTask) => Promise<BlockResult>;

interface Stitched {
  samples: number;
  rejected: number;
  lines: number;
}

async function stitch(
  plan: SplitPlan,
  sink: BlockSink,
  runner: BlockRunner | null,
  absorb: (p: TotalPart | WindowPart) => void,
  onQuarantine: (e: QuarantineEntry) => void,
): Promise<Stitched> {
  const out: Stitched = { samples: 0, rejected: 0, lines: 0 };
  let state: BlockState = { carry: null, prev: null };
  const take = (p: PartResult | null) => {
    if (p === null) return;
    absorb(p.part);
    for (const q of p.quarantined) onQuarantine(q);
    out.samples += p.samples;
    out.rejected += p.rejected;
  };
  const inOrder = async (block: number): Promise<BlockResult> =>
    runBlock({ plan, block, sink, start: { state, lineOffset: out.lines } });
  const guessed: (Promise<BlockResult> | null)[] = [];
  for (let j = 0; j < plan.blocks; j++) {
    const p = runner === null || j === 0 ? null : runner({ plan, block: j, sink });
    p?.catch(() => undefined); // a failed guess is read again in order below
    guessed.push(p);
  }
  for (let j = 0; j < plan.blocks; j++) {
    const r = await (guessed[j]?.catch(() => null) ?? inOrder(j));
    if (r === null || r.empty) {
      if (r === null) keep(await inOrder(j));
      continue;
    }
    if (!r.guessed) {
      keep(r); // read in order (block 0, or no runner)
      continue;
    }
    if (r.prefix === null || r.inner.quarantined.length > 0) {
      keep(await inOrder(j));
      continue;
    }
    const task = { plan, block: j, sink, start: { state, lineOffset: out.lines } };
    const replay = await replayEdge(task, r.prefix, r);
    if (replay.done !== null) {
      keep({ ...r, ...replay.done });
      continue;
    }
    const guess = shiftState(r.guess!, out.lines);
    if (!sameState(replay.run.state(), guess)) {
      keep(await inOrder(j));
      continue;
    }
    keep({
      ...r,
      edge: replay.run.edge,
      inner: { ...r.inner, part: shiftPart(r.inner.part, out.lines) },
      end: shiftState(r.end, out.lines),
    });
  }
  return out;

  function keep(r: BlockResult): void {
    if (r.empty) return;
    take(r.edge);
    take(r.inner);
    state = r.end;
    out.lines += r.lines;
  }
}

/** The sha256 of a file, streamed (it runs beside the blocks' reading). */
async function sha256Of(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

function summaryOf(plan: SplitPlan, s: Stitched): PowerLogSummary {
  return {
    file: plan.path,
    format: plan.format,
    samples: s.samples,
    quarantined: s.rejected,
    lines: s.lines,
    timed: true,
    intervalMs: null,
    rail: plan.rail,
    totalRule: plan.totalRule,
  };
}

export interface SplitOptions {
  runner?: BlockRunner | null;
  onQuarantine?: (e: QuarantineEntry) => void;
  hash?: boolean;
}

/** `integrateWindows` over a split file: the windows' energies, its summary and, with `hash`, its sha256. */
export async function integrateSplitFile(
  plan: SplitPlan,
  windows: readonly EnergyWindow[],
  options: IntegrateOptions,
  split: SplitOptions = {},
): Promise<{ energies: WindowEnergy[]; summary: PowerLogSummary; sha256: string | null }> {
  const total = new WindowIntegrator(windows, options);
  const sink: BlockSink = { kind: "windows", windows, options };
  const hash = split.hash ? sha256Of(plan.path) : null;
  hash?.catch(() => undefined);
  const s = await stitch(
    plan,
    sink,
    split.runner ?? null,
    (p) => total.absorb(p as WindowPart),
    split.onQuarantine ?? (() => undefined),
  );
  return { energies: total.finish(), summary: summaryOf(plan, s), sha256: hash === null ? null : await hash };
}

/** `totalEnergy` over a split file, with its summary. */
export async function totalEnergyOfSplitFile(
  plan: SplitPlan,
  options: { calibration?: PowerCalibration } = {},
  split: SplitOptions = {},
): Promise<{ total: TotalEnergy; summary: PowerLogSummary }> {
  const acc = new TotalEnergyAccumulator(options.calibration);
  const sink: BlockSink = { kind: "total", ...(options.calibration ? { calibration: options.calibration } : {}) };
  const s = await stitch(
    plan,
    sink,
    split.runner ?? null,
    (p) => acc.absorb(p as TotalPart),
    split.onQuarantine ?? (() => undefined),
  );
  return { total: acc.result(), summary: summaryOf(plan, s) };
}

/**
 * A power file read in blocks, as a channel of a bundle's sweep: `integrateWindows` reads it
 * (through `runner` when given), then `format`, `summary` and `sha256` are set, as on a `PowerLog`.
 */
export class SplitChannel {
  readonly format: SplitPlan["format"];
  summary: PowerLogSummary | null = null;
  sha256: string | null = null;

  constructor(
    readonly plan: SplitPlan,
    private readonly split: SplitOptions,
  ) {
    this.format = plan.format;
  }

  async integrateWindows(windows: readonly EnergyWindow[], options: IntegrateOptions): Promise<WindowEnergy[]> {
    const r = await integrateSplitFile(this.plan, windows, options, { ...this.split, hash: true });
    this.summary = r.summary;
    this.sha256 = r.sha256;
    return r.energies;
  }
}
