import { parentPort } from "node:worker_threads";
import { runBlock } from "../../io/power/blocks.js";
import { ingestBundle, quarantinedBefore } from "./bundle.js";
import { errorData } from "./worker-errors.js";
import type { PoolRequest } from "./pool.js";

/**
 * An ingest worker thread (see pool.ts): it ingests whole bundles, or reads blocks of a large
 * power file, one task at a time, and posts back the result or the error as data.
 */
const port = parentPort;
if (port !== null) {
  port.on("message", (req: PoolRequest) => {
    const work = req.kind === "bundle" ? ingestBundle(req.dir, req.overrides) : runBlock(req.task);
    work.then(
      (result) => port.postMessage({ id: req.id, ok: true, result }),
      (e: unknown) => port.postMessage({ id: req.id, ok: false, error: errorData(e, quarantinedBefore(e)) }),
    );
  });
}
