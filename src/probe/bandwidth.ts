/**
 * Effective memory read bandwidth of this machine, measured by streaming over buffers in worker
 * threads (one buffer per thread, all threads released together).
 *
 * Methods:
 * - `memchr` (default): `Buffer.indexOf` of a byte the buffer does not hold, which Node runs as
 *   libc `memchr` — a vectorised streaming read at native speed, the access pattern of a decode
 *   step reading every weight once.
 * - `js`: a JavaScript loop summing a Float64Array, 8-way unrolled — what plain JS code reaches
 *   (usually compute-bound, below the memory's bandwidth); kept for comparison.
 *
 * Buffers larger than the last-level cache measure DRAM; smaller ones measure caches. Each
 * figure is the best of `trials` (the least disturbed run), as STREAM reports.
 */
import { Worker } from "node:worker_threads";
import { cpus } from "node:os";
import { max, median } from "simple-statistics";
import type { z } from "zod";
import type { BandwidthMethodSchema, BandwidthPointSchema } from "../io/probe/schema.js";

export type BandwidthMethod = z.output<typeof BandwidthMethodSchema>;

/** One (method, threads, buffer size) point: bytes per thread, best and median GB/s of the trials. */
export type BandwidthPoint = z.output<typeof BandwidthPointSchema>;

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { size, sab } = workerData;
const buf = Buffer.alloc(size, 0x5a); // non-zero: every page really backed (zero fill may map the shared zero page)
const f64 = new Float64Array(buf.buffer, buf.byteOffset, Math.floor(size / 8));
const sync = new Int32Array(sab);
const now = () => performance.timeOrigin + performance.now();
function jsSum() {
  let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
  const n = f64.length - (f64.length % 8);
  for (let i = 0; i < n; i += 8) {
    a += f64[i]; b += f64[i + 1]; c += f64[i + 2]; d += f64[i + 3];
    e += f64[i + 4]; f += f64[i + 5]; g += f64[i + 6]; h += f64[i + 7];
  }
  return a + b + c + d + e + f + g + h;
}
parentPort.on("message", (m) => {
  if (m.cmd === "exit") { process.exit(0); }
  // warm: touch once outside the timed region
  if (m.method === "memchr") buf.indexOf(1); else jsSum();
  Atomics.add(sync, 1, 1);
  Atomics.notify(sync, 1);
  while (Atomics.load(sync, 0) !== m.trial) Atomics.wait(sync, 0, Atomics.load(sync, 0), 5);
  const t0 = now();
  let sink = 0;
  for (let r = 0; r < m.repeats; r++) sink += m.method === "memchr" ? buf.indexOf(1) : jsSum();
  const t1 = now();
  parentPort.postMessage({ t0, t1, sink });
});
parentPort.postMessage({ ready: true });
`;

interface TrialTimes {
  t0: number;
  t1: number;
}

/** Measure one (method, threads, buffer size) point. */
export async function measureBandwidthPoint(
  method: BandwidthMethod,
  threads: number,
  bufferBytes: number,
  trials = 5,
  targetBytesPerTrial = 512 * 2 ** 20,
): Promise<BandwidthPoint> {
  const sab = new SharedArrayBuffer(8);
  const sync = new Int32Array(sab);
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { size: bufferBytes, sab } }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((res, rej) => {
            w.once("message", () => res());
            w.once("error", rej);
          }),
      ),
    );
    const repeats = Math.max(1, Math.round(targetBytesPerTrial / bufferBytes));
    const rates: number[] = [];
    for (let trial = 1; trial <= trials; trial++) {
      Atomics.store(sync, 1, 0);
      const done = workers.map(
        (w) =>
          new Promise<TrialTimes>((res, rej) => {
            w.once("message", (m: TrialTimes) => res(m));
            w.once("error", rej);
          }),
      );
      for (const w of workers) w.postMessage({ cmd: "run", method, repeats, trial });
      while (Atomics.load(sync, 1) < threads) await new Promise((r) => setTimeout(r, 1));
      Atomics.store(sync, 0, trial);
      Atomics.notify(sync, 0);
      const times = await Promise.all(done);
      const spanMs = Math.max(...times.map((t) => t.t1)) - Math.min(...times.map((t) => t.t0));
      rates.push((threads * bufferBytes * repeats) / (spanMs / 1000) / 1e9);
    }
    return { method, threads, bufferBytes, bestGBps: max(rates), medianGBps: median(rates), trials };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export interface BandwidthSweepOptions {
  sizesBytes?: number[];
  threads?: number[];
  methods?: BandwidthMethod[];
  trials?: number;
  onPoint?: (p: BandwidthPoint) => void;
}

export const DEFAULT_BANDWIDTH_SIZES = [4, 16, 64, 256].map((m) => m * 2 ** 20);

export async function measureBandwidth(o: BandwidthSweepOptions = {}): Promise<BandwidthPoint[]> {
  const all = cpus().length;
  const threadsList = o.threads ?? [...new Set([1, all])];
  const out: BandwidthPoint[] = [];
  for (const method of o.methods ?? ["memchr", "js"]) {
    for (const threads of threadsList) {
      for (const size of o.sizesBytes ?? DEFAULT_BANDWIDTH_SIZES) {
        const p = await measureBandwidthPoint(method, threads, size, o.trials ?? 5);
        o.onPoint?.(p);
        out.push(p);
      }
    }
  }
  return out;
}

/**
 * The machine's effective DRAM read bandwidth: the best `memchr` figure among buffers at least
 * `minBytes` per thread (beyond the last-level cache), over thread counts.
 */
export function effectiveDramGBps(points: readonly BandwidthPoint[], minBytes: number): BandwidthPoint | null {
  const dram = points.filter((p) => p.method === "memchr" && p.bufferBytes * p.threads >= minBytes);
  if (dram.length === 0) return null;
  // The largest buffer size measured, then the best thread count at it.
  const maxSize = Math.max(...dram.map((p) => p.bufferBytes));
  return dram.filter((p) => p.bufferBytes === maxSize).sort((a, b) => b.bestGBps - a.bestGBps)[0]!;
}
