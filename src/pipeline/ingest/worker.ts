import { parentPort } from "node:worker_threads";
import { runBlock } from "../../io/power/blocks.js";
import { errorData } from "./worker-errors.js";
import type { PoolRequest } from "./pool.js";

/**
 * An ingest worker thread (see pool.ts): it ingests whole bundles, or reads blocks of a large
 * power file, one task at a time, and posts back the result or the error as data. The bundle
 * stages are loaded on the first bundle task (a worker that only reads blocks starts faster).
 */
type BundleModule = typeof import("./bundle.js");
let bundleModule: Promise<BundleModule> | null = null;
const stages = (): Promise<BundleModule> => (bundleModule ??= import("./bundle.js"));

async function work(req: PoolRequest): Promise<unknown> {
  if (req.kind === "block") return runBlock(req.task);
  return (await stages()).ingestBundle(req.dir, req.overrides);
}

const port = parentPort;
if (port !== null) {
  port.on("message", (req: PoolRequest) => {
    work(req).then(
      (result) => port.postMessage({ id: req.id, ok: true, result }),
      async (e: unknown) => {
        const quarantined = req.kind === "bundle" ? (await stages()).quarantinedBefore(e) : [];
        port.postMessage({ id: req.id, ok: false, error: errorData(e, quarantined) });
      },
    );
  });
}
