import { open, stat, type FileHandle } from "node:fs/promises";
import { WindowIntegrator, type WindowPart } from "../../ingest/energy/integrate.js";
import { TotalEnergyAccumulator, type TotalPart } from "../../ingest/energy/total.js";
import type { PowerBatch } from "../../ingest/power/batch.js";
import { PowerEngine } from "../../ingest/power/engine.js";
import { checkEncoding, LineFeeder } from "../../ingest/power/lines.js";
import { givenPowerFormat, resolvePowerFormat, type ReadPowerOptions } from "../../ingest/power/read.js";
import {
  BLOCK_BYTES,
  PREFIX_LINES,
  type BlockResult,
  type BlockSink,
  type BlockState,
  type BlockTask,
  type KeptReading,
  type PartResult,
  type SplitPlan,
  type SplitReadOptions,
} from "../../ingest/power/split.js";
import type { QuarantineEntry } from "../../ingest/types.js";

/** Reading a large power file block by block (see ingest/power/split.ts for the method). */

const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;
/** An edge longer than this (a huge first line) is not sent back: the block is read again in order. */
const MAX_PREFIX_BYTES = 1 << 20;

interface Sink {
  seed(r: KeptReading): void;
  push(b: PowerBatch): void;
  take(): TotalPart | WindowPart;
}

function makeSink(s: BlockSink): Sink {
  if (s.kind === "total") {
    const acc = new TotalEnergyAccumulator(s.calibration);
    return { seed: (r) => acc.seed(r.tS, r.powerW), push: (b) => acc.add(b), take: () => acc.takePart() };
  }
  const w = new WindowIntegrator(s.windows, s.options);
  return {
    seed: (r) => w.seed(r.tS, r.powerW, r.line, r.lineEnd),
    push: (b) => w.pushBatch(b),
    take: () => w.takePart(),
  };
}

const travelling = (o: ReadPowerOptions): SplitReadOptions => ({
  ...(o.intervalMs === undefined ? {} : { intervalMs: o.intervalMs }),
  ...(o.inputRail === undefined ? {} : { inputRail: o.inputRail }),
  ...(o.sumRails === undefined ? {} : { sumRails: o.sumRails }),
  ...(o.columns === undefined ? {} : { columns: o.columns }),
  ...(o.maxEnergyRangeUj === undefined ? {} : { maxEnergyRangeUj: o.maxEnergyRangeUj }),
});

/**
 * How to cut a power file into blocks, or null when it is read in one pass: a file of one block,
 * a format whose lines do not read on their own, lone-CR line ends, a head without a reading, or
 * a head with a problem (the one-pass reader then reports it as usual).
 */
export async function planSplit(
  path: string,
  options: ReadPowerOptions,
  blockBytes = BLOCK_BYTES,
): Promise<SplitPlan | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return null;
  }
  if (size <= blockBytes) return null;
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, blockBytes));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const buf = head.subarray(0, bytesRead);
    const skip = checkEncoding(buf, path);
    const given = givenPowerFormat(options);
    const format = resolvePowerFormat(given === undefined ? buf.toString("utf8", skip) : "", path, given);
    const headBytes = buf.lastIndexOf(0x0a) + 1;
    if (format !== "usb-csv" || headBytes <= skip) return null;
    const sendable = travelling(options);
    const engine = new PowerEngine(path, format, { ...sendable, onQuarantine: () => undefined });
    const feeder = new LineFeeder(engine);
    feeder.useLineEnds(buf.subarray(skip));
    feeder.feed(buf, skip, headBytes, false);
    if (engine.carry() === null || engine.counts().samples === 0 || engine.parser.splittable?.() !== true) return null;
    const blocks = Math.ceil(size / blockBytes);
    const rail = engine.rail ?? format;
    return { path, format, options: sendable, size, blocks, blockBytes, headBytes, rail, totalRule: engine.totalRule };
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

const emptyPart = (sink: BlockSink): PartResult => ({
  part: makeSink(sink).take(),
  quarantined: [],
  samples: 0,
  rejected: 0,
});

/**
 * One block's reading: an engine taught the header by the file's head, a line feeder, the sink,
 * and the split of its lines into edge and inner part (see split.ts).
 */
export class BlockRun {
  readonly engine: PowerEngine;
  readonly feeder: LineFeeder;
  private readonly sink: Sink;
  private q: QuarantineEntry[] | null = null;
  prev: KeptReading | null = null;
  private prefixLeft: number;
  private readonly guessing: boolean;
  edge: PartResult | null = null;
  guess: BlockState | null = null;
  /** File offset where the edge ends (−1 while in it). */
  prefixEnd = -1;

  constructor(
    private readonly task: BlockTask,
    head: Buffer | null,
  ) {
    const plan = task.plan;
    this.engine = new PowerEngine(plan.path, plan.format, { ...plan.options, onQuarantine: (e) => this.q?.push(e) });
    this.feeder = new LineFeeder(this.engine);
    this.sink = makeSink(task.sink);
    this.guessing = task.start === undefined;
    this.prefixLeft = task.block === 0 ? 0 : PREFIX_LINES;
    if (head !== null) {
      const skip = checkEncoding(head, plan.path);
      this.feeder.useLineEnds(head.subarray(skip));
      this.feeder.feed(head, skip, head.length, false);
      this.engine.resume(task.start?.state.carry ?? null);
      this.feeder.line = task.start?.lineOffset ?? 0;
      this.prev = task.start?.state.prev ?? null;
      if (this.prev !== null && !this.guessing) this.sink.seed(this.prev);
    }
    this.q = [];
  }

  /** The state now (lines as numbered here). */
  state(): BlockState {
    return { carry: this.engine.carry(), prev: this.prev === null ? null : { ...this.prev } };
  }

  private flush(): void {
    const b = this.engine.take(true);
    const n = b.n;
    if (n === 0) return;
    if (!(this.guessing && this.prefixLeft > 0)) this.sink.push(b);
    const line = b.line[n - 1]!;
    const lineEnd = b.extra?.[n - 1]?.lineEnd ?? line;
    this.prev = { tS: b.tS[n - 1]!, powerW: b.powerW[n - 1]!, line, lineEnd };
  }

  private part(): PartResult {
    const c = this.engine.counts();
    const part: PartResult = {
      part: this.sink.take(),
      quarantined: this.q!,
      samples: c.samples - this.base.samples,
      rejected: c.quarantined - this.base.quarantined,
    };
    this.q = [];
    this.base = c;
    return part;
  }
  private base = { samples: 0, quarantined: 0 };

  private endPrefix(fileOffset: number): void {
    this.prefixLeft = 0;
    this.prefixEnd = fileOffset;
    if (this.guessing) {
      this.guess = this.state();
      if (this.prev !== null) this.sink.seed(this.prev);
      this.part(); // what the guess quarantined in the edge is the stitcher's to say again
    } else this.edge = this.part();
  }

  /** Feed `buf[from, to)` (file offset of `buf[0]`: `base`); returns where its unfinished line starts. */
  feed(buf: Buffer, from: number, to: number, final: boolean, base: number): number {
    if (this.prefixLeft > 0) {
      let k = from - 1;
      let n = 0;
      while (n < this.prefixLeft) {
        const lf = buf.indexOf(0x0a, k + 1);
        if (lf < 0 || lf >= to) break;
        k = lf;
        n++;
      }
      if (n === this.prefixLeft) {
        this.feeder.feed(buf, from, k + 1, false);
        this.flush();
        this.endPrefix(base + k + 1);
        from = k + 1;
      } else this.prefixLeft -= n;
    }
    const rest = this.feeder.feed(buf, from, to, final);
    this.flush();
    return rest;
  }

  /** End of the block (with `eof`, of the file): its parts and the state after it. */
  finish(eof: boolean): Pick<BlockResult, "edge" | "inner" | "guess" | "prefixIsAll" | "end" | "lines"> {
    if (eof) {
      this.engine.parser.end(this.feeder.line);
      this.engine.releaseHeld();
      this.flush();
    }
    const prefixIsAll = this.prefixLeft > 0;
    if (prefixIsAll && !this.guessing) this.edge = this.part();
    const inner = prefixIsAll && this.guessing ? emptyPart(this.task.sink) : this.part();
    return {
      edge: this.edge,
      inner,
      guess: prefixIsAll ? null : this.guess,
      prefixIsAll,
      end: this.state(),
      lines: this.feeder.line - (this.task.start?.lineOffset ?? 0),
    };
  }
}

/** File offset of the first line that starts at or after `at` (size when none does). */
async function lineStartAtOrAfter(fh: FileHandle, at: number, size: number): Promise<number> {
  if (at <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (let pos = at - 1; pos < size;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    const lf = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (lf >= 0) return pos + lf + 1;
    pos += bytesRead;
  }
  return size;
}

/** Read one block of the plan's file (see split.ts): in order with `task.start`, else under the guess. */
export async function runBlock(task: BlockTask): Promise<BlockResult> {
  const { plan, block } = task;
  const fh = await open(plan.path, "r");
  try {
    const size = (await fh.stat()).size;
    const first = await lineStartAtOrAfter(fh, block * plan.blockBytes, size);
    const stopAt = (block + 1) * plan.blockBytes;
    const none: BlockState = task.start?.state ?? { carry: null, prev: null };
    if (first >= Math.min(stopAt, size) && !(block === 0 && size === 0)) {
      const inner = emptyPart(task.sink);
      return {
        block,
        empty: true,
        guessed: !task.start,
        lines: 0,
        eof: false,
        edge: null,
        inner,
        guess: null,
        prefix: null,
        prefixIsAll: false,
        end: none,
      };
    }
    let head: Buffer | null = null;
    if (block > 0) {
      head = Buffer.alloc(plan.headBytes);
      await fh.read(head, 0, plan.headBytes, 0);
    }
    const run = new BlockRun(task, head);
    const { end, eof } = await feedRange(fh, run, first, stopAt, size, block === 0);
    const done = run.finish(eof);
    let prefix: Uint8Array | null = null;
    if (task.start === undefined) {
      const prefixEnd = done.prefixIsAll ? end : run.prefixEnd;
      if (prefixEnd - first <= MAX_PREFIX_BYTES) {
        prefix = Buffer.alloc(prefixEnd - first);
        await fh.read(prefix, 0, prefix.length, first);
      }
    }
    return { block, empty: false, guessed: task.start === undefined, eof, prefix, ...done };
  } finally {
    await fh.close();
  }
}

/** Feed the lines from `first` up to the one that holds byte `stopAt − 1` (or the end of the file). */
async function feedRange(
  fh: FileHandle,
  run: BlockRun,
  first: number,
  stopAt: number,
  size: number,
  fileStart: boolean,
): Promise<{ end: number; eof: boolean }> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES * 2);
  let base = first; // file offset of buf[0]
  let len = 0;
  let pos = first;
  let atStart = fileStart;
  for (;;) {
    if (buf.length < len + CHUNK_BYTES) {
      const bigger = Buffer.allocUnsafe(len + CHUNK_BYTES);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    const { bytesRead } = await fh.read(buf, len, CHUNK_BYTES, pos);
    pos += bytesRead;
    let end = len + bytesRead;
    let final = bytesRead === 0;
    let stop = false;
    if (base + end > stopAt - 1) {
      const lf = buf.indexOf(0x0a, Math.max(0, stopAt - 1 - base));
      if (lf >= 0 && lf < end) {
        end = lf + 1;
        stop = true;
        final = base + end >= size;
      }
    }
    let from = 0;
    if (atStart) {
      from = checkEncoding(buf.subarray(0, end), run.engine.file);
      run.feeder.useLineEnds(buf.subarray(from, end));
      atStart = false;
    }
    const rest = run.feed(buf, from, end, final, base);
    if (final || stop) return { end: base + end, eof: final };
    buf.copy(buf, 0, rest, end);
    len = end - rest;
    base += rest;
  }
}

/**
 * Read a guessed block's edge again from the true state (the stitcher's check, see split.ts):
 * its part, and the state after it, or the whole block when the edge is all of it.
 */
export async function replayEdge(
  task: BlockTask & { start: { state: BlockState; lineOffset: number } },
  prefix: Uint8Array,
  whole: { prefixIsAll: boolean; eof: boolean },
): Promise<{ run: BlockRun; done: ReturnType<BlockRun["finish"]> | null }> {
  const head = Buffer.alloc(task.plan.headBytes);
  const fh = await open(task.plan.path, "r");
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const run = new BlockRun(task, head);
  const buf = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  run.feed(buf, 0, buf.length, whole.prefixIsAll && whole.eof, 0);
  return { run, done: whole.prefixIsAll ? run.finish(whole.eof) : null };
}
