import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SlmError } from "../../errors.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import type { BlockResult, BlockTask } from "../../ingest/power/split.js";
import type { QuarantineEntry } from "../../ingest/types.js";
import { errorFromData, type ErrorData } from "./worker-errors.js";

/**
 * A pool of ingest worker threads (node:worker_threads): tasks queue and each goes to the next
 * idle worker; a worker holds one task at a time, so memory per worker is one bundle or one
 * block. The workers run the compiled modules in dist/ (worker.js).
 */

/** The command line's power-total choice, as it travels to a worker. */
type TotalChoice = { inputRail?: string; sumRails?: readonly string[] };

export type PoolRequest =
  { id: number; kind: "bundle"; dir: string; overrides: TotalChoice } | { id: number; kind: "block"; task: BlockTask };

type PoolReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData };

type Job = { req: PoolRequest; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** How many workers `--jobs` means by default (one definition, in the shared pool module). */
export { defaultJobs } from "../pool/pool.js";

/** The worker's entry: beside this module in dist/; from the sources (tests), the built one; null when not built. */
function workerUrl(): URL | null {
  const here = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/]pipeline[\\/]ingest[\\/])/, "$1dist$2");
  return existsSync(built) ? new URL(`file://${built}`) : null;
}

/** Whether worker threads can start (their compiled entry exists). */
export const workersAvailable = (): boolean => workerUrl() !== null;

export class IngestPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, { job: Job; worker: Worker }>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly keepQuarantine: (e: SlmError, rows: readonly QuarantineEntry[]) => void = () => undefined,
  ) {}

  bundle(dir: string, overrides: TotalChoice): Promise<BundleResult> {
    return this.submit({ id: this.nextId++, kind: "bundle", dir, overrides }) as Promise<BundleResult>;
  }

  block(task: BlockTask): Promise<BlockResult> {
    return this.submit({ id: this.nextId++, kind: "block", task }) as Promise<BlockResult>;
  }

  private submit(req: PoolRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(workerUrl()!);
    w.unref();
    w.on("message", (reply: PoolReply) => this.done(w, reply));
    w.on("error", (e) => this.crashed(w, e));
    this.all.push(w);
    return w;
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
      if (worker === undefined) return;
      const job = this.queue.shift()!;
      this.running.set(job.req.id, { job, worker });
      worker.postMessage(job.req);
    }
  }

  private done(worker: Worker, reply: PoolReply): void {
    const r = this.running.get(reply.id);
    if (r === undefined) return;
    this.running.delete(reply.id);
    this.idle.push(worker);
    if (reply.ok) r.job.resolve(reply.result);
    else r.job.reject(errorFromData(reply.error, this.keepQuarantine));
    this.pump();
  }

  private crashed(worker: Worker, e: Error): void {
    for (const [id, r] of this.running) {
      if (r.worker !== worker) continue;
      this.running.delete(id);
      r.job.reject(new Error(`ingest worker failed: ${e.message}`));
    }
    const i = this.all.indexOf(worker);
    if (i >= 0) this.all.splice(i, 1);
    this.pump();
  }

  /** Stop every worker; queued tasks are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error("ingest pool closed"));
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
