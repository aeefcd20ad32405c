import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { errorFromData, type ErrorData } from "./errors.js";
import { runTask, type TaskKind, type TaskInput, type TaskOutput } from "./tasks.js";

/**
 * A pool of worker threads (node:worker_threads) for pure, CPU-bound tasks (tasks.ts): the folds
 * of `validate` and of the corpus schemes. Tasks queue and each goes to the next idle worker;
 * `map` returns the results in the order of its inputs whatever order they finish in, so a
 * parallel run gives the serial run's bytes. With one job the tasks run in this thread, no worker.
 * The workers run the compiled modules in dist/ (worker.js).
 */

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData };
type Job = {
  id: number;
  msg: { id: number; kind: TaskKind; input: unknown };
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};

/** How many workers `--jobs` means by default: the cores this process may use. */
export const defaultJobs = (): number => availableParallelism();

/** The worker's entry: beside this module in dist/; from the sources (tests), the built one. */
function workerUrl(): URL {
  const here = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/]pipeline[\\/]pool[\\/])/, "$1dist$2");
  return new URL(`file://${built}`);
}

export class TaskPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, { job: Job; worker: Worker }>();
  private nextId = 1;
  private closed = false;

  /** `size` workers at most; 1 runs every task in this thread. */
  constructor(readonly size: number) {}

  /** Run one task per input; the results in input order. */
  map<K extends TaskKind>(kind: K, inputs: readonly TaskInput<K>[]): Promise<TaskOutput<K>[]> {
    if (this.size <= 1) return Promise.resolve(inputs.map((input) => runTask(kind, input)));
    return Promise.all(inputs.map((input) => this.submit(kind, input) as Promise<TaskOutput<K>>));
  }

  private submit(kind: TaskKind, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({ id, msg: { id, kind, input }, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(workerUrl());
    w.unref();
    w.on("message", (reply: Reply) => this.done(w, reply));
    w.on("error", (e) => this.crashed(w, e));
    this.all.push(w);
    return w;
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
      if (worker === undefined) return;
      const job = this.queue.shift()!;
      this.running.set(job.id, { job, worker });
      worker.postMessage(job.msg);
    }
  }

  private done(worker: Worker, reply: Reply): void {
    const r = this.running.get(reply.id);
    if (r === undefined) return;
    this.running.delete(reply.id);
    this.idle.push(worker);
    if (reply.ok) r.job.resolve(reply.result);
    else r.job.reject(errorFromData(reply.error));
    this.pump();
  }

  private crashed(worker: Worker, e: Error): void {
    for (const [id, r] of this.running) {
      if (r.worker !== worker) continue;
      this.running.delete(id);
      r.job.reject(new Error(`worker failed: ${e.message}`));
    }
    const i = this.all.indexOf(worker);
    if (i >= 0) this.all.splice(i, 1);
    this.pump();
  }

  /** Stop every worker; queued tasks are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error("task pool closed"));
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

/** Run `fn` with a pool of `jobs` workers, closed afterwards. */
export async function withPool<T>(jobs: number, fn: (pool: TaskPool) => Promise<T>): Promise<T> {
  const pool = new TaskPool(jobs);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
